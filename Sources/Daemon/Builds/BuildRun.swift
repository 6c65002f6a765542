// One POST /build: parse the Dockerfile, run the stages the target needs in order, tag the
// result, and report as dockerd's classic builder does (`Step 2/5 : RUN …`, ` ---> <id>`,
// `Successfully built <id>`), which the docker CLI, the SDK and docker-compose read.
import ContentStore
import Dockerfile
import EngineAPI
import Images
import JSONCoding
import OCI
import Synchronization

/// A build failure reported to the client as the stream's error (dockerd's wording).
struct BuildFailure: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}

struct BuildRun: Sendable {
  let area: BuildArea
  let options: BuildOptions
  let contextDirectory: BuildContextDirectory
  let output: AsyncThrowingStream<ProgressMessage, any Error>.Continuation
  /// Where `say` goes: the client's stream, or (a stage built beside another) a buffer
  /// sent once the stage is done, so each stage's steps read in order.
  var buffer: MessageBuffer?

  var images: ImageStore { area.images }

  /// Progress text (nothing in quiet mode).
  func say(_ text: String) {
    guard !options.quiet else { return }
    if let buffer {
      buffer.append(text)
    } else {
      output.yield(ProgressMessage(stream: text))
    }
  }

  /// What every stage of one build shares.
  struct Plan: Sendable {
    let dockerfile: Dockerfile
    let graph: StageGraph
    let globalArgs: [String: String]
    let buildArgs: [String: String]
    /// The number of the first step of each needed stage (`Step n/total`, in file order).
    let firstStep: [Int: Int]
    let total: Int
  }

  func execute() async throws {
    let tags = try options.tags.map { name -> ImageReference in
      do {
        return try ImageReference(parsing: name)
      } catch {
        throw EngineError.badParameter("invalid reference format: \(name)")
      }
    }
    let dockerfile = try readDockerfile()
    try pruneIgnoredFiles()

    let buildArgs = options.buildArgs.compactMapValues { $0 }
    let globalArgs = try dockerfile.globalScope(buildArgs: buildArgs, predefined: predefinedArgs)
    let graph = try StageGraph(dockerfile, globalArgs: globalArgs, fileName: options.dockerfile)
    let needed = try graph.stagesNeeded(target: options.target)
    var firstStep: [Int: Int] = [:]
    var next = 1
    for index in needed {
      firstStep[index] = next
      next += 1 + dockerfile.stages[index].instructions.count
    }
    let plan = Plan(
      dockerfile: dockerfile, graph: graph, globalArgs: globalArgs, buildArgs: buildArgs, firstStep: firstStep,
      total: next - 1)

    // Stages whose inputs are built run at the same time (StageGraph's waves); the first of
    // a wave reports live, the others when they are done.
    var finished: [Int: StageState] = [:]
    var consumed = Set(globalArgs.keys)
    for wave in try graph.parallelWaves(target: options.target) {
      let done = finished
      let built = try await withThrowingTaskGroup(of: (Int, StageState, MessageBuffer?).self) { group in
        for (position, index) in wave.enumerated() {
          var run = self
          if position > 0 { run.buffer = MessageBuffer() }
          group.addTask {
            (index, try await run.buildStage(index, plan: plan, finished: done), run.buffer)
          }
        }
        var results: [Int: (StageState, MessageBuffer?)] = [:]
        for try await (index, state, buffer) in group { results[index] = (state, buffer) }
        return results
      }
      for index in wave {
        guard let (state, buffer) = built[index] else { continue }
        if let text = buffer?.text, !text.isEmpty { say(text) }
        consumed.formUnion(state.args.keys)
        finished[index] = state
      }
    }

    let target = try graph.targetIndex(options.target)
    guard var final = finished[target] else { throw BuildFailure("the target stage was not built") }
    if !options.labels.isEmpty {
      var labels = final.config.labels ?? [:]
      for (k, v) in options.labels { labels[k] = v }
      final.config.labels = labels
      try await configStep(
        &final,
        description: "LABEL "
          + options.labels.keys.sorted().map {
            "\($0)=\(options.labels[$0] ?? "")"
          }.joined(separator: " "))
    }
    if final.image == nil { try await configStep(&final, description: "") }
    guard let image = final.image else { throw BuildFailure("No image was generated. Is your Dockerfile empty?") }

    let unused = Set(buildArgs.keys).subtracting(consumed).subtracting(Self.proxyArgs).sorted()
    if !unused.isEmpty {
      say("[Warning] One or more build-args [\(unused.joined(separator: " "))] were not consumed\n")
    }
    try await tag(image, as: tags)
  }

