import Testing

@testable import Dockerfile

/// Multi-stage references, `--target` and parallel stages.
struct StageGraphTests {
  static let multi = """
    ARG BASE=alpine
    FROM ${BASE}:3.19 AS base
    RUN apk add gcc

    FROM golang AS tools
    RUN go install x

    FROM base AS build
    COPY --from=tools /go/bin/x /usr/bin/
    RUN --mount=type=bind,from=docs,target=/docs make

    FROM scratch AS docs
    COPY README /

    FROM base AS test
    RUN --mount=from=0,target=/b true

    FROM scratch
    COPY --from=build /app /app
    COPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf
    """

  @Test func forwardReferenceIsAnError() {
    let df = try? Dockerfile.parse(Self.multi)
    #expect(df != nil)
    guard let df else { return }
    #expect(throws: DockerfileError.self) { try StageGraph(df) }
    do {
      _ = try StageGraph(df)
    } catch {
      #expect(error.line == 10)
      #expect(
        error.message
          == "stage \"docs\" is defined after the stage that uses it (line 12); only earlier stages can be used")
    }
  }

  func graph(_ text: String, args: [String: String] = [:]) throws -> StageGraph {
    let df = try parse(text)
    return try StageGraph(df, globalArgs: try df.globalScope(buildArgs: args))
  }

  var valid: String { Self.multi.replacing("from=docs,", with: "from=tools,") }

  @Test func edges() throws {
    let g = try graph(valid)
    #expect(g.nodes.map(\.base) == [.image("alpine:3.19"), .image("golang"), .stage(0), .scratch, .stage(0), .scratch])
    #expect(g.nodes.map(\.dependencies) == [[], [], [0, 1], [], [0], [2]])
    #expect(g.nodes[5].imageSources == ["nginx:latest"])
  }

  @Test func buildArgsOverrideGlobalDefaults() throws {
    let g = try graph(valid, args: ["BASE": "debian"])
    #expect(g.nodes[0].base == .image("debian:3.19"))
  }

  @Test("stages the target does not need are skipped")
  func target() throws {
    let g = try graph(valid)
    #expect(try g.stagesNeeded() == [0, 1, 2, 5])
    #expect(try g.stagesNeeded(target: "TEST") == [0, 4])
    #expect(try g.stagesNeeded(target: "docs") == [3])
    #expect(throws: DockerfileError(line: 0, message: "target stage \"nope\" could not be found")) {
      try g.stagesNeeded(target: "nope")
    }
  }

  @Test("independent stages share a wave and can run in parallel")
  func waves() throws {
    let g = try graph(valid)
    #expect(try g.parallelWaves() == [[0, 1], [2], [5]])
    let two = try graph("FROM a AS x\nRUN x\nFROM b AS y\nRUN y\nFROM scratch\nCOPY --from=x / /\nCOPY --from=1 / /")
    #expect(try two.parallelWaves() == [[0, 1], [2]])
  }

  @Test func resolveReferences() throws {
    let g = try graph(valid)
    #expect(try g.resolve("build", from: 5) == .stage(2))
    #expect(try g.resolve("2", from: 5) == .stage(2))
    #expect(try g.resolve("ubuntu:22.04", from: 5) == .image("ubuntu:22.04"))
    #expect(throws: DockerfileError.self) { try g.resolve("9", from: 5) }
    #expect(throws: DockerfileError.self) { try g.resolve("test", from: 2) }
    #expect(g.stageIndex("Build") == 2)
    #expect(g.stageIndex("7") == nil)
  }

  @Test func selfAndIndexErrors() throws {
    let selfRef = try parse("FROM a AS x\nCOPY --from=x / /")
    #expect(throws: DockerfileError(line: 2, message: "stage \"x\" refers to itself")) { try StageGraph(selfRef) }
    let later = try parse("FROM a\nCOPY --from=1 / /\nFROM b")
    #expect(
      throws: DockerfileError(line: 2, message: "invalid stage index 1: only earlier stages (0..<0) can be used")
    ) { try StageGraph(later) }
    let fromLater = try parse("FROM later\nFROM a AS later")
    #expect(throws: DockerfileError.self) { try StageGraph(fromLater) }
  }

  @Test func duplicateStageName() {
    let error = parseError("FROM a AS x\nFROM b AS X")
    #expect(error?.description == "Dockerfile:2: duplicate stage name \"x\" (first used by stage 0)")
  }

  @Test func blankBaseAfterSubstitution() throws {
    let df = try parse("ARG IMG\nFROM $IMG")
    #expect(throws: DockerfileError(line: 2, message: "base name ($IMG) should not be blank")) { try StageGraph(df) }
  }

  @Test func globalScopeChainsDefaults() throws {
    let df = try parse("ARG A=1\nARG B=${A}2 C\nFROM x")
    #expect(try df.globalScope() == ["A": "1", "B": "12"])
    #expect(try df.globalScope(buildArgs: ["A": "9", "C": "c", "Z": "ignored"]) == ["A": "9", "B": "92", "C": "c"])
    #expect(try df.globalScope(predefined: ["TARGETARCH": "amd64"])["TARGETARCH"] == "amd64")
  }

  @Test func platformSubstituted() throws {
    let g = try graph("FROM --platform=$BUILDPLATFORM golang", args: [:])
    #expect(g.nodes[0].platform == "")
    let df = try parse("FROM --platform=$BUILDPLATFORM golang")
    let g2 = try StageGraph(df, globalArgs: try df.globalScope(predefined: ["BUILDPLATFORM": "linux/amd64"]))
    #expect(g2.nodes[0].platform == "linux/amd64")
  }
}
