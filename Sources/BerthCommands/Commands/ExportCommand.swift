import EngineClient
import Glibc
import LinuxOS

enum ExportCommand {
  static let spec = CommandSpec(
    "export", usage: "[OPTIONS] CONTAINER", summary: "Export a container's filesystem as a tar archive",
    aliases: ["container export", "export"], flags: [.string("output", "o", "Write to a file, instead of STDOUT")],
    arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    var fd = ctx.io.stdout
    if flags.string("output") == nil && isatty(fd) == 1 {
      throw CommandError.failure("cowardly refusing to save to a terminal. Use the -o flag or redirect")
    }
    let (_, body) = try ctx.client().open("GET", "/containers/\(pathEscape(flags.positionals[0]))/export")
    defer { body.close() }
    // As docker: the file is created only once the daemon has answered.
    if let path = flags.string("output") {
      do {
        fd = try FD.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
      } catch {
        throw CommandError.failure("failed to export container: \(error)")
      }
    }
    defer { if fd != ctx.io.stdout { FD.close(fd) } }
    while let piece = try body.next() { try FD.write(fd, piece) }
    return 0
  }
}