  /// Names the result, and says so the way every client parses it.
  private func tag(_ image: Image, as tags: [ImageReference]) async throws {
    let store = images
    try await BlockingPool.shared.run {
      if tags.isEmpty { try store.showUntagged(image) }
      for t in tags { try store.tag(image.id.description, as: t) }
    }
    output.yield(ProgressMessage(aux: .object(["ID": .string(image.id.description)])))
    if options.quiet {
      output.yield(ProgressMessage(stream: image.id.description + "\n"))
      return
    }
    say("Successfully built \(image.id.shortHex)\n")
    for t in tags {
      area.emit("image", "tag", id: image.id.description, ["name": t.familiarString])
      say("Successfully tagged \(t.familiarString)\n")
    }
  }

  /// One stage: its FROM, its base image's ONBUILD triggers, its instructions.
  func buildStage(_ index: Int, plan: Plan, finished: [Int: StageState]) async throws -> StageState {
    let stage = plan.dockerfile.stages[index]
    var counter = StepCounter(total: plan.total, first: plan.firstStep[index] ?? 1)
    var state = try await startStage(
      stage, base: plan.graph.nodes[index].base, finished: finished, counter: &counter, globalArgs: plan.globalArgs)
    for (k, v) in plan.buildArgs where Self.proxyArgs.contains(k) { state.args[k] = v }
    let escape = plan.dockerfile.escape
    let triggers = state.config.onBuild ?? []
    state.config.onBuild = nil
    if !triggers.isEmpty {
      say("# Executing \(triggers.count) build trigger\(triggers.count == 1 ? "" : "s")\n")
      for expression in triggers {
        let trigger = try Dockerfile.parseTrigger(
          expression, line: stage.line, escape: escape, fileName: options.dockerfile)
        try await perform(
          trigger, in: &state, escape: escape, globalArgs: plan.globalArgs, graph: plan.graph, stage: index,
          finished: finished)
      }
    }
    for instruction in stage.instructions {
      say("Step \(counter.next())/\(counter.total) : \(instruction.location.original)\n")
      try await perform(
        instruction, in: &state, escape: escape, globalArgs: plan.globalArgs, graph: plan.graph, stage: index,
        finished: finished)
      if let image = state.image { say(" ---> \(image.id.shortHex)\n") }
    }
    return state
  }

  private func readDockerfile() throws -> Dockerfile {
    guard let bytes = try contextDirectory.readFile(options.dockerfile) else {
      throw EngineError.badParameter(
        "Cannot locate specified Dockerfile: \(options.dockerfile)")
    }
    do {
      return try Dockerfile.parse(String(decoding: bytes, as: UTF8.self), fileName: options.dockerfile)
    } catch {
      throw EngineError.badParameter("failed to parse \(error.description)")
    }
  }

  private func pruneIgnoredFiles() throws {
    let directory = contextDirectory
    guard
      let name = IgnoreFile.pick(
        dockerfilePath: options.dockerfile, exists: { ((try? directory.readFile($0)) ?? nil) != nil }),
      let bytes = try directory.readFile(name)
    else { return }
    let matcher: IgnoreMatcher
    do {
      matcher = try IgnoreMatcher(fileContents: String(decoding: bytes, as: UTF8.self))
    } catch {
      throw EngineError.badParameter("\(name): \(error)")
    }
    try directory.prune(matcher)
  }

