extension Instruction {
  /// The instruction with variables substituted exactly where BuildKit substitutes them,
  /// from `env` (the stage's ARG and ENV values before this instruction; for FROM, the
  /// global scope). Every pair of one ENV or LABEL sees the same `env` (the reference's
  /// `ENV abc=bye def=$abc` rule).
  ///
  /// - COPY/ADD: sources, destination, `--chown`, `--chmod`, `--exclude`, `--checksum`,
  ///   and heredoc bodies whose delimiter was not quoted. `--from` is left as written:
  ///   `StageGraph` resolves it with the global ARGs.
  /// - ENV and LABEL keys and values; ARG defaults; EXPOSE (split into words); USER,
  ///   WORKDIR, STOPSIGNAL, VOLUME entries; FROM's image and `--platform`.
  /// - RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER and ONBUILD are unchanged: the
  ///   shell (or the downstream build) does their substitution. A RUN's `MountSpec`s
  ///   resolve with `MountSpec.resolved`.
  public func expanded(env: [String: String], escape: Character = "\\", fileName: String = "Dockerfile")
    throws(DockerfileError) -> Instruction
  {
    func word(_ s: String) throws(DockerfileError) -> String {
      do {
        return try Substitution.expand(s, env: env, escape: escape)
      } catch {
        throw error.at(location, fileName: fileName)
      }
    }
    func words(_ list: [String]) throws(DockerfileError) -> [String] {
      var out: [String] = []
      for s in list { out.append(try word(s)) }
      return out
    }
    func optional(_ s: String?) throws(DockerfileError) -> String? {
      guard let s else { return nil }
      return try word(s)
    }
    func sources(_ list: [CopySource]) throws(DockerfileError) -> [CopySource] {
      var out: [CopySource] = []
      for source in list {
        switch source {
        case .path(let p): out.append(.path(try word(p)))
        case .heredoc(var doc):
          if doc.expand {
            do {
              doc.content = try Substitution.expandHeredoc(doc.content, env: env)
            } catch {
              throw error.at(location, fileName: fileName)
            }
          }
          out.append(.heredoc(doc))
        }
      }
      return out
    }
    func pairs(_ list: [KeyValue]) throws(DockerfileError) -> [KeyValue] {
      var out: [KeyValue] = []
      for pair in list { out.append(KeyValue(key: try word(pair.key), value: try word(pair.value))) }
      return out
    }

    var result = self
    switch kind {
    case .from(var from):
      from.baseName = try word(from.baseName)
      from.platform = try optional(from.platform)
      result.kind = .from(from)
    case .copy(var copy):
      copy.sources = try sources(copy.sources)
      copy.destination = try word(copy.destination)
      copy.chown = try optional(copy.chown)
      copy.chmod = try optional(copy.chmod)
      copy.excludes = try words(copy.excludes)
      result.kind = .copy(copy)
    case .add(var add):
      add.sources = try sources(add.sources)
      add.destination = try word(add.destination)
      add.chown = try optional(add.chown)
      add.chmod = try optional(add.chmod)
      add.checksum = try optional(add.checksum)
      add.excludes = try words(add.excludes)
      result.kind = .add(add)
    case .env(let list):
      result.kind = .env(try pairs(list))
    case .label(let list):
      result.kind = .label(try pairs(list))
    case .arg(let defs):
      var out: [ArgDefinition] = []
      for def in defs { out.append(ArgDefinition(name: def.name, defaultValue: try optional(def.defaultValue))) }
      result.kind = .arg(out)
    case .expose(let ports):
      var out: [String] = []
      for port in ports {
        do {
          out += try Substitution.expandWords(port, env: env, escape: escape)
        } catch {
          throw error.at(location, fileName: fileName)
        }
      }
      result.kind = .expose(out)
    case .user(let u):
      result.kind = .user(try word(u))
    case .workdir(let w):
      result.kind = .workdir(try word(w))
    case .stopSignal(let s):
      result.kind = .stopSignal(try word(s))
    case .volume(let v):
      let paths = try words(v)
      if paths.contains(where: { $0.isEmpty }) {
        throw DockerfileError(
          line: location.startLine, endLine: location.endLine, message: "VOLUME specified can not be an empty string",
          fileName: fileName)
      }
      result.kind = .volume(paths)
    case .run, .cmd, .entrypoint, .shell, .healthcheck, .maintainer, .onbuild:
      break
    }
    return result
  }
}
