import EngineClient

/// Pulling an image (`pull`, and `run`/`create` when the image is missing), printing
/// docker's progress lines.
enum ImagePull {
  static func pull(_ ctx: CommandContext, image: String, platform: String?, quiet: Bool, toStderr: Bool) throws {
    let ref = ImageReference(parsing: image)
    var query: [(String, String)] = [("fromImage", ref.name), ("tag", ref.pullTag)]
    if let platform { query.append(("platform", platform)) }
    let (_, body) = try ctx.client().open("POST", "/images/create", query: query)
    defer { body.close() }
    try ProgressDisplay.consume(body, ctx: ctx, quiet: quiet, toStderr: toStderr)
  }
}

/// docker's jsonmessage stream: `{"status","id","progress","error","stream","aux"}` lines.
enum ProgressDisplay {
  static func consume(_ body: ResponseBody, ctx: CommandContext, quiet: Bool, toStderr: Bool) throws {
    var failure: String?
    try body.forEachLine { line in
      guard !line.trimmedWhitespace().isEmpty, let message = try? JSON.parse(line) else { return }
      if let error = message["errorDetail"]?["message"]?.stringValue ?? message["error"]?.stringValue {
        failure = error
        return
      }
      if quiet { return }
      var text = ""
      if let stream = message["stream"]?.stringValue {
        text = stream
      } else if let status = message["status"]?.stringValue {
        if let id = message["id"]?.stringValue, !id.isEmpty { text = "\(id): " }
        text += status
        if let progress = message["progress"]?.stringValue, !progress.isEmpty { text += " " + progress }
        text += "\n"
      }
      guard !text.isEmpty else { return }
      if toStderr { ctx.err(text) } else { ctx.out(text) }
    }
    if let failure { throw CommandError.failure(failure) }
  }
}
