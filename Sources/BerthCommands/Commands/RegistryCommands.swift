import EngineClient
import Glibc
import LinuxOS

/// `berth push`, `login` and `logout`.
enum PushCommand {
  static let spec = CommandSpec(
    "push", usage: "[OPTIONS] NAME[:TAG]", summary: "Upload an image to a registry", aliases: ["image push", "push"],
    flags: [
      .bool("all-tags", "a", "Push all tags of an image to the repository"),
      .bool("disable-content-trust", nil, "Skip image signing (default true)"),
      .string("platform", nil, "Push a platform-specific manifest as a single-platform image to the registry."),
      .bool("quiet", "q", "Suppress verbose output"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let image = flags.positionals[0]
    let ref = ImageReference(parsing: image)
    let quiet = flags.bool("quiet")
    let allTags = flags.bool("all-tags")
    if allTags && ref.tag != nil { throw CommandError.failure("tag can't be used with --all-tags/-a") }
    if !allTags && ref.tag == nil && ref.digest == nil && !quiet { ctx.outLine("Using default tag: latest") }
    var query: [(String, String)] = []
    if !allTags { query.append(("tag", ref.tag ?? "latest")) }
    if let platform = flags.string("platform"), !platform.isEmpty {
      // The API takes the OCI platform as JSON ("linux/arm64/v8" → os, architecture, variant).
      let parts = platform.split(separator: "/").map { JSON.string(String($0)) }
      var members = [JSON.Member("architecture", parts.count > 1 ? parts[1] : .string(platform))]
      members.append(JSON.Member("os", parts.count > 1 ? parts[0] : .string("linux")))
      if parts.count > 2 { members.append(JSON.Member("variant", parts[2])) }
      query.append(("platform", JSON.object(members).serialized()))
    }
    let (_, body) = try ctx.client().open(
      "POST", "/images/\(pathEscape(ref.name))/push", query: query,
      headers: [ctx.registryAuthHeader(forImage: image)])
    defer { body.close() }
    try ProgressDisplay.consume(body, ctx: ctx, quiet: quiet, toStderr: false)
    if quiet { ctx.outLine(ref.tag == nil && ref.digest == nil && !allTags ? image + ":latest" : image) }
    return 0
  }
}

enum LoginCommand {
  static let spec = CommandSpec(
    "login", usage: "[OPTIONS] [SERVER]",
    summary:
      "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
    flags: [
      .string("password", "p", "Password or Personal Access Token (PAT)"),
      .bool("password-stdin", nil, "Take the Password or Personal Access Token (PAT) from stdin"),
      .string("username", "u", "Username"),
    ], arguments: .range(0, 1))

  static let command = Command(spec) { ctx, flags in
    var server = flags.positionals.first ?? Credentials.indexServer
    if server == "docker.io" || server == "index.docker.io" { server = Credentials.indexServer }
    var username = flags.string("username")?.trimmedWhitespace() ?? ""
    var password = flags.string("password") ?? ""
    if flags.isSet("password") {
      ctx.errLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
      if flags.bool("password-stdin") {
        throw CommandError.failure("--password and --password-stdin are mutually exclusive")
      }
    }
    if flags.bool("password-stdin") {
      if username.isEmpty { throw CommandError.failure("Must provide --username with --password-stdin") }
      var bytes = (try? FD.readAll(ctx.io.stdin)) ?? []
      while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
      password = String(decoding: bytes, as: UTF8.self)
    }
    var config = try ctx.loadConfig()
    if username.isEmpty && password.isEmpty {
      // No credentials given: try the stored ones first, as docker does.
      let stored = try Credentials.load(config, server: server, environment: ctx.environment)
      if !stored.isEmpty {
        ctx.outLine("Authenticating with existing credentials...")
        if let token = try? authenticate(ctx, stored, server: server) {
          var saved = stored
          if !token.isEmpty { saved.identityToken = token }
          try finish(ctx, saved, server: server, config: &config)
          return 0
        }
      }
    }
    if username.isEmpty || password.isEmpty {
      guard isatty(ctx.io.stdin) == 1 else {
        throw CommandError.failure("Error: Cannot perform an interactive login from a non TTY device")
      }
      if username.isEmpty {
        ctx.out("Username: ")
        username = readLine(ctx.io.stdin).trimmedWhitespace()
        if username.isEmpty { throw CommandError.failure("Error: Non-null Username Required") }
      }
      if password.isEmpty {
        ctx.out("Password: ")
        let saved = try? Terminals.makeRaw(ctx.io.stdin)
        password = readLine(ctx.io.stdin)
        if let saved { Terminals.restore(ctx.io.stdin, saved) }
        ctx.outLine("")
        if password.isEmpty { throw CommandError.failure("Error: Password Required") }
      }
    }
    var credentials = Credentials(username: username, password: password, serverAddress: server)
    let token = try authenticate(ctx, credentials, server: server)
    if !token.isEmpty {
      credentials.password = ""
      credentials.identityToken = token
    }
    try finish(ctx, credentials, server: server, config: &config)
    return 0
  }

  /// POST /auth; returns the identity token the daemon may hand back.
  static func authenticate(_ ctx: CommandContext, _ credentials: Credentials, server: String) throws -> String {
    var body: [JSON.Member] = []
    if !credentials.username.isEmpty { body.append(.init("username", .string(credentials.username))) }
    if !credentials.password.isEmpty { body.append(.init("password", .string(credentials.password))) }
    body.append(.init("serveraddress", .string(server)))
    if !credentials.identityToken.isEmpty { body.append(.init("identitytoken", .string(credentials.identityToken))) }
    let answer = try ctx.client().json("POST", "/auth", body: .json(.object(body)))
    return answer["IdentityToken"]?.stringValue ?? ""
  }

  static func finish(_ ctx: CommandContext, _ credentials: Credentials, server: String, config: inout ClientConfig)
    throws
  {
    let plain: Bool
    do {
      plain = try Credentials.store(credentials, server: server, config: &config, environment: ctx.environment)
    } catch {
      throw CommandError.failure("Error saving credentials: \(describe(error))")
    }
    if plain {
      ctx.errLine(
        "\nWARNING! Your credentials are stored unencrypted in '\(config.path)'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n"
      )
    }
    ctx.outLine("Login Succeeded")
  }

  static func readLine(_ fd: Int32) -> String {
    var line: [UInt8] = []
    while let chunk = try? FD.read(fd, max: 1), let byte = chunk.first, byte != UInt8(ascii: "\n"),
      byte != UInt8(ascii: "\r")
    {
      line.append(byte)
    }
    return String(decoding: line, as: UTF8.self)
  }
}

enum LogoutCommand {
  static let spec = CommandSpec(
    "logout", usage: "[SERVER]",
    summary: "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
    arguments: .range(0, 1))

  static let command = Command(spec) { ctx, flags in
    var server = flags.positionals.first ?? Credentials.indexServer
    if server == "docker.io" || server == "index.docker.io" { server = Credentials.indexServer }
    var config = try ctx.loadConfig()
    ctx.outLine("Removing login credentials for \(server)")
    do {
      try Credentials.erase(server: server, config: &config, environment: ctx.environment)
    } catch {
      ctx.errLine("WARNING: could not erase credentials:\n\(server): \(describe(error))")
    }
    return 0
  }
}