  /// The ARGs every Dockerfile may declare without a value (BuildKit's platform ARGs).
  private var predefinedArgs: [String: String] {
    let p = images.platform
    let platform = p.os + "/" + p.architecture + (p.variant.map { "/" + $0 } ?? "")
    return [
      "TARGETPLATFORM": platform, "TARGETOS": p.os, "TARGETARCH": p.architecture, "TARGETVARIANT": p.variant ?? "",
      "BUILDPLATFORM": platform, "BUILDOS": p.os, "BUILDARCH": p.architecture, "BUILDVARIANT": p.variant ?? "",
    ]
  }

  /// Build args every RUN sees without an ARG (the reference's predefined proxy ARGs).
  static let proxyArgs: Set<String> = [
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
    "ALL_PROXY", "all_proxy",
  ]

  // MARK: stages and steps

  private func startStage(
    _ stage: Stage, base: StageGraph.Reference, finished: [Int: StageState], counter: inout StepCounter,
    globalArgs: [String: String]
  ) async throws -> StageState {
    say("Step \(counter.next())/\(counter.total) : \(stage.from.location.original)\n")
    var state: StageState
    switch base {
    case .scratch:
      state = StageState(image: nil, config: ImageConfig.Config())
    case .stage(let i):
      guard let s = finished[i] else { throw BuildFailure("stage \(i) was not built") }
      state = StageState(image: s.image, config: s.config, author: s.author)
    case .image(let name):
      let store = images
      let image: Image
      do {
        image = try await BlockingPool.shared.run { try store.image(name) }
      } catch {
        throw BuildFailure(
          "pull access denied for \(name): the image is not present locally (a build uses local images only)")
      }
      state = StageState(image: image, config: image.config.config ?? ImageConfig.Config())
    }
    if let image = state.image { say(" ---> \(image.id.shortHex)\n") }
    return state
  }

  private func perform(
    _ raw: Instruction, in state: inout StageState, escape: Character, globalArgs: [String: String],
    graph: StageGraph, stage: Int, finished: [Int: StageState]
  ) async throws {
    let instruction: Instruction
    do {
      instruction = try raw.expanded(env: state.substitutionEnvironment, escape: escape, fileName: options.dockerfile)
    } catch {
      throw BuildFailure(error.description)
    }
    switch instruction.kind {
    case .run(let run):
      try await runStep(run, in: &state)
    case .copy(let copy):
      var source = CopySourceRoot.context(contextDirectory)
      if let from = copy.from {
        let reference: StageGraph.Reference
        do {
          reference = try graph.resolve(
            try Substitution.expand(from, env: globalArgs, escape: escape), from: stage, at: instruction.location)
        } catch {
          throw BuildFailure("\(error)")
        }
        source = try await copySourceRoot(reference, finished: finished)
      }
      try await copyStep(
        CopyRequest(copy: copy), from: source, in: &state)
    case .add(let add):
      try await copyStep(
        CopyRequest(add: add), from: .context(contextDirectory),
        in: &state)
    case .workdir(let path):
      state.config.workingDir = state.absolute(path).trimmingSuffix("/")
      try await workdirStep(in: &state, description: "WORKDIR " + (state.config.workingDir ?? "/"))
    case .arg:
      _ = try state.applyConfig(instruction, buildArgs: options.buildArgs, globalArgs: globalArgs)
    default:
      guard try state.applyConfig(instruction, buildArgs: options.buildArgs, globalArgs: globalArgs) else {
        throw BuildFailure("\(instruction.keyword) is not supported")
      }
      try await configStep(&state, description: Self.historyText(instruction))
    }
  }

