import EngineClient
import Glibc
import LinuxOS

/// Registry credentials as the docker CLI keeps them: `auths` in config.json (base64
/// `user:password`, or an identity token), or a `docker-credential-<name>` helper chosen by
/// `credHelpers` (per registry) or `credsStore`.
struct Credentials: Equatable {
  /// Docker Hub's key in config.json.
  static let indexServer = "https://index.docker.io/v1/"

  var username = ""
  var password = ""
  var identityToken = ""
  var serverAddress = ""

  var isEmpty: Bool { username.isEmpty && password.isEmpty && identityToken.isEmpty }

  /// The config key for an image's registry: Docker Hub's index URL for docker.io.
  static func serverKey(forImage image: String) -> String {
    let name = ImageReference(parsing: image).name
    let domain = String(name.prefix(while: { $0 != "/" }))
    return domain == "docker.io" ? indexServer : domain
  }

  /// The hostname of a config key ("https://host:5000/v1/" → "host:5000").
  static func hostname(_ key: String) -> String {
    var rest = Substring(key)
    for scheme in ["https://", "http://"] where rest.hasPrefix(scheme) { rest = rest.dropFirst(scheme.count) }
    return String(rest.prefix(while: { $0 != "/" }))
  }

  /// The `X-Registry-Auth` value (base64url JSON; `{}` without credentials, as docker sends).
  var header: String {
    var members: [JSON.Member] = []
    if !username.isEmpty { members.append(.init("username", .string(username))) }
    if !password.isEmpty { members.append(.init("password", .string(password))) }
    if !serverAddress.isEmpty && !isEmpty { members.append(.init("serveraddress", .string(serverAddress))) }
    if !identityToken.isEmpty { members.append(.init("identitytoken", .string(identityToken))) }
    return Base64.encode(Array(JSON.object(members).serialized().utf8), urlSafe: true)
  }

