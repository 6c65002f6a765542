import EngineClient

enum CommitCommand {
  static let spec = CommandSpec(
    "commit", usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", summary: "Create a new image from a container's changes",
    aliases: ["container commit", "commit"],
    flags: [
      .string("author", "a", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
      .list("change", "c", "Apply Dockerfile instruction to the created image"),
      .string("message", "m", "Commit message"),
      .bool("pause", "p", "Pause container during commit (default true)"),
    ], arguments: .range(1, 2))

  static let command = Command(spec) { ctx, flags in
    ctx.outLine(try commit(ctx, flags))
    return 0
  }

  /// POST /commit with docker's query; returns the new image's ID (`sha256:…`).
  static func commit(_ ctx: CommandContext, _ flags: ParsedFlags) throws -> String {
    var repo = ""
    var tag = ""
    if flags.positionals.count == 2 {
      let ref = ImageReference(parsing: flags.positionals[1])
      guard ref.digest == nil else {
        throw CommandError.failure("refusing to create a tag with a digest reference")
      }
      repo = ref.name
      tag = ref.tag ?? ""
    }
    var query: [(String, String)] = [
      ("author", flags.string("author") ?? ""), ("comment", flags.string("message") ?? ""),
      ("container", flags.positionals[0]),
    ]
    for change in flags.all("change") { query.append(("changes", change)) }
    if flags.bools["pause"] == false { query.append(("pause", "0")) }
    query += [("repo", repo), ("tag", tag)]
    let answer = try ctx.client().json("POST", "/commit", query: query)
    guard let id = answer["Id"]?.stringValue else {
      throw EngineClientError.protocolError("the daemon's commit answer has no Id")
    }
    return id
  }
}
