/// One instruction of a stage, with where it came from.
public struct Instruction: Equatable, Sendable {
  public var kind: InstructionKind
  public var location: SourceSpan

  public init(kind: InstructionKind, location: SourceSpan) {
    self.kind = kind
    self.location = location
  }

  /// The upper-case keyword (`RUN`, `COPY` …).
  public var keyword: String { kind.keyword }
}

/// What an instruction does. Strings are kept as written (quotes and `$` references
/// included) wherever the builder must substitute variables first; see `Substitution`.
public indirect enum InstructionKind: Equatable, Sendable {
  case from(FromInstruction)
  case run(RunInstruction)
  /// CMD: the container's default command.
  case cmd(CommandForm)
  /// ENTRYPOINT: the container's executable.
  case entrypoint(CommandForm)
  case copy(CopyInstruction)
  case add(AddInstruction)
  /// WORKDIR path, unexpanded (the whole rest of the line: spaces are allowed).
  case workdir(String)
  /// ENV pairs, keys and values unexpanded.
  case env([KeyValue])
  /// ARG definitions, unexpanded.
  case arg([ArgDefinition])
  /// EXPOSE ports (`80`, `53/udp`, `$PORT`), unexpanded; expand with `expandWords`.
  case expose([String])
  /// LABEL pairs, keys and values unexpanded.
  case label([KeyValue])
  /// USER `name[:group]`, unexpanded.
  case user(String)
  /// VOLUME paths, unexpanded.
  case volume([String])
  case healthcheck(Healthcheck)
  /// SHELL: always the JSON form.
  case shell([String])
  /// STOPSIGNAL, unexpanded.
  case stopSignal(String)
  case onbuild(OnbuildInstruction)
  /// MAINTAINER (deprecated): the image's author.
  case maintainer(String)

  public var keyword: String {
    switch self {
    case .from: "FROM"
    case .run: "RUN"
    case .cmd: "CMD"
    case .entrypoint: "ENTRYPOINT"
    case .copy: "COPY"
    case .add: "ADD"
    case .workdir: "WORKDIR"
    case .env: "ENV"
    case .arg: "ARG"
    case .expose: "EXPOSE"
    case .label: "LABEL"
    case .user: "USER"
    case .volume: "VOLUME"
    case .healthcheck: "HEALTHCHECK"
    case .shell: "SHELL"
    case .stopSignal: "STOPSIGNAL"
    case .onbuild: "ONBUILD"
    case .maintainer: "MAINTAINER"
    }
  }
}

/// The exec (JSON) or shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
public enum CommandForm: Equatable, Sendable {
  /// `["executable", "arg"]`: run directly, no substitution.
  case exec([String])
  /// `command args`: run with the stage's SHELL (`/bin/sh -c` by default).
  case shell(String)

  /// True for the exec form.
  public var isExec: Bool {
    if case .exec = self { return true }
    return false
  }
}

/// `key=value` of ENV and LABEL (also the legacy `ENV key value`).
public struct KeyValue: Equatable, Sendable {
  public var key: String
  public var value: String
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

/// `ARG name[=default]`.
public struct ArgDefinition: Equatable, Sendable {
  public var name: String
  /// Nil when written without `=`.
  public var defaultValue: String?
  public init(name: String, defaultValue: String? = nil) {
    self.name = name
    self.defaultValue = defaultValue
  }
}

/// `FROM [--platform=p] image [AS name]`.
public struct FromInstruction: Equatable, Sendable {
  /// The image or stage reference, unexpanded (expand with the global ARGs only).
  public var baseName: String
  /// The stage name, lower-cased as BuildKit does.
  public var stageName: String?
  /// `--platform`, unexpanded.
  public var platform: String?

  public init(baseName: String, stageName: String? = nil, platform: String? = nil) {
    self.baseName = baseName
    self.stageName = stageName
    self.platform = platform
  }

  /// `FROM scratch`: an empty filesystem.
  public var isScratch: Bool { baseName.lowercased() == "scratch" }
}

/// `ONBUILD <instruction>`: a trigger stored in the image config.
public struct OnbuildInstruction: Equatable, Sendable {
  /// The trigger, parsed (and validated) like any instruction.
  public var trigger: Instruction
  /// The text docker stores in `OnBuild`: the trigger as written, heredoc bodies appended.
  public var expression: String

  public init(trigger: Instruction, expression: String) {
    self.trigger = trigger
    self.expression = expression
  }
}
