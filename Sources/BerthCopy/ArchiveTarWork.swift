// `berth cp`'s tars through the Archive library (libarchive): what the berth-cp
// executable plugs into the command line (see CopyTarWork.swift in BerthCommands).
import Archive
import BerthCommands

public struct ArchiveTarWork: CopyTarWork {
  public init() {}

  public func extract(
    tarFD: Int32, intoDirectoryFD directoryFD: Int32, displayPath: String, renaming: (from: String, to: String)?
  ) throws {
    var options = LayerApplyOptions()
    options.whiteouts = false
    options.preserveOwnership = false
    options.noOverwriteDirNonDir = true
    options.stripLeadingSlash = true
    if let renaming { options.rebase = LayerApplyOptions.Rebase(from: renaming.from, to: renaming.to) }
    _ = try LayerApplier.apply(fd: tarFD, intoDirectoryFD: directoryFD, displayPath: displayPath, options: options)
  }

  public func archive(
    at directoryFD: Int32, _ name: String, as entryName: String,
    output: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let tar = try TarWriter(output: output)
    try TreeArchive.write(at: directoryFD, name, as: entryName, to: tar)
    try tar.close()
  }
}