  /// The history entry of a config-only step: the instruction as written, substituted.
  static func historyText(_ instruction: Instruction) -> String {
    switch instruction.kind {
    case .env(let pairs): return "ENV " + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    case .label(let pairs): return "LABEL " + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    case .expose(let ports): return "EXPOSE " + ports.map { $0.contains("/") ? $0 : $0 + "/tcp" }.joined(separator: " ")
    case .user(let u): return "USER " + u
    case .stopSignal(let s): return "STOPSIGNAL " + s
    case .volume(let v): return "VOLUME " + "[\(v.map { "\"\($0)\"" }.joined(separator: " "))]"
    default: return instruction.location.original
    }
  }

  // MARK: the cache

  /// What makes a step the same step: the image it starts from, what it does, the config it
  /// leaves, and what else it reads (a RUN's ARGs, a COPY's sources).
  func cacheKey(_ state: StageState, description: String, extra: [String]) throws -> String {
    let configJSON = try JSON.encode(state.config, options: JSON.Options(sortedKeys: true))
    let parts =
      [state.image?.id.description ?? "scratch", description, String(decoding: configJSON, as: UTF8.self)]
      + [state.author ?? ""] + extra
    let hasher = SHA256Hasher()
    hasher.update(Array(parts.joined(separator: "\n\u{0}").utf8))
    return hasher.finalize().description
  }

  /// Runs a step through the cache: a hit moves the stage onto the cached image; a miss runs
  /// `make` and remembers what it made.
  func cached(
    _ state: inout StageState, description: String, extra: [String] = [], make: (StageState) async throws -> Image
  ) async throws {
    let key = try cacheKey(state, description: description, extra: extra)
    let store = images
    if !options.noCache, let manifest = area.cache.image(for: key).flatMap({ try? Digest(parsing: $0) }),
      let hit = try? await BlockingPool.shared.run({ try store.image(manifest: manifest) })
    {
      say(" ---> Using cache\n")
      state.image = hit
      return
    }
    let made = try await make(state)
    try area.cache.record(key, image: made.manifestDescriptor.digest.description)
    state.image = made
  }

  /// A step that changes only the config: an image with the same layers and a new config.
  func configStep(_ state: inout StageState, description: String) async throws {
    let store = images
    try await cached(&state, description: description) { s in
      try await BlockingPool.shared.run {
        try store.storeImage(
          config: Self.nextConfig(s, store: store, history: description, emptyLayer: true),
          layers: s.image?.manifest.layers ?? [],
          reference: nil, intermediate: true)
      }
    }
  }

  /// The image config after a step: the parent's, with the stage's config and one more
  /// history entry.
  static func nextConfig(_ s: StageState, store: ImageStore, history: String, emptyLayer: Bool) -> ImageConfig {
    var cfg =
      s.image?.config
      ?? ImageConfig(architecture: store.platform.architecture, os: store.platform.os, variant: store.platform.variant)
    let now = Timestamps.now()
    cfg.created = now
    cfg.config = s.config
    if let author = s.author { cfg.author = author }
    if !history.isEmpty {
      cfg.history =
        (cfg.history ?? []) + [
          ImageConfig.History(created: now, createdBy: history, emptyLayer: emptyLayer ? true : nil)
        ]
    }
    return cfg
  }
}

/// `Step n/total` numbering of one stage's steps.
struct StepCounter {
  let total: Int
  private var done: Int
  init(total: Int, first: Int = 1) {
    self.total = total
    done = first - 1
  }
  mutating func next() -> Int {
    done += 1
    return done
  }
}

/// The messages of a stage built beside another, held until it is done.
final class MessageBuffer: Sendable {
  private let parts = Mutex<[String]>([])
  func append(_ text: String) { parts.withLock { $0.append(text) } }
  var text: String { parts.withLock { $0.joined() } }
}

extension String {
  func trimmingSuffix(_ suffix: String) -> String {
    var s = self
    while s.count > 1 && s.hasSuffix(suffix) { s.removeLast(suffix.count) }
    return s
  }
}
