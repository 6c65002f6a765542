import EngineClient
import LinuxOS

/// `berth context create|ls|use|rm|inspect|show` on docker's context store.
enum ContextCommands {
  static let create = Command(
    CommandSpec(
      "context create", usage: "[OPTIONS] CONTEXT", summary: "Create a context",
      flags: [
        .string("description", nil, "Description of the context"),
        .typed("stringToString", "docker", nil, "set the docker endpoint (default [])"),
        .string("from", nil, "create context from a named context"),
      ], arguments: .exactly(1))
  ) { ctx, flags in
    let name = flags.positionals[0]
    try ContextStore.validate(name)
    if name == ContextStore.defaultName {
      throw CommandError.failure("\"default\" is a reserved context name")
    }
    let store = ctx.contextStore
    if store.exists(name) { throw CommandError.failure("context \(goQuote(name)) already exists") }
    let endpoint = try parseEndpoint(flags.all("docker"))
    if flags.string("from") != nil && !endpoint.isEmpty {
      throw CommandError.failure("cannot use --docker flag when --from is set")
    }
    var context: ContextStore.Context
    var tlsFiles: [(String, String)] = []
    if endpoint.isEmpty {
      // No endpoint: a copy of --from, or of the current context.
      let source = try flags.string("from") ?? ctx.currentContextName()
      let base =
        source == ContextStore.defaultName
        ? ContextStore.defaultContext(environment: ctx.environment) : try store.load(source)
      context = base
      context.name = name
      if let description = flags.string("description") { context.description = description }
      let dir = store.tlsDirectory(source) + "/docker"
      for kind in ["ca", "cert", "key"] where source != ContextStore.defaultName {
        if Files.exists(dir + "/\(kind).pem") { tlsFiles.append((kind, dir + "/\(kind).pem")) }
      }
    } else {
      if let from = endpoint["from"] {
        let base =
          from == ContextStore.defaultName
          ? ContextStore.defaultContext(environment: ctx.environment) : try store.load(from)
        context = ContextStore.Context(
          name: name, description: "", host: base.host, skipTLSVerify: base.skipTLSVerify, meta: nil)
      } else {
        context = ContextStore.Context(name: name, description: "", host: "", skipTLSVerify: false, meta: nil)
      }
      context.description = flags.string("description") ?? ""
      tlsFiles = try apply(endpoint, to: &context, environment: ctx.environment)
    }
    try store.save(context)
    try store.saveTLS(name, files: tlsFiles)
    ctx.outLine(name)
    ctx.errLine("Successfully created context \(goQuote(name))")
    return 0
  }

  /// Sets the endpoint fields `--docker` gives; returns the TLS files to copy.
  static func apply(_ endpoint: [String: String], to context: inout ContextStore.Context, environment: [String: String])
    throws -> [(String, String)]
  {
    if let host = endpoint["host"] {
      do {
        _ = try EngineHost(parsing: host)
      } catch {
        throw CommandError.failure("unable to parse docker host `\(host)`")
      }
      context.host = host
    }
    if let skip = endpoint["skip-tls-verify"] {
      guard let value = FlagParser.parseBool(skip) else {
        throw CommandError.failure(
          "name: \(goQuote("skip-tls-verify")): strconv.ParseBool: parsing \(goQuote(skip)): invalid syntax")
      }
      context.skipTLSVerify = value
    }
    return ["ca", "cert", "key"].compactMap { kind in
      endpoint[kind].map { (kind, expandHome($0, environment)) }
    }
  }

