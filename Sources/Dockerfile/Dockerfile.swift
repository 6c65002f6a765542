/// A parsed Dockerfile: its directives, the global ARGs before the first FROM, and its
/// stages. Parsing is pure (text in, value out) and never traps; every error names a line.
public struct Dockerfile: Equatable, Sendable {
  public var directives: Directives
  /// ARG instructions before the first FROM: usable in FROM lines only (and in a stage
  /// that re-declares them without a value).
  public var metaArgs: [Instruction]
  public var stages: [Stage]
  /// Accepted constructs BuildKit warns about (MAINTAINER, empty continuation lines …).
  public var warnings: [DockerfileWarning]

  public init(directives: Directives, metaArgs: [Instruction], stages: [Stage], warnings: [DockerfileWarning] = []) {
    self.directives = directives
    self.metaArgs = metaArgs
    self.stages = stages
    self.warnings = warnings
  }

  /// The escape character in effect (`\` unless `# escape=` said otherwise).
  public var escape: Character { directives.escape }

  /// The global ARG definitions in order (names and unexpanded defaults).
  public var metaArgDefinitions: [ArgDefinition] {
    metaArgs.flatMap { instruction -> [ArgDefinition] in
      if case .arg(let defs) = instruction.kind { return defs }
      return []
    }
  }

  /// Parses Dockerfile text. `fileName` is used in error messages (`Dockerfile:3: …`).
  public static func parse(_ text: String, fileName: String = "Dockerfile") throws(DockerfileError) -> Dockerfile {
    let lexed = try Lexer(fileName: fileName).lex(text)
    let escape = lexed.directives.escape.unicodeScalars.first ?? "\\"
    let parser = InstructionParser(escape: escape)
    var metaArgs: [Instruction] = []
    var stages: [Stage] = []
    var warnings = lexed.warnings
    var names: [String: Int] = [:]
    for line in lexed.lines {
      let location = SourceSpan(
        startLine: line.startLine, endLine: line.endLine, original: line.text, source: line.source)
      func failure(_ message: String) -> DockerfileError {
        DockerfileError(line: line.startLine, endLine: line.endLine, message: message, fileName: fileName)
      }
      let kind: InstructionKind
      do {
        kind = try parser.parse(line.text, heredocs: line.heredocs, location: location)
      } catch {
        throw failure(error.message)
      }
      let instruction = Instruction(kind: kind, location: location)
      switch kind {
      case .from(let from):
        if let name = from.stageName {
          if let previous = names[name] {
            throw failure("duplicate stage name \"\(name)\" (first used by stage \(previous))")
          }
          names[name] = stages.count
        }
        stages.append(
          Stage(
            index: stages.count, name: from.stageName, baseName: from.baseName, platform: from.platform,
            from: instruction, instructions: []))
      case .arg where stages.isEmpty:
        metaArgs.append(instruction)
      default:
        guard !stages.isEmpty else { throw failure("no build stage in current context") }
        if case .maintainer = kind {
          warnings.append(
            DockerfileWarning(
              line: line.startLine, message: "The MAINTAINER instruction is deprecated, use a label instead"))
        }
        stages[stages.count - 1].instructions.append(instruction)
        stages[stages.count - 1].endLine = line.endLine
      }
    }
    if lexed.lines.isEmpty {
      throw DockerfileError(
        line: max(1, Lexer.physicalLines(text).count), message: "file with no instructions", fileName: fileName)
    }
    if stages.isEmpty {
      let last = lexed.lines.last?.endLine ?? 1
      throw DockerfileError(line: last, message: "dockerfile contains no stages to build", fileName: fileName)
    }
    return Dockerfile(directives: lexed.directives, metaArgs: metaArgs, stages: stages, warnings: warnings)
  }
}

/// One build stage: a FROM and the instructions up to the next FROM.
public struct Stage: Equatable, Sendable {
  /// 0-based position (what `COPY --from=0` refers to).
  public var index: Int
  /// `AS name`, lower-cased.
  public var name: String?
  /// The FROM image or stage, unexpanded.
  public var baseName: String
  /// FROM's `--platform`, unexpanded.
  public var platform: String?
  /// The FROM instruction itself.
  public var from: Instruction
  /// The instructions after FROM.
  public var instructions: [Instruction]
  /// Line of the FROM.
  public var line: Int
  /// Last line of the stage's last instruction.
  public var endLine: Int

  public init(
    index: Int, name: String?, baseName: String, platform: String?, from: Instruction, instructions: [Instruction]
  ) {
    self.index = index
    self.name = name
    self.baseName = baseName
    self.platform = platform
    self.from = from
    self.instructions = instructions
    self.line = from.location.startLine
    self.endLine = instructions.last?.location.endLine ?? from.location.endLine
  }

  /// The name if it has one, else its index (how BuildKit prints a stage).
  public var displayName: String { name ?? String(index) }
}
