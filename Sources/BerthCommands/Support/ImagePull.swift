import EngineClient
import Glibc
import LinuxOS

/// Pulling an image (`pull`, and `run`/`create` when the image is missing), drawing docker's
/// progress from the JSON stream.
enum ImagePull {
  /// POST /images/create with the stored credentials (`X-Registry-Auth`); `allTags` pulls
  /// every tag of the repository.
  static func pull(
    _ ctx: CommandContext, image: String, platform: String?, quiet: Bool, toStderr: Bool, allTags: Bool = false
  ) throws {
    let ref = ImageReference(parsing: image)
    var query: [(String, String)] = [("fromImage", ref.name)]
    if !allTags { query.append(("tag", ref.pullTag)) }
    if let platform, !platform.isEmpty { query.append(("platform", platform)) }
    let (_, body) = try ctx.client().open(
      "POST", "/images/create", query: query, headers: [ctx.registryAuthHeader(forImage: image)])
    defer { body.close() }
    try ProgressDisplay.consume(body, ctx: ctx, quiet: quiet, toStderr: toStderr)
  }
}

/// docker's jsonmessage stream: `{"status","id","progress","progressDetail","error","stream","aux"}`
/// lines, rendered like docker's (in place on a terminal).
enum ProgressDisplay {
  static func consume(_ body: ResponseBody, ctx: CommandContext, quiet: Bool, toStderr: Bool) throws {
    let fd = toStderr ? ctx.io.stderr : ctx.io.stdout
    let terminal = isatty(fd) == 1
    let width = terminal ? Int(Terminals.size(fd)?.columns ?? 200) : 200
    var renderer = JSONMessageRenderer(terminal: terminal, width: width == 0 ? 200 : width)
    var failure: String?
    try body.forEachLine { line in
      guard failure == nil, !line.trimmedWhitespace().isEmpty, let message = try? JSON.parse(line) else { return }
      if let error = message["errorDetail"]?["message"]?.stringValue ?? message["error"]?.stringValue {
        failure = error
        return
      }
      if quiet { return }
      let text = renderer.render(message)
      if !text.isEmpty { try? FD.write(fd, text) }
    }
    if let failure { throw CommandError.failure(failure) }
  }
}
