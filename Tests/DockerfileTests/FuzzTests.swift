import Testing

@testable import Dockerfile

/// Random, truncated and mutated inputs never crash: each parses or fails with an error on
/// a line that exists. Deterministic (fixed seeds) and bounded.
struct FuzzTests {
  /// SplitMix64: a small deterministic generator.
  struct Random: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let vocabulary = [
    "FROM ", "RUN ", "CMD ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "ONBUILD ", "HEALTHCHECK ", "SHELL ",
    "VOLUME ", "EXPOSE ", "USER ", "WORKDIR ", "STOPSIGNAL ", "MAINTAINER ", "ENTRYPOINT ", "scratch", " AS ", "x",
    "--mount=", "type=cache,", "target=/t", "from=", "--from=", "--chown=", "--link", "--exclude=", "--network=none",
    "--interval=", "5s ", "NONE", "CMD", "<<EOF", "<<-'E'", "EOF", "\t", "\n", "\n", "\r\n", " ", "\\", "`", "\"",
    "'", "[", "]", ",", "=", "$", "${", "}", ":-", "#", "# escape=`", "# syntax=x", "# check=", "0", "1", "é", "\u{0}",
    "\u{FEFF}", "**", "*", "?", "/", "!",
  ]

  static func check(_ text: String) {
    let lineCount = max(1, Lexer.physicalLines(text).count)
    do {
      let df = try Dockerfile.parse(text)
      exercise(df)
    } catch {
      #expect(error.line >= 1 && error.line <= lineCount, "\(error) for \(text.debugDescription)")
      #expect(error.endLine >= error.line)
      #expect(!error.message.isEmpty)
    }
  }

  /// Runs the helpers the builder will call on whatever parsed.
  static func exercise(_ df: Dockerfile) {
    let env = ["A": "a b", "EMPTY": ""]
    if let scope = try? df.globalScope(), let graph = try? StageGraph(df, globalArgs: scope) {
      _ = try? graph.parallelWaves()
    }
    for stage in df.stages {
      for instruction in stage.instructions {
        var words: [String] = []
        switch instruction.kind {
        case .env(let pairs), .label(let pairs): words = pairs.flatMap { [$0.key, $0.value] }
        case .workdir(let w), .user(let w), .stopSignal(let w): words = [w]
        case .expose(let w), .volume(let w): words = w
        case .copy(let c):
          words = [c.destination] + c.sources.compactMap { if case .path(let p) = $0 { p } else { nil } }
        case .run(let r): for m in r.mounts { _ = try? m.resolved(env: env, escape: df.escape) }
        default: break
        }
        for w in words {
          _ = try? Substitution.expand(w, env: env, escape: df.escape)
          _ = try? Substitution.expandWords(w, env: env, escape: df.escape)
        }
      }
    }
  }

  @Test func randomTokenSequences() {
    var rng = Random(state: 13)
    for _ in 0..<1500 {
      var text = ""
      for _ in 0..<Int.random(in: 1...40, using: &rng) {
        text += Self.vocabulary.randomElement(using: &rng) ?? ""
      }
      Self.check(text)
    }
  }

  @Test func randomBytes() {
    var rng = Random(state: 7)
    for _ in 0..<500 {
      let bytes = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      Self.check(String(decoding: bytes, as: UTF8.self))
    }
  }

  /// Cut at every line boundary (and the characters around it) and at every third
  /// character in between: the places where continuations, heredocs and quotes break.
  @Test func truncationsOfTheCorpus() {
    for fixture in Corpus.all {
      let scalars = Array(fixture.text.unicodeScalars)
      for end in 0...scalars.count {
        let nearNewline = (max(0, end - 2)..<min(scalars.count, end + 1)).contains { scalars[$0] == "\n" }
        guard nearNewline || end % 3 == 0 else { continue }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[0..<end])
        Self.check(String(view))
      }
    }
  }

  @Test func mutationsOfTheCorpus() {
    var rng = Random(state: 42)
    for fixture in Corpus.all {
      for _ in 0..<60 {
        var scalars = Array(fixture.text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !scalars.isEmpty {
          let i = Int.random(in: 0..<scalars.count, using: &rng)
          let insert = Self.vocabulary.randomElement(using: &rng)?.unicodeScalars.map { $0 } ?? []
          switch Int.random(in: 0..<3, using: &rng) {
          case 0: scalars.remove(at: i)
          case 1: scalars.insert(contentsOf: insert, at: i)
          default: scalars[i] = insert.first ?? "x"
          }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        Self.check(String(view))
      }
    }
  }

  @Test func substitutionAndIgnorePatternsNeverCrash() {
    var rng = Random(state: 99)
    let pieces = [
      "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "*", "[", "]", "!", "^", "\\", "'", "\"", "a", "A", " ", "**",
    ]
    for _ in 0..<2000 {
      var word = ""
      for _ in 0..<Int.random(in: 0...16, using: &rng) { word += pieces.randomElement(using: &rng) ?? "" }
      _ = try? Substitution.expand(word, env: ["A": "abc", "a": "*x*"])
      _ = try? Substitution.expandWords(word, env: ["A": "a b"], escape: "`")
      if let m = try? IgnoreMatcher(patterns: [word, "!" + word]) {
        _ = m.matches(path: "a/b/c")
        _ = m.canSkipDirectory(path: word)
      }
    }
  }
}

/// Hostile sizes: deep nesting and long values neither exhaust the stack nor take long.
struct LargeInputTests {
  @Test func deeplyNestedSubstitutionIsAnError() throws {
    let word = String(repeating: "${a:-", count: 10_000) + String(repeating: "}", count: 10_000)
    #expect(throws: SubstitutionError.self) { try Substitution.expand(word, env: [:]) }
    #expect(
      try Substitution.expand(String(repeating: "${a:-", count: 60) + "x" + String(repeating: "}", count: 60), env: [:])
        == "x")
  }

  @Test func longValuesMatchInLinearTime() throws {
    let long = String(repeating: "ab", count: 10_000)
    let env = ["v": long]
    #expect(try Substitution.expand("${v##*a}", env: env) == "b")
    #expect(try Substitution.expand("${v%%b*}", env: env) == "a")
    #expect(try Substitution.expand("${v#*b}", env: env).count == long.count - 2)
    #expect(try Substitution.expand("${v//ab/}", env: env) == "")
    #expect(try Substitution.expand("${v/b*a/-}", env: env) == "a-b")
  }

  @Test func longPathsAndPatterns() throws {
    let deep = Array(repeating: "d", count: 20_000).joined(separator: "/")
    let m = try IgnoreMatcher(patterns: ["**/x", String(repeating: "*/", count: 100) + "y"])
    #expect(!m.matches(path: deep))
    #expect(m.matches(path: deep + "/x"))
    #expect(!m.canSkipDirectory(path: deep))
  }

  @Test func longDockerfile() throws {
    let text = "FROM scratch\n" + String(repeating: "RUN echo \\\n  x \\\n", count: 5_000) + "  done\n"
    let df = try Dockerfile.parse(text)
    #expect(df.stages[0].instructions.count == 1)
    #expect(df.stages[0].instructions[0].location.endLine == 10_002)
  }

  @Test func deeplyNestedJSONFallsBackToShellForm() throws {
    let json = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(try only("CMD " + json) == .cmd(.shell(json)))
  }
}
