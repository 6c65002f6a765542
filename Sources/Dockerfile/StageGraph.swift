/// How the stages of a Dockerfile depend on each other: which stage or image each FROM,
/// `COPY --from` and `RUN --mount=from=` names, which stages a `--target` needs, and which
/// of them can be built at the same time.
public struct StageGraph: Equatable, Sendable {
  /// What a FROM, `--from` or `from=` refers to.
  public enum Reference: Equatable, Sendable, Hashable {
    /// An earlier stage of this Dockerfile, by index.
    case stage(Int)
    /// An image reference (or a named build context), as written after substitution.
    case image(String)
    /// `FROM scratch`.
    case scratch
  }

  /// One stage's edges.
  public struct Node: Equatable, Sendable {
    public var index: Int
    /// The FROM base, substituted with the global ARGs.
    public var base: Reference
    /// The FROM `--platform`, substituted with the global ARGs.
    public var platform: String?
    /// Every stage this one reads (base, `COPY --from`, mounts), ascending.
    public var dependencies: [Int]
    /// Images this stage reads besides its base (`COPY --from=nginx:latest`).
    public var imageSources: [String]
  }

  public private(set) var nodes: [Node]
  private let names: [String: Int]

  /// Builds the graph. `globalArgs` is the environment of FROM lines (see
  /// `Dockerfile.globalScope`); flag values with `$` in COPY/mount sources are substituted
  /// with it too, which is what they can refer to when they name a stage.
  public init(_ dockerfile: Dockerfile, globalArgs: [String: String] = [:], fileName: String = "Dockerfile")
    throws(DockerfileError)
  {
    var names: [String: Int] = [:]
    for stage in dockerfile.stages {
      if let name = stage.name { names[name] = stage.index }
    }
    self.names = names
    nodes = []
    let escape = dockerfile.escape
    for stage in dockerfile.stages {
      func fail(_ message: String, _ location: SourceSpan) -> DockerfileError {
        DockerfileError(line: location.startLine, endLine: location.endLine, message: message, fileName: fileName)
      }
      func substitute(_ text: String, _ location: SourceSpan) throws(DockerfileError) -> String {
        do {
          return try Substitution.expand(text, env: globalArgs, escape: escape)
        } catch {
          throw error.at(location, fileName: fileName)
        }
      }
      let baseName = try substitute(stage.baseName, stage.from.location)
      guard !baseName.isEmpty else {
        throw fail("base name (\(stage.baseName)) should not be blank", stage.from.location)
      }
      let base: Reference
      if baseName.lowercased() == "scratch" {
        base = .scratch
      } else if let i = names[baseName.lowercased()] {
        guard i < stage.index else {
          throw fail(Self.laterMessage(baseName, i, stage.index, dockerfile), stage.from.location)
        }
        base = .stage(i)
      } else {
        base = .image(baseName)
      }
      var deps: Set<Int> = []
      if case .stage(let i) = base { deps.insert(i) }
      var images: [String] = []
      for instruction in stage.instructions {
        for raw in Self.sources(of: instruction.kind) {
          let text = try substitute(raw, instruction.location)
          let ref = try Self.resolve(text, in: stage.index, names: names, dockerfile: dockerfile) {
            fail($0, instruction.location)
          }
          switch ref {
          case .stage(let i): deps.insert(i)
          case .image(let name): if !images.contains(name) { images.append(name) }
          case .scratch: break
          }
        }
      }
      let platform = try stage.platform.map { (p: String) throws(DockerfileError) -> String in
        try substitute(p, stage.from.location)
      }
      nodes.append(
        Node(index: stage.index, base: base, platform: platform, dependencies: deps.sorted(), imageSources: images))
    }
  }

  /// The stage index for a name (case-insensitive) or a decimal index, if it exists.
  public func stageIndex(_ nameOrIndex: String) -> Int? {
    if let i = Int(nameOrIndex), nameOrIndex.allSatisfy(\.isNumber) { return i < nodes.count && i >= 0 ? i : nil }
    return names[nameOrIndex.lowercased()]
  }

  /// What a `--from`/`from=` value (already substituted) refers to from stage `stage`:
  /// an earlier stage by name or index, else an image. A later stage or the stage itself
  /// is an error, located at `location` when given (line 0 otherwise).
  public func resolve(_ reference: String, from stage: Int, at location: SourceSpan? = nil) throws(DockerfileError)
    -> Reference
  {
    try Self.resolve(reference, in: stage, names: names, dockerfile: nil) {
      DockerfileError(line: location?.startLine ?? 0, endLine: location?.endLine, message: $0)
    }
  }

