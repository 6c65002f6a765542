// The config-only instructions of a build, applied with no I/O.
import Dockerfile
import OCI
import Testing

@testable import Daemon

@Suite struct StageStateTests {
  static func apply(_ text: String, to state: inout StageState, buildArgs: [String: String?] = [:]) throws {
    let parsed = try Dockerfile.parse("FROM x\n" + text)
    for instruction in parsed.stages[0].instructions {
      let expanded = try instruction.expanded(env: state.substitutionEnvironment)
      #expect(try state.applyConfig(expanded, buildArgs: buildArgs, globalArgs: ["G": "global"]))
    }
  }

  @Test func entrypointResetsAnInheritedCmdButNotOneOfThisStage() throws {
    var inherited = StageState(image: nil, config: ImageConfig.Config(cmd: ["sh"]))
    try Self.apply("ENTRYPOINT [\"/bin/app\"]", to: &inherited)
    #expect(inherited.config.entrypoint == ["/bin/app"] && inherited.config.cmd == nil)
    var own = StageState(image: nil, config: ImageConfig.Config(cmd: ["sh"]))
    try Self.apply("CMD [\"--flag\"]\nENTRYPOINT /bin/app", to: &own)
    #expect(own.config.entrypoint == ["/bin/sh", "-c", "/bin/app"] && own.config.cmd == ["--flag"])
  }

  @Test func argsEnvAndWhatARunSees() throws {
    var s = StageState(image: nil, config: ImageConfig.Config(env: ["PATH=/bin"]))
    try Self.apply("ARG A=default\nARG B\nARG G\nENV A=fromenv C=$B", to: &s, buildArgs: ["B": "given", "U": "unused"])
    #expect(s.args == ["A": "default", "B": "given", "G": "global"])
    #expect(s.config.env == ["PATH=/bin", "A=fromenv", "C=given"])
    // ENV wins over an ARG of the same name; ARGs reach RUN but not the image.
    #expect(s.substitutionEnvironment["A"] == "fromenv")
    #expect(s.runEnvironment == ["PATH=/bin", "A=fromenv", "C=given", "B=given", "G=global"])
  }

  @Test func metadataInstructions() throws {
    var s = StageState(image: nil, config: ImageConfig.Config())
    try Self.apply(
      "EXPOSE 80 53/UDP\nLABEL a=b \"c d\"=e\nUSER app:app\nVOLUME /data\nSTOPSIGNAL SIGINT\nSHELL [\"/bin/bash\", \"-c\"]\n"
        + "CMD echo hi\nHEALTHCHECK --interval=5s CMD true\nONBUILD RUN echo child\nMAINTAINER someone",
      to: &s)
    #expect(s.config.exposedPorts?.keys.sorted() == ["53/udp", "80/tcp"])
    #expect(s.config.labels == ["a": "b", "c d": "e"])
    #expect(s.config.user == "app:app" && s.config.volumes?.keys.sorted() == ["/data"])
    #expect(s.config.stopSignal == "SIGINT")
    #expect(s.config.cmd == ["/bin/bash", "-c", "echo hi"], "CMD's shell form uses SHELL")
    #expect(s.config.healthcheck?.test == ["CMD-SHELL", "true"] && s.config.healthcheck?.interval == 5_000_000_000)
    #expect(s.config.onBuild == ["RUN echo child"] && s.author == "someone")
    #expect(throws: (any Error).self) { try Self.apply("EXPOSE nope", to: &s) }
  }

  @Test func pathsBelowTheWorkingDirectory() {
    var s = StageState(image: nil, config: ImageConfig.Config())
    #expect(s.absolute("a/b") == "/a/b" && s.absolute(".") == "/")
    s.config.workingDir = "/app"
    #expect(s.absolute("src/") == "/app/src/" && s.absolute("../etc") == "/etc" && s.absolute("/x") == "/x")
  }
}
