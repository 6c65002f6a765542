import EngineClient
import Glibc
import LinuxOS

enum RmiCommand {
  static let spec = CommandSpec(
    "rmi", usage: "[OPTIONS] IMAGE [IMAGE...]", summary: "Remove one or more images",
    aliases: ["image rm", "image remove", "rmi"],
    flags: [
      .bool("force", "f", "Force removal of the image"),
      .bool("no-prune", nil, "Do not delete untagged parents"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var query: [(String, String)] = []
    if flags.bool("force") { query.append(("force", "1")) }
    if flags.bool("no-prune") { query.append(("noprune", "1")) }
    return ctx.forEach(flags.positionals, printName: false) { name in
      let deleted = try client.json("DELETE", "/images/\(pathEscape(name))", query: query)
      for item in deleted.arrayValue ?? [] {
        if let u = item["Untagged"]?.stringValue { ctx.outLine("Untagged: \(u)") }
        if let d = item["Deleted"]?.stringValue { ctx.outLine("Deleted: \(d)") }
      }
    }
  }
}

enum TagCommand {
  static let spec = CommandSpec(
    "tag", usage: "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    summary: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    aliases: ["image tag", "tag"], arguments: .exactly(2))

  static let command = Command(spec) { ctx, flags in
    let target = ImageReference(parsing: flags.positionals[1])
    var query: [(String, String)] = [("repo", target.familiarName)]
    query.append(("tag", target.tag ?? "latest"))
    try ctx.client().call("POST", "/images/\(pathEscape(flags.positionals[0]))/tag", query: query)
    return 0
  }
}

enum PullCommand {
  static let spec = CommandSpec(
    "pull", usage: "[OPTIONS] NAME[:TAG|@DIGEST]", summary: "Download an image from a registry",
    aliases: ["image pull", "pull"],
    flags: [
      .bool("all-tags", "a", "Download all tagged images in the repository"),
      .string("platform", nil, "Set platform if server is multi-platform capable"),
      .bool("quiet", "q", "Suppress verbose output"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let image = flags.positionals[0]
    let ref = ImageReference(parsing: image)
    let quiet = flags.bool("quiet")
    let allTags = flags.bool("all-tags")
    if allTags && (ref.tag != nil || ref.digest != nil) {
      throw CommandError.failure("tag can't be used with --all-tags/-a")
    }
    if ref.tag == nil && ref.digest == nil && !allTags && !quiet { ctx.outLine("Using default tag: latest") }
    try ImagePull.pull(
      ctx, image: image, platform: flags.string("platform"), quiet: quiet, toStderr: false, allTags: allTags)
    if allTags {
      ctx.outLine(ref.name)
    } else {
      ctx.outLine(ref.digest == nil ? "\(ref.name):\(ref.tag ?? "latest")" : "\(ref.name)@\(ref.digest ?? "")")
    }
    return 0
  }
}

enum HistoryCommand {
  static let spec = CommandSpec(
    "history", usage: "[OPTIONS] IMAGE", summary: "Show the history of an image",
    aliases: ["image history", "history"],
    flags: [
      .string(
        "format", nil,
        "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .bool("human", "H", "Print sizes and dates in human readable format (default true)"),
      .bool("no-trunc", nil, "Don't truncate output"),
      .bool("quiet", "q", "Only show image IDs"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let history = try ctx.client().json("GET", "/images/\(pathEscape(flags.positionals[0]))/history")
    let truncate = !flags.bool("no-trunc")
    let now = Clock.now()
    let rows = (history.arrayValue ?? []).map { h -> JSON in
      let id = h["Id"]?.stringValue ?? ""
      let created = h["Created"]?.doubleValue ?? 0
      var createdBy = (h["CreatedBy"]?.stringValue ?? "").replacingTabEscapes()
      createdBy = createdBy.split(separator: "\t").joined(separator: " ")
      if truncate { createdBy = Shorten.ellipsis(createdBy, 45) }
      return .object([
        .init("Comment", .string(h["Comment"]?.stringValue ?? "")),
        .init("CreatedAt", .string(Clock.goTimeString(created))),
        .init("CreatedBy", .string(createdBy)),
        .init("CreatedSince", .string(Clock.ago(created, now: now))),
        .init("ID", .string(id == "<missing>" || !truncate ? id : Shorten.id(id))),
        .init("Size", .string(Units.humanSize(h["Size"]?.doubleValue ?? 0, precision: 3))),
      ])
    }
    let formatter = ListFormatter(
      defaultTable: "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
      headers: [
        "ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY", "Size": "SIZE",
        "Comment": "COMMENT",
      ])
    ctx.out(try formatter.render(format: flags.string("format"), rows: rows, quiet: flags.bool("quiet")))
    return 0
  }
}

enum SaveCommand {
  static let spec = CommandSpec(
    "save", usage: "[OPTIONS] IMAGE [IMAGE...]",
    summary: "Save one or more images to a tar archive (streamed to STDOUT by default)",
    aliases: ["image save", "save"], flags: [.string("output", "o", "Write to a file, instead of STDOUT")],
    arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    var fd = ctx.io.stdout
    if let path = flags.string("output") {
      fd = try FD.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
    } else if isatty(fd) == 1 {
      throw CommandError.failure("cowardly refusing to save to a terminal. Use the -o flag or redirect")
    }
    defer { if fd != ctx.io.stdout { FD.close(fd) } }
    let query = flags.positionals.map { ("names", $0) }
    let (_, body) = try ctx.client().open("GET", "/images/get", query: query)
    defer { body.close() }
    while let piece = try body.next() { try FD.write(fd, piece) }
    return 0
  }
}

enum LoadCommand {
  static let spec = CommandSpec(
    "load", usage: "[OPTIONS]", summary: "Load an image from a tar archive or STDIN", aliases: ["image load", "load"],
    flags: [
      .string("input", "i", "Read from tar archive file, instead of STDIN"),
      .bool("quiet", "q", "Suppress the load output"),
    ], arguments: .none)

  static let command = Command(spec) { ctx, flags in
    var fd = ctx.io.stdin
    if let path = flags.string("input") {
      fd = try FD.open(path, O_RDONLY)
    } else if isatty(fd) == 1 {
      throw CommandError.failure("requested load from stdin, but stdin is empty")
    }
    defer { if fd != ctx.io.stdin { FD.close(fd) } }
    var query: [(String, String)] = []
    if flags.bool("quiet") { query.append(("quiet", "1")) }
    let (_, body) = try ctx.client().open(
      "POST", "/images/load", query: query, body: .stream(fd: fd, contentType: "application/x-tar"))
    defer { body.close() }
    try ProgressDisplay.consume(body, ctx: ctx, quiet: false, toStderr: false)
    return 0
  }
}

enum ImportCommand {
  static let spec = CommandSpec(
    "import", usage: "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
    summary: "Import the contents from a tarball to create a filesystem image", aliases: ["image import", "import"],
    flags: [
      .list("change", "c", "Apply Dockerfile instruction to the created image"),
      .string("message", "m", "Set commit message for imported image"),
      .string("platform", nil, "Set platform if server is multi-platform capable"),
    ], arguments: .range(1, 2))

  static let command = Command(spec) { ctx, flags in
    let source = flags.positionals[0]
    var query: [(String, String)] = []
    if flags.positionals.count == 2 {
      let ref = ImageReference(parsing: flags.positionals[1])
      query.append(("repo", ref.familiarName))
      if let tag = ref.tag { query.append(("tag", tag)) }
    }
    if let m = flags.string("message") { query.append(("message", m)) }
    if let p = flags.string("platform") { query.append(("platform", p)) }
    for c in flags.all("change") { query.append(("changes", c)) }
    var fd: Int32?
    if source == "-" {
      fd = ctx.io.stdin
    } else if source.contains("://") {
      query.insert(("fromSrc", source), at: 0)
    } else {
      fd = try FD.open(source, O_RDONLY)
    }
    if fd != nil { query.insert(("fromSrc", "-"), at: 0) }
    defer { if let fd, fd != ctx.io.stdin { FD.close(fd) } }
    let body: EngineClient.Body? = fd.map { .stream(fd: $0, contentType: "application/x-tar") }
    let (_, reader) = try ctx.client().open("POST", "/images/create", query: query, body: body)
    defer { reader.close() }
    var failure: String?
    try reader.forEachLine { line in
      guard let m = try? JSON.parse(line) else { return }
      if let e = m["errorDetail"]?["message"]?.stringValue ?? m["error"]?.stringValue { failure = e }
      if let status = m["status"]?.stringValue { ctx.outLine(status) }
    }
    if let failure { throw CommandError.failure(failure) }
    return 0
  }
}

enum ImagePruneCommand {
  static let spec = CommandSpec(
    "image prune", usage: "[OPTIONS]", summary: "Remove unused images",
    flags: [
      .bool("all", "a", "Remove all unused images, not just dangling ones"),
      .list("filter", nil, "Provide filter values (e.g. \"until=<timestamp>\")"),
      .bool("force", "f", "Do not prompt for confirmation"),
    ], arguments: .none)

  static let command = Command(spec) { ctx, flags in
    let all = flags.bool("all")
    let warning =
      all
      ? "WARNING! This will remove all images without at least one container associated to them."
      : "WARNING! This will remove all dangling images."
    if !flags.bool("force") && !ctx.confirm(warning + "\nAre you sure you want to continue?") { return 0 }
    Pruning.total(ctx, try Pruning.images(ctx, all: all, filters: flags.all("filter")))
    return 0
  }
}
