@testable import Dockerfile

/// A compact, line-per-node rendering of the AST, so corpus fixtures can state their
/// expected tree readably.
enum ASTDump {
  static func render(_ df: Dockerfile) -> String {
    var out: [String] = []
    let d = df.directives
    out.append("directives syntax=\(d.syntax.map(q) ?? "-") escape=\(d.escape) check=\(d.check.map(check) ?? "-")")
    for a in df.metaArgs { out.append("meta \(span(a.location)) \(kind(a.kind))") }
    for s in df.stages {
      out.append(
        "stage \(s.index) name=\(s.name ?? "-") base=\(s.baseName) platform=\(s.platform ?? "-") lines=\(s.line)-\(s.endLine)"
      )
      for i in s.instructions { out.append("  \(span(i.location)) \(kind(i.kind))") }
    }
    for w in df.warnings { out.append("warning \(w.line): \(w.message)") }
    return out.joined(separator: "\n")
  }

  static func q(_ s: String) -> String { s.debugDescription }
  static func span(_ l: SourceSpan) -> String { "\(l.startLine)-\(l.endLine)" }
  static func check(_ c: CheckDirective) -> String {
    "skip=\(c.skipAll ? "all" : c.skip.joined(separator: ",")) error=\(c.error)"
  }
  static func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ", ") + "]" }
  static func form(_ f: CommandForm) -> String {
    switch f {
    case .exec(let a): return "exec\(list(a))"
    case .shell(let s): return "shell(\(q(s)))"
    }
  }
  static func heredoc(_ h: Heredoc) -> String {
    var flags = [String]()
    if !h.expand { flags.append("noexpand") }
    if h.chomp { flags.append("chomp") }
    if let fd = h.fileDescriptor { flags.append("fd=\(fd)") }
    return "<<\(h.name)\(flags.isEmpty ? "" : "(" + flags.joined(separator: ",") + ")")=\(q(h.content))"
  }
  static func sources(_ s: [CopySource]) -> String {
    s.map {
      switch $0 {
      case .path(let p): return q(p)
      case .heredoc(let h): return heredoc(h)
      }
    }.joined(separator: " ")
  }
  static func opt(_ name: String, _ v: String?) -> String? { v.map { "\(name)=\(q($0))" } }
  static func flag(_ name: String, _ v: Bool?) -> String? { v.map { "\(name)=\($0)" } }
  static func mount(_ m: MountSpec) -> String {
    guard let p = m.parsed else { return "mount(raw \(q(m.raw)))" }
    let parts: [String?] = [
      "type=\(p.type.rawValue)", opt("target", p.target), opt("source", p.source), opt("from", p.from),
      "ro=\(p.readOnly)", opt("id", p.id), p.sharing.map { "sharing=\($0.rawValue)" },
      p.mode.map { "mode=0" + String($0, radix: 8) }, p.uid.map { "uid=\($0)" }, p.gid.map { "gid=\($0)" },
      p.required ? "required" : nil, p.size.map { "size=\($0)" }, opt("env", p.env),
    ]
    return "mount(" + parts.compactMap { $0 }.joined(separator: " ") + ")"
  }

  static func kind(_ k: InstructionKind) -> String {
    switch k {
    case .from(let f): return "FROM \(q(f.baseName)) as=\(f.stageName ?? "-")"
    case .run(let r):
      var parts = ["RUN", form(r.command)]
      parts += r.heredocs.map(heredoc)
      parts += r.mounts.map(mount)
      if let n = r.network { parts.append("network=\(n.rawValue)") }
      if let s = r.security { parts.append("security=\(s.rawValue)") }
      return parts.joined(separator: " ")
    case .cmd(let f): return "CMD \(form(f))"
    case .entrypoint(let f): return "ENTRYPOINT \(form(f))"
    case .copy(let c):
      let flags: [String?] = [
        opt("from", c.from), opt("chown", c.chown), opt("chmod", c.chmod), c.link ? "link" : nil,
        c.parents ? "parents" : nil, c.excludes.isEmpty ? nil : "exclude=\(list(c.excludes))",
        c.isJSONForm ? "json" : nil,
      ]
      return (["COPY"] + flags.compactMap { $0 } + [sources(c.sources), "->", q(c.destination)]).joined(separator: " ")
    case .add(let a):
      let flags: [String?] = [
        opt("chown", a.chown), opt("chmod", a.chmod), a.link ? "link" : nil, flag("keep-git-dir", a.keepGitDir),
        opt("checksum", a.checksum), flag("unpack", a.unpack), a.excludes.isEmpty ? nil : "exclude=\(list(a.excludes))",
        a.isJSONForm ? "json" : nil,
      ]
      return (["ADD"] + flags.compactMap { $0 } + [sources(a.sources), "->", q(a.destination)]).joined(separator: " ")
    case .workdir(let w): return "WORKDIR \(q(w))"
    case .env(let p): return "ENV " + p.map { "\(q($0.key))=\(q($0.value))" }.joined(separator: " ")
    case .label(let p): return "LABEL " + p.map { "\(q($0.key))=\(q($0.value))" }.joined(separator: " ")
    case .arg(let a):
      return "ARG "
        + a.map { def in def.defaultValue.map { "\(def.name)=\(q($0))" } ?? def.name }.joined(separator: " ")
    case .expose(let p): return "EXPOSE \(list(p))"
    case .user(let u): return "USER \(q(u))"
    case .volume(let v): return "VOLUME \(list(v))"
    case .healthcheck(let h):
      guard case .check(let c) = h else { return "HEALTHCHECK NONE" }
      let o: [String?] = [
        c.interval.map { "interval=\($0)" }, c.timeout.map { "timeout=\($0)" },
        c.startPeriod.map { "start-period=\($0)" },
        c.startInterval.map { "start-interval=\($0)" }, c.retries.map { "retries=\($0)" },
      ]
      return (["HEALTHCHECK"] + o.compactMap { $0 } + [list(h.test)]).joined(separator: " ")
    case .shell(let s): return "SHELL \(list(s))"
    case .stopSignal(let s): return "STOPSIGNAL \(q(s))"
    case .onbuild(let o): return "ONBUILD {\(kind(o.trigger.kind))} expression=\(q(o.expression))"
    case .maintainer(let m): return "MAINTAINER \(q(m))"
    }
  }
}