  /// The stages `target` needs (itself and everything it reads, transitively), ascending.
  /// `target` nil means the last stage. An unknown target is an error.
  public func stagesNeeded(target: String? = nil) throws(DockerfileError) -> [Int] {
    let root = try targetIndex(target)
    var seen: Set<Int> = []
    var stack = [root]
    while let i = stack.popLast() {
      guard seen.insert(i).inserted else { continue }
      stack.append(contentsOf: nodes[i].dependencies)
    }
    return seen.sorted()
  }

  /// The needed stages grouped into waves: every stage of a wave depends only on stages of
  /// earlier waves, so the stages within one wave can run in parallel.
  public func parallelWaves(target: String? = nil) throws(DockerfileError) -> [[Int]] {
    let needed = try stagesNeeded(target: target)
    var level: [Int: Int] = [:]
    for i in needed {  // Ascending order: dependencies always have smaller indices.
      level[i] = (nodes[i].dependencies.compactMap { level[$0] }.max() ?? -1) + 1
    }
    let depth = (level.values.max() ?? -1) + 1
    var waves = Array(repeating: [Int](), count: depth)
    for i in needed { if let l = level[i] { waves[l].append(i) } }
    return waves
  }

  /// The stage index `--target` names (nil: the last stage).
  public func targetIndex(_ target: String?) throws(DockerfileError) -> Int {
    guard let target else {
      guard !nodes.isEmpty else { throw DockerfileError(line: 0, message: "dockerfile contains no stages to build") }
      return nodes.count - 1
    }
    guard let i = names[target.lowercased()] else {
      throw DockerfileError(line: 0, message: "target stage \"\(target)\" could not be found")
    }
    return i
  }

  static func sources(of kind: InstructionKind) -> [String] {
    switch kind {
    case .copy(let c): return c.from.map { [$0] } ?? []
    case .run(let r):
      return r.mounts.compactMap { spec in
        if let parsed = spec.parsed { return parsed.from }
        // Unresolved mounts: `from=` itself cannot use variables (BuildKit), so read it raw.
        let fields = (try? CSVFields.parse(spec.raw)) ?? []  // Malformed CSV fails when resolved.
        return fields.first(where: { $0.lowercased().hasPrefix("from=") }).map { String($0.dropFirst(5)) }
      }
    default: return []
    }
  }

  static func laterMessage(_ reference: String, _ target: Int, _ current: Int, _ dockerfile: Dockerfile?) -> String {
    if target == current { return "stage \"\(reference)\" refers to itself" }
    let line = dockerfile.map { " (line \($0.stages[target].line))" } ?? ""
    return "stage \"\(reference)\" is defined after the stage that uses it\(line); only earlier stages can be used"
  }

  private static func resolve(
    _ reference: String, in stage: Int, names: [String: Int], dockerfile: Dockerfile?,
    fail: (String) -> DockerfileError
  ) throws(DockerfileError) -> Reference {
    if !reference.isEmpty, reference.allSatisfy({ $0.isASCII && $0.isNumber }) {
      guard let i = Int(reference), i < stage else {
        if Int(reference) == stage { throw fail("stage \"\(reference)\" refers to itself") }
        throw fail("invalid stage index \(reference): only earlier stages (0..<\(stage)) can be used")
      }
      return .stage(i)
    }
    if let i = names[reference.lowercased()] {
      guard i < stage else { throw fail(laterMessage(reference, i, stage, dockerfile)) }
      return .stage(i)
    }
    if reference.lowercased() == "scratch" { return .scratch }
    return .image(reference)
  }
}

extension Dockerfile {
  /// The environment FROM lines see: each global ARG in order, valued from `buildArgs`
  /// when given there, else its default substituted with what came before. `predefined`
  /// (TARGETPLATFORM, BUILDPLATFORM … and proxies) is visible underneath.
  public func globalScope(buildArgs: [String: String] = [:], predefined: [String: String] = [:])
    throws(DockerfileError) -> [String: String]
  {
    var env = predefined
    for instruction in metaArgs {
      guard case .arg(let defs) = instruction.kind else { continue }
      for def in defs {
        if let given = buildArgs[def.name] {
          env[def.name] = given
        } else if let d = def.defaultValue {
          do {
            env[def.name] = try Substitution.expand(d, env: env, escape: escape)
          } catch {
            throw error.at(instruction.location)
          }
        } else if env[def.name] == nil {
          continue
        }
      }
    }
    return env
  }
}