  /// What is stored for `server` (empty credentials when nothing is).
  static func load(_ config: ClientConfig, server: String, environment: [String: String]) throws -> Credentials {
    if let helper = config.credentialHelper(for: server) {
      return try Helper(name: helper, environment: environment).get(server)
    }
    let auths = config.json["auths"]?.objectValue ?? []
    let entry =
      auths.first(where: { $0.key == server })?.value
      ?? auths.first(where: { hostname($0.key) == hostname(server) })?.value
    guard let entry else { return Credentials(serverAddress: server) }
    var credentials = Credentials(serverAddress: server)
    if let auth = entry["auth"]?.stringValue, !auth.isEmpty {
      guard let decoded = Base64.decode(auth), let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
        throw CommandError.failure("invalid auth configuration file")
      }
      credentials.username = String(decoding: decoded[..<colon], as: UTF8.self)
      credentials.password = String(decoding: decoded[(colon + 1)...], as: UTF8.self)
    }
    credentials.identityToken = entry["identitytoken"]?.stringValue ?? ""
    return credentials
  }

  /// Stores credentials for `server`; returns whether they went into the plain file.
  @discardableResult
  static func store(
    _ credentials: Credentials, server: String, config: inout ClientConfig, environment: [String: String]
  )
    throws -> Bool
  {
    var auths = config.json["auths"]?.objectValue ?? []
    auths.removeAll { $0.key == server }
    let plain: Bool
    if let helper = config.credentialHelper(for: server) {
      try Helper(name: helper, environment: environment).store(credentials, server: server)
      auths.append(.init(server, .object([])))
      plain = false
    } else {
      var entry: [JSON.Member] = []
      if !credentials.identityToken.isEmpty {
        entry.append(.init("identitytoken", .string(credentials.identityToken)))
      } else {
        let pair = Array("\(credentials.username):\(credentials.password)".utf8)
        entry.append(.init("auth", .string(Base64.encode(pair))))
      }
      auths.append(.init(server, .object(entry)))
      plain = true
    }
    config.set("auths", .object(auths))
    try config.save()
    return plain
  }

  static func erase(server: String, config: inout ClientConfig, environment: [String: String]) throws {
    if let helper = config.credentialHelper(for: server) {
      try Helper(name: helper, environment: environment).erase(server)
    }
    var auths = config.json["auths"]?.objectValue ?? []
    let before = auths.count
    auths.removeAll { $0.key == server || hostname($0.key) == hostname(server) }
    if auths.count != before || config.json["auths"] == nil {
      config.set("auths", .object(auths))
      try config.save()
    }
  }

  /// The docker-credential-helpers protocol: `get`, `store`, `erase` with the payload on stdin.
  struct Helper {
    let name: String
    let environment: [String: String]

    var program: String { "docker-credential-" + name }

    func get(_ server: String) throws -> Credentials {
      let (code, out) = try run("get", Array(server.utf8))
      let text = String(decoding: out, as: UTF8.self).trimmedWhitespace()
      if code != 0 {
        // "credentials not found in native keychain": nothing stored, as docker treats it.
        if text.contains("credentials not found") { return Credentials(serverAddress: server) }
        throw CommandError.failure("error getting credentials - err: exit status \(code), out: `\(text)`")
      }
      let json = (try? JSON.parse(text)) ?? .null
      var credentials = Credentials(serverAddress: server)
      let user = json["Username"]?.stringValue ?? ""
      let secret = json["Secret"]?.stringValue ?? ""
      if user == "<token>" {
        credentials.identityToken = secret
      } else {
        credentials.username = user
        credentials.password = secret
      }
      return credentials
    }

    func store(_ credentials: Credentials, server: String) throws {
      let user = credentials.identityToken.isEmpty ? credentials.username : "<token>"
      let secret = credentials.identityToken.isEmpty ? credentials.password : credentials.identityToken
      let payload = JSON.object([
        .init("ServerURL", .string(server)), .init("Username", .string(user)), .init("Secret", .string(secret)),
      ])
      let (code, out) = try run("store", Array(payload.serialized().utf8))
      if code != 0 {
        let text = String(decoding: out, as: UTF8.self).trimmedWhitespace()
        throw CommandError.failure("error storing credentials - err: exit status \(code), out: `\(text)`")
      }
    }

    func erase(_ server: String) throws {
      let (code, out) = try run("erase", Array(server.utf8))
      if code != 0 {
        let text = String(decoding: out, as: UTF8.self).trimmedWhitespace()
        throw CommandError.failure("error erasing credentials - err: exit status \(code), out: `\(text)`")
      }
    }

    /// Runs the helper with `input` on stdin; its exit code and stdout+stderr.
    func run(_ verb: String, _ input: [UInt8]) throws -> (Int32, [UInt8]) {
      guard let path = Self.which(program, environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
        throw CommandError.failure(
          "error getting credentials - err: exec: \"\(program)\": executable file not found in $PATH, out: ``")
      }
      let stdinPipe = try FD.pipe()
      let stdoutPipe = try FD.pipe()
      let env = environment.map { "\($0.key)=\($0.value)" }
      let pid: pid_t
      do {
        pid = try Processes.spawn(
          path, [program, verb], environment: env, fds: [stdinPipe.read, stdoutPipe.write, stdoutPipe.write])
      } catch {
        for fd in [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write] { FD.close(fd) }
        throw error
      }
      FD.close(stdinPipe.read)
      FD.close(stdoutPipe.write)
      // Small payloads: the pipe buffer holds them, so writing before reading cannot block.
      do {
        try FD.write(stdinPipe.write, input)
      } catch {
        printError("berth: writing to \(program): \(error)")
      }
      FD.close(stdinPipe.write)
      let output = (try? FD.readAll(stdoutPipe.read)) ?? []
      FD.close(stdoutPipe.read)
      let exit = try Processes.wait(pid)
      return (exit?.code ?? 1, output)
    }

    static func which(_ program: String, _ path: String) -> String? {
      for dir in path.split(separator: ":") where access("\(dir)/\(program)", X_OK) == 0 {
        return "\(dir)/\(program)"
      }
      return nil
    }
  }
}

extension CommandContext {
  /// The `X-Registry-Auth` header for pulling or pushing `image`, from the stored credentials.
  func registryAuthHeader(forImage image: String) -> (String, String) {
    let server = Credentials.serverKey(forImage: image)
    do {
      let config = try loadConfig()
      return ("X-Registry-Auth", try Credentials.load(config, server: server, environment: environment).header)
    } catch {
      errLine("WARNING: \(describe(error))")
      return ("X-Registry-Auth", Credentials().header)
    }
  }
}
