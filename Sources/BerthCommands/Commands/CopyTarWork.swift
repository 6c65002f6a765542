// The tar half of `berth cp`, kept out of the `berth` executable.
//
// Making and unpacking tars takes the Archive library, which links libarchive and through
// it a dozen shared libraries (libxml2, ICU, the compressors). Loading them cost every
// `berth` invocation about 4 ms of its 7 ms start, for the one command that uses them.
// So `berth cp` runs in `berth-cp`, installed beside `berth`: the same command line with
// this hook set (Sources/BerthCopy). `berth` itself re-executes `berth-cp` with its own
// arguments, as docker runs its CLI plugins.
import Glibc
import LinuxOS

public protocol CopyTarWork: Sendable {
  /// Unpacks the tar read from `tarFD` below the directory `directoryFD` (cp's rules: no
  /// whiteouts, owners not kept, no directory replaced by a non-directory, leading "/"
  /// stripped), renaming the top entry `from` → `to` when `renaming` is set.
  func extract(
    tarFD: Int32, intoDirectoryFD directoryFD: Int32, displayPath: String, renaming: (from: String, to: String)?
  ) throws

  /// Writes the tree `name` below `directoryFD` as a tar whose top entry is `entryName`.
  func archive(
    at directoryFD: Int32, _ name: String, as entryName: String,
    output: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) throws
}

/// Where `berth cp` finds its tar work.
public enum CopyHelper {
  /// Set by `berth-cp` (and by tests) before the command line runs; nil in `berth`.
  nonisolated(unsafe) public static var tarWork: (any CopyTarWork)?

  /// The helper's name; it is looked for beside the running executable.
  public static let executableName = "berth-cp"

  /// Replaces this process with `berth-cp` and the same arguments; throws only when that
  /// cannot be done.
  static func execHelper() throws -> Never {
    guard let own = SelfExecutable.path() else {
      throw CommandError.failure("cp: cannot find the berth executable (/proc/self/exe)")
    }
    let helper = Files.parent(of: own) + "/" + executableName
    let arguments = CommandLine.arguments
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    execv(helper, &argv)
    let reason = String(cString: strerror(errno))
    for pointer in argv { free(pointer) }
    throw CommandError.failure("cp needs \(helper), which is installed with berth: \(reason)")
  }
}
