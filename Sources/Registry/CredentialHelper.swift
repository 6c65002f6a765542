// The docker-credential-<name> helper protocol: `get` (stdin: server URL; stdout:
// {"ServerURL","Username","Secret"}), `store` (stdin: that JSON), `erase` (stdin: server URL).
// A Username of "<token>" means the Secret is an identity token. Started through LinuxOS's
// spawn helper (berthd never forks).
import FoundationEssentials
import Glibc
import LinuxOS

public struct CredentialHelper: Sendable {
  /// The helper's suffix: "pass" for docker-credential-pass.
  public var name: String
  /// Directories searched for the executable (PATH by default).
  public var searchPath: [String]

  public init(name: String, searchPath: [String]? = nil) {
    self.name = name
    self.searchPath =
      searchPath
      ?? (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(
        separator: ":"
      ).map(String.init)
  }

  public enum HelperError: Error, CustomStringConvertible {
    case notInstalled(String)
    case failed(helper: String, verb: String, output: String)
    case badOutput(helper: String, output: String)

    public var description: String {
      switch self {
      case .notInstalled(let n):
        return "credential helper docker-credential-\(n) not found in PATH; install it or remove it from config.json"
      case .failed(let h, let v, let o):
        return "credential helper \(h) \(v) failed: \(o.trimmingCharacters(in: .whitespacesAndNewlines))"
      case .badOutput(let h, let o): return "credential helper \(h) printed an unexpected answer: \(o)"
      }
    }
  }

  struct Entry: Codable {
    var ServerURL: String?
    var Username: String?
    var Secret: String?
  }

  static let tokenUsername = "<token>"

  /// Credentials for `serverURL`, nil when the helper has none.
  public func get(_ serverURL: String) throws -> RegistryCredentials? {
    let (status, out) = try run("get", input: Array(serverURL.utf8))
    let text = String(decoding: out, as: UTF8.self)
    guard status == 0 else {
      if text.contains("credentials not found") { return nil }
      throw HelperError.failed(helper: executableName, verb: "get", output: text)
    }
    guard let e = try? JSONDecoder().decode(Entry.self, from: Data(out)) else {
      throw HelperError.badOutput(helper: executableName, output: String(text.prefix(200)))
    }
    // Some helpers (Debian's docker-credential-pass 0.6.4) answer an unknown server with
    // empty fields and status 0.
    if (e.Username ?? "").isEmpty && (e.Secret ?? "").isEmpty { return nil }
    if e.Username == Self.tokenUsername {
      return RegistryCredentials(identityToken: e.Secret)
    }
    return RegistryCredentials(username: e.Username, password: e.Secret)
  }

  public func store(_ credentials: RegistryCredentials, for serverURL: String) throws {
    let entry: Entry
    if let token = credentials.identityToken, !token.isEmpty {
      entry = Entry(ServerURL: serverURL, Username: Self.tokenUsername, Secret: token)
    } else {
      entry = Entry(ServerURL: serverURL, Username: credentials.username, Secret: credentials.password)
    }
    let (status, out) = try run("store", input: Array(try JSONEncoder().encode(entry)))
    guard status == 0 else {
      throw HelperError.failed(
        helper: executableName, verb: "store", output: String(decoding: out, as: UTF8.self))
    }
  }

  public func erase(_ serverURL: String) throws {
    let (status, out) = try run("erase", input: Array(serverURL.utf8))
    let text = String(decoding: out, as: UTF8.self)
    guard status == 0 || text.contains("credentials not found") else {
      throw HelperError.failed(helper: executableName, verb: "erase", output: text)
    }
  }

  var executableName: String { "docker-credential-" + name }

  func executablePath() throws -> String {
    for dir in searchPath where !dir.isEmpty {
      let p = dir + "/" + executableName
      if access(p, X_OK) == 0 { return p }
    }
    throw HelperError.notInstalled(name)
  }

  /// Runs `helper verb` with `input` on stdin; returns its exit code and stdout+stderr.
  func run(_ verb: String, input: [UInt8]) throws -> (Int32, [UInt8]) {
    let path = try executablePath()
    let stdin = try FD.pipe()
    let stdout = try FD.pipe()
    var inRead: Int32? = stdin.read
    var outWrite: Int32? = stdout.write
    defer {
      inRead.map(FD.close)
      outWrite.map(FD.close)
      FD.close(stdout.read)
    }
    let env = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
    let pid = try Processes.spawn(
      path, [path, verb], environment: env, fds: [stdin.read, stdout.write, stdout.write])
    inRead.map(FD.close)
    inRead = nil
    outWrite.map(FD.close)
    outWrite = nil
    // The input is a URL or a small JSON: far below a pipe's buffer, so writing it all
    // before reading cannot deadlock.
    var writeError: (any Error)?
    do {
      try FD.write(stdin.write, input)
    } catch {
      writeError = error  // a helper that exits without reading: reported with its status
    }
    FD.close(stdin.write)
    var out = try FD.readAll(stdout.read)
    guard let exit = try Processes.wait(pid) else {
      throw HelperError.failed(helper: executableName, verb: verb, output: "no exit status")
    }
    if exit.code != 0, let writeError { out += Array(" (writing its input: \(writeError))".utf8) }
    return (exit.code, out)
  }
}
