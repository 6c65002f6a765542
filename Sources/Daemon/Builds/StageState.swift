// What one stage of a build has reached: its image so far, the config the next image gets,
// and the ARG values in scope. The config-only instructions are applied here, with no I/O.
import Dockerfile
import EngineAPI
import Images
import OCI

struct StageState: Sendable {
  /// The image the stage stands on now; nil for `FROM scratch` before its first layer.
  var image: Image?
  var config: ImageConfig.Config
  /// MAINTAINER's author.
  var author: String?
  /// The ARGs this stage declared, with their values.
  var args: [String: String] = [:]

  /// What `$name` means in this stage: its ARGs, then its ENV (ENV wins).
  var substitutionEnvironment: [String: String] {
    var env = args
    for (k, v) in Self.pairs(config.env ?? []) { env[k] = v }
    return env
  }

  /// The environment of a RUN: the config's ENV, and the ARGs no ENV overrides.
  var runEnvironment: [String] {
    var env = config.env ?? []
    let set = Set(Self.pairs(env).map(\.0))
    for (k, v) in args.sorted(by: { $0.key < $1.key }) where !set.contains(k) { env.append(k + "=" + v) }
    return env
  }

  /// The ARG values a RUN sees that the image does not keep (part of its cache key).
  var argsOnlyForRun: [String] { args.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value } }

  /// The shell of shell-form commands.
  var shell: [String] { config.shell.flatMap { $0.isEmpty ? nil : $0 } ?? ["/bin/sh", "-c"] }

  /// The working directory (`/` when none is set).
  var workingDirectory: String { config.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/" }

  /// `path` inside the image: absolute as written, else below the working directory.
  func absolute(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : workingDirectory + "/" + path
    let clean = PathClean.clean(joined)
    return path.hasSuffix("/") && clean != "/" ? clean + "/" : clean
  }

  static func pairs(_ env: [String]) -> [(String, String)] {
    env.map { kv in
      let parts = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
  }

  static func setEnv(_ key: String, _ value: String, in env: inout [String]) {
    let entry = key + "=" + value
    if let i = env.firstIndex(where: { $0 == key || $0.hasPrefix(key + "=") }) {
      env[i] = entry
    } else {
      env.append(entry)
    }
  }

  /// Applies an instruction that changes only the config (or the ARGs). `instruction` is
  /// already substituted. Returns false for an instruction this does not handle.
  mutating func applyConfig(_ instruction: Instruction, buildArgs: [String: String?], globalArgs: [String: String])
    throws -> Bool
  {
    switch instruction.kind {
    case .env(let pairs):
      var env = config.env ?? []
      for p in pairs { Self.setEnv(p.key, p.value, in: &env) }
      config.env = env
    case .label(let pairs):
      var labels = config.labels ?? [:]
      for p in pairs { labels[p.key] = p.value }
      config.labels = labels
    case .arg(let defs):
      for def in defs {
        if let given = buildArgs[def.name], let value = given {
          args[def.name] = value
        } else if let d = def.defaultValue {
          args[def.name] = d
        } else if let global = globalArgs[def.name] {
          args[def.name] = global
        }
      }
    case .expose(let ports):
      var exposed = config.exposedPorts ?? [:]
      for p in ports {
        let port = p.contains("/") ? p.lowercased() : p + "/tcp"
        guard let number = port.split(separator: "/").first, !number.isEmpty,
          number.split(separator: "-").allSatisfy({ UInt16($0) != nil })
        else {
          throw EngineError.badParameter("EXPOSE: invalid port \"\(p)\"")
        }
        exposed[port] = ImageConfig.Empty()
      }
      config.exposedPorts = exposed
    case .user(let u):
      config.user = u
    case .volume(let paths):
      var volumes = config.volumes ?? [:]
      for p in paths { volumes[p] = ImageConfig.Empty() }
      config.volumes = volumes
    case .stopSignal(let s):
      config.stopSignal = s
    case .shell(let s):
      config.shell = s
    case .cmd(let form):
      config.cmd = command(form)
    case .entrypoint(let form):
      config.entrypoint = command(form)
      // An ENTRYPOINT resets a CMD inherited from the base image (the reference's rule).
      if !cmdSetInStage { config.cmd = nil }
    case .healthcheck(let h):
      switch h {
      case .none:
        config.healthcheck = ImageConfig.Healthcheck(test: ["NONE"])
      case .check(let c):
        config.healthcheck = ImageConfig.Healthcheck(
          test: h.test, interval: c.interval, timeout: c.timeout, startPeriod: c.startPeriod,
          startInterval: c.startInterval, retries: c.retries)
      }
    case .onbuild(let o):
      config.onBuild = (config.onBuild ?? []) + [o.expression]
    case .maintainer(let m):
      author = m
    default:
      return false
    }
    if case .cmd = instruction.kind { cmdSetInStage = true }
    return true
  }

  /// Whether this stage's own CMD was given (so a later ENTRYPOINT keeps it).
  var cmdSetInStage = false

  /// CMD, ENTRYPOINT: the exec form as written, the shell form under the stage's shell.
  func command(_ form: CommandForm) -> [String] {
    switch form {
    case .exec(let args): return args
    case .shell(let line): return shell + [line]
    }
  }
}
