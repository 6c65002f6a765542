// `berth build`: sends the context directory (or a tar on stdin) to POST /build and shows
// the builder's stream as it comes. Making the tar takes the Archive library, so like
// `berth cp` this runs in `berth-cp` (see CopyTarWork.swift).
import EngineClient
import Glibc
import LinuxOS

enum BuildCommand {
  static let spec = CommandSpec(
    "build", usage: "[OPTIONS] PATH | -", summary: "Build an image from a Dockerfile",
    aliases: ["image build", "build", "builder build"],
    flags: [
      .list("tag", "t", "Name and optionally a tag in the \"name:tag\" format"),
      .string("file", "f", "Name of the Dockerfile (default: \"PATH/Dockerfile\")"),
      .list("build-arg", nil, "Set build-time variables"),
      .string("target", nil, "Set the target build stage to build."),
      .bool("no-cache", nil, "Do not use cache when building the image"),
      .list("label", nil, "Set metadata for an image"),
      .bool("quiet", "q", "Suppress the build output and print image ID on success"),
      .string("iidfile", nil, "Write the image ID to the file"),
      .string("progress", nil, "Set type of progress output (auto, plain, tty)", default: "auto"),
      .string("network", nil, "Set the networking mode for the RUN instructions during build", default: "default"),
      .list("secret", nil, "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")"),
      .bool("rm", nil, "Remove intermediate containers after a successful build (always)"),
      .bool("pull", nil, "Always attempt to pull a newer version of the image"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    guard let tarWork = CopyHelper.tarWork else { try CopyHelper.execHelper() }
    guard ["auto", "plain", "tty"].contains(flags.string("progress") ?? "auto") else {
      throw CommandError.status("invalid --progress: use auto, plain or tty", 125)
    }
    guard flags.all("secret").isEmpty else {
      throw CommandError.failure("--secret is not supported by this builder yet")
    }
    let source = flags.positionals[0]
    var query = try buildQuery(flags)
    if source == "-" {
      try send(query: query, body: .stream(fd: ctx.io.stdin, contentType: "application/x-tar"), ctx: ctx, flags: flags)
      return 0
    }
    if source.contains("://") || source.hasPrefix("git@") {
      throw CommandError.failure("building from a URL or git repository is not supported yet: \(source)")
    }
    let cwd = try CopyCommand.currentDirectory()
    let root = CopyPaths.absolute(source, cwd: cwd)
    guard Files.isDirectory(root) else {
      throw CommandError.failure("unable to prepare context: path \"\(source)\" not found")
    }
    if let file = flags.string("file") {
      let path = file.hasPrefix("/") ? file : cwd + "/" + file
      let prefix = root.hasSuffix("/") ? root : root + "/"
      guard path.hasPrefix(prefix) else {
        throw CommandError.failure("the Dockerfile (\(file)) must be inside the build context (\(source))")
      }
      query.append(("dockerfile", String(path.dropFirst(prefix.count))))
    }
    let rootFD = try FD.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { FD.close(rootFD) }
    try CopyCommand.pumping(
      produce: { fd in
        try tarWork.archive(at: rootFD, ".", as: ".", output: { chunk in try CopyCommand.sendAll(fd, chunk) })
      },
      consume: { fd in
        try send(query: query, body: .stream(fd: fd, contentType: "application/x-tar"), ctx: ctx, flags: flags)
      })
    return 0
  }

  static func buildQuery(_ flags: ParsedFlags) throws -> [(String, String)] {
    var query: [(String, String)] = []
    for t in flags.all("tag") { query.append(("t", t)) }
    if let target = flags.string("target") { query.append(("target", target)) }
    if flags.bool("no-cache") { query.append(("nocache", "1")) }
    if flags.bool("quiet") { query.append(("q", "1")) }
    if flags.bool("pull") { query.append(("pull", "1")) }
    if let network = flags.string("network"), network != "default" { query.append(("networkmode", network)) }
    var args: [JSON.Member] = []
    for a in flags.all("build-arg") {
      let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      // `--build-arg NAME` takes the value from the environment, as docker does.
      if parts.count == 2 {
        args.append(JSON.Member(parts[0], .string(parts[1])))
      } else if let value = getenv(parts[0]) {
        args.append(JSON.Member(parts[0], .string(String(cString: value))))
      }
    }
    if !args.isEmpty { query.append(("buildargs", JSON.object(args).serialized())) }
    var labels: [JSON.Member] = []
    for l in flags.all("label") {
      let parts = l.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      labels.append(JSON.Member(parts[0], .string(parts.count == 2 ? parts[1] : "")))
    }
    if !labels.isEmpty { query.append(("labels", JSON.object(labels).serialized())) }
    return query
  }

  /// Posts the context and prints the stream; the image ID goes to `--iidfile` and, with
  /// `-q`, to stdout.
  static func send(query: [(String, String)], body: EngineClient.Body, ctx: CommandContext, flags: ParsedFlags) throws {
    let (_, reader) = try ctx.client().open("POST", "/build", query: query, body: body)
    defer { reader.close() }
    var imageID: String?
    var failure: String?
    try reader.forEachLine { line in
      guard failure == nil, !line.trimmedWhitespace().isEmpty, let message = try? JSON.parse(line) else { return }
      if let error = message["errorDetail"]?["message"]?.stringValue ?? message["error"]?.stringValue {
        failure = error
        return
      }
      if let id = message["aux"]?["ID"]?.stringValue { imageID = id }
      if !flags.bool("quiet"), let text = message["stream"]?.stringValue { try? FD.write(ctx.io.stdout, text) }
    }
    if let failure { throw CommandError.failure(failure) }
    guard let imageID else { throw CommandError.failure("the daemon did not report the built image's ID") }
    if flags.bool("quiet") { try FD.write(ctx.io.stdout, imageID + "\n") }
    if let iidfile = flags.string("iidfile") { try Files.writeAtomically(iidfile, Array(imageID.utf8)) }
  }
}