  static let update = Command(
    CommandSpec(
      "context update", usage: "[OPTIONS] CONTEXT", summary: "Update a context",
      flags: [
        .string("description", nil, "Description of the context"),
        .typed("stringToString", "docker", nil, "set the docker endpoint (default [])"),
      ], arguments: .exactly(1))
  ) { ctx, flags in
    let name = flags.positionals[0]
    if name == ContextStore.defaultName { throw CommandError.failure("\"default\" is a reserved context name") }
    let store = ctx.contextStore
    var context = try store.load(name)
    if let description = flags.string("description") { context.description = description }
    let endpoint = try parseEndpoint(flags.all("docker"))
    var tlsFiles: [(String, String)] = []
    if !endpoint.isEmpty {
      // A new endpoint replaces the old one whole, TLS files included.
      context.host = ""
      context.skipTLSVerify = false
      tlsFiles = try apply(endpoint, to: &context, environment: ctx.environment)
      try Files.removeTree(store.tlsDirectory(name))
    }
    try store.save(context)
    try store.saveTLS(name, files: tlsFiles)
    ctx.outLine(name)
    ctx.errLine("Successfully updated context \(goQuote(name))")
    return 0
  }

  static func expandHome(_ path: String, _ environment: [String: String]) -> String {
    path.hasPrefix("~/") ? (environment["HOME"] ?? "") + path.dropFirst(1) : path
  }

  /// `--docker host=…,skip-tls-verify=true` (pflag's stringToString: comma-separated pairs).
  static func parseEndpoint(_ values: [String]) throws -> [String: String] {
    var out: [String: String] = [:]
    let known: Set = ["from", "host", "ca", "cert", "key", "skip-tls-verify"]
    for value in values {
      for pair in value.split(separator: ",") {
        guard let eq = pair.firstIndex(of: "=") else {
          throw CommandError.failure(
            "invalid argument \(goQuote(value)) for \"--docker\" flag: \(pair) must be formatted as key=value")
        }
        let key = String(pair[..<eq])
        guard known.contains(key) else { throw CommandError.failure("unrecognized config key: \(key)") }
        out[key] = String(pair[pair.index(after: eq)...])
      }
    }
    return out
  }

  static let list = Command(
    CommandSpec(
      "context ls", usage: "[OPTIONS]", summary: "List contexts", aliases: ["context ls", "context list"],
      flags: [
        .string(
          "format", nil,
          "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
        ),
        .bool("quiet", "q", "Only show context names"),
      ], arguments: .none)
  ) { ctx, flags in
    let current = try ctx.currentContextName()
    var contexts = ctx.contextStore.list()
    contexts.append(ContextStore.defaultContext(environment: ctx.environment))
    contexts.sort { $0.name < $1.name }
    let format = flags.string("format") ?? ""
    let isTable = format.isEmpty || format.hasPrefix("table")
    let rows = contexts.map { c -> JSON in
      let isCurrent = c.name == current
      return .object([
        .init("Current", .bool(isCurrent)), .init("Description", .string(c.description)),
        .init("DockerEndpoint", .string(c.host)), .init("Error", .string("")),
        .init("Name", .string(isTable && isCurrent ? c.name + " *" : c.name)),
      ])
    }
    if flags.bool("quiet") {
      for c in contexts { ctx.outLine(c.name) }
      return 0
    }
    let formatter = ListFormatter(
      defaultTable: "table {{.Name}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}",
      headers: ["Name": "NAME", "Description": "DESCRIPTION", "DockerEndpoint": "DOCKER ENDPOINT", "Error": "ERROR"])
    ctx.out(try formatter.render(format: flags.string("format"), rows: rows, quietTemplate: "{{.Name}}"))
    if !(ctx.environment["DOCKER_HOST"] ?? "").isEmpty {
      ctx.errLine(
        "Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable."
      )
    }
    return 0
  }

  static let use = Command(
    CommandSpec("context use", usage: "CONTEXT", summary: "Set the current context", arguments: .exactly(1))
  ) { ctx, flags in
    let name = flags.positionals[0]
    if name != ContextStore.defaultName { _ = try ctx.contextStore.load(name) }
    var config = try ctx.loadConfig()
    // As docker: "default" is stored as no current context.
    config.set("currentContext", name == ContextStore.defaultName ? nil : .string(name))
    try config.save()
    ctx.outLine(name)
    ctx.errLine("Current context is now \(goQuote(name))")
    if !(ctx.environment["DOCKER_HOST"] ?? "").isEmpty {
      ctx.errLine(
        "Warning: DOCKER_HOST environment variable overrides the active context. To use \(goQuote(name)), either set the global --context flag, or unset DOCKER_HOST environment variable."
      )
    }
    return 0
  }

  static let remove = Command(
    CommandSpec(
      "context rm", usage: "CONTEXT [CONTEXT...]", summary: "Remove one or more contexts",
      aliases: ["context rm", "context remove"],
      flags: [.bool("force", "f", "Force the removal of a context in use")], arguments: .atLeast(1))
  ) { ctx, flags in
    let store = ctx.contextStore
    var config = try ctx.loadConfig()
    var errors: [String] = []
    for name in flags.positionals {
      if name == ContextStore.defaultName {
        errors.append("default: context \"default\" cannot be removed")
        continue
      }
      guard store.exists(name) else {
        errors.append("context \(goQuote(name)) does not exist")
        continue
      }
      if config.currentContext == name {
        guard flags.bool("force") else {
          errors.append("context \(goQuote(name)) is in use, set -f flag to force remove")
          continue
        }
        config.set("currentContext", nil)
        try config.save()
      }
      try store.remove(name)
      ctx.outLine(name)
    }
    if !errors.isEmpty { throw CommandError.failure(errors.joined(separator: "\n")) }
    return 0
  }

  static let inspect = Command(
    CommandSpec(
      "context inspect", usage: "[OPTIONS] [CONTEXT] [CONTEXT...]",
      summary: "Display detailed information on one or more contexts",
      flags: [
        .string(
          "format", "f",
          "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
        )
      ])
  ) { ctx, flags in
    let store = ctx.contextStore
    let names = flags.positionals.isEmpty ? [try ctx.currentContextName()] : flags.positionals
    var values: [JSON] = []
    var failure: String?
    for name in names {
      do {
        values.append(try describe(name, store: store, environment: ctx.environment))
      } catch {
        failure = BerthCommands.describe(error)
        break
      }
    }
    if let format = flags.string("format"), format != "json" {
      for value in values { ctx.outLine(try renderTemplate(format, value)) }
    } else {
      ctx.outLine(JSON.array(values).pretty(escapeHTML: true))
    }
    if let failure { throw CommandError.failure(failure) }
    return 0
  }

  /// What `context inspect` prints for one context.
  static func describe(_ name: String, store: ContextStore, environment: [String: String]) throws -> JSON {
    let isDefault = name == ContextStore.defaultName
    let context = isDefault ? ContextStore.defaultContext(environment: environment) : try store.load(name)
    var metadata: [JSON.Member] = []
    if !isDefault && !context.description.isEmpty {
      metadata.append(.init("Description", .string(context.description)))
    }
    var tls: [JSON.Member] = []
    let tlsDir = store.tlsDirectory(name) + "/docker"
    let files = ["ca", "cert", "key"].filter { !isDefault && Files.exists(tlsDir + "/\($0).pem") }
    if !files.isEmpty { tls.append(.init("docker", .array(files.map { .string("\($0).pem") }))) }
    return .object([
      .init("Name", .string(context.name)),
      .init("Metadata", context.meta?["Metadata"] ?? .object(metadata)),
      .init(
        "Endpoints",
        .object([
          .init(
            "docker",
            .object([.init("Host", .string(context.host)), .init("SkipTLSVerify", .bool(context.skipTLSVerify))]))
        ])),
      .init("TLSMaterial", .object(tls)),
      .init(
        "Storage",
        .object([
          .init("MetadataPath", .string(isDefault ? "<IN MEMORY>" : store.metaDirectory(name))),
          .init("TLSPath", .string(isDefault ? "<IN MEMORY>" : store.tlsDirectory(name))),
        ])),
    ])
  }

  static let show = Command(
    CommandSpec("context show", usage: "", summary: "Print the name of the current context", arguments: .none)
  ) { ctx, _ in
    ctx.outLine(try ctx.currentContextName())
    return 0
  }
}
