import Testing

@testable import Dockerfile

/// Comments, whitespace and line continuations as the reference's "Format" section and
/// BuildKit's parser treat them.
struct LexerTests {
  @Test("a # inside arguments is not a comment (reference example)")
  func hashInsideArguments() throws {
    #expect(
      try only("RUN echo 'we are running some # of cool things'")
        == .run(RunInstruction(command: .shell("echo 'we are running some # of cool things'"))))
  }

  @Test("comment lines inside a continued instruction are removed (reference example)")
  func commentInsideContinuation() throws {
    let df = try parse("FROM scratch\nRUN echo hello \\\n# comment\nworld")
    let run = df.stages[0].instructions[0]
    #expect(run.kind == .run(RunInstruction(command: .shell("echo hello world"))))
    #expect(run.location.startLine == 2)
    #expect(run.location.endLine == 4)
    #expect(run.location.source == "RUN echo hello \\\n# comment\nworld")
  }

  @Test("indented comment lines inside a continuation are comments too (BuildKit)")
  func indentedCommentInsideContinuation() throws {
    #expect(try only("RUN a \\\n    # note\n  b") == .run(RunInstruction(command: .shell("a   b"))))
  }

  @Test("empty lines inside a continuation are skipped, with BuildKit's warning")
  func emptyContinuationLine() throws {
    let df = try parse("FROM scratch\nRUN a \\\n\n   \nb")
    #expect(df.stages[0].instructions[0].kind == .run(RunInstruction(command: .shell("a b"))))
    #expect(df.warnings.count == 1)
    #expect(df.warnings.first?.message.hasPrefix("Empty continuation line found in: RUN a b") == true)
  }

  @Test("leading whitespace before instructions and comments is ignored (reference note)")
  func leadingWhitespace() throws {
    let df = try parse("        # this is a comment-line\n    FROM scratch\n\tRUN echo hello\nRUN echo world")
    #expect(df.stages[0].instructions.count == 2)
  }

  @Test("whitespace inside arguments is kept (reference note)")
  func whitespaceInArgumentsKept() throws {
    #expect(
      try only("RUN echo \"\\\n     hello\\\n     world\"")
        == .run(RunInstruction(command: .shell("echo \"     hello     world\""))))
  }

  @Test func continuationWithTrailingBlanks() throws {
    #expect(try only("RUN a \\  \t\nb") == .run(RunInstruction(command: .shell("a b"))))
  }

  @Test("a double backslash at the end still continues (BuildKit's regexp)")
  func doubleBackslashContinues() throws {
    #expect(try only("RUN a\\\\\nb") == .run(RunInstruction(command: .shell("a\\b"))))
  }

  @Test func crlfLineEndings() throws {
    let df = try parse("FROM scratch\r\nRUN a \\\r\n  b\r\nUSER me\r\n")
    #expect(df.stages[0].instructions.map(\.kind) == [.run(RunInstruction(command: .shell("a   b"))), .user("me")])
  }

  @Test("unknown instructions are named as written (BuildKit: unknown instruction: foo)")
  func unknownInstructionAsWritten() {
    #expect(parseError("FROM x\nfoo bar")?.message == "unknown instruction: foo")
    #expect(parseError("FROM x\nMAINTAINER --boo joe@example.com")?.message == "unknown flag: --boo")
  }

  @Test func instructionNamesAreCaseInsensitive() throws {
    let df = try parse("from scratch\nRuN echo\nuser x\nWorkDir /a")
    #expect(df.stages[0].instructions.map(\.keyword) == ["RUN", "USER", "WORKDIR"])
  }

  @Test func continuationAtEndOfFileIsAcceptedWithAWarning() throws {
    let df = try parse("FROM scratch\nRUN echo hi \\")
    #expect(df.stages[0].instructions[0].kind == .run(RunInstruction(command: .shell("echo hi"))))
    #expect(df.warnings.map(\.message).contains("line continuation at end of file"))
  }

  @Test func emptyContinuationAtEndOfFileIsAnError() {
    let error = parseError("FROM scratch\nRUN \\")
    #expect(error?.description == "Dockerfile:2: RUN requires at least one argument")
  }

  @Test func originalTextIsTheJoinedLine() throws {
    let df = try parse("FROM scratch\n  RUN   apt-get update && \\\n      apt-get install -y gcc   ")
    #expect(df.stages[0].instructions[0].location.original == "RUN   apt-get update &&       apt-get install -y gcc")
  }

  @Test func lineNumbersCountBlankAndCommentLines() throws {
    let df = try parse("\n# c\nFROM scratch\n\n# x\nUSER a\n")
    #expect(df.stages[0].line == 3)
    #expect(df.stages[0].instructions[0].location.startLine == 6)
  }
}

/// BuildKit's parser tests (frontend/dockerfile/parser/parser_test.go).
struct BuildKitParserCasesTests {
  @Test("parseWords keeps quotes and escapes (TestParseWords)")
  func parseWords() {
    let cases: [(String, [String])] = [
      ("foo", ["foo"]), ("foo bar", ["foo", "bar"]), ("foo\\ bar", ["foo\\ bar"]), ("foo=bar", ["foo=bar"]),
      ("foo bar 'abc xyz'", ["foo", "bar", "'abc xyz'"]), ("foo bar \"abc xyz\"", ["foo", "bar", "\"abc xyz\""]),
      ("àöû", ["àöû"]), ("föo bàr \"âbc xÿz\"", ["föo", "bàr", "\"âbc xÿz\""]),
    ]
    for (input, expected) in cases {
      #expect(ArgumentWords.split(input, escape: "\\") == expected, "\(input)")
    }
  }

  @Test("warnings for empty continuation lines, not for comment lines (TestParseWarnsOnEmptyContinutationLine)")
  func emptyContinuationWarnings() throws {
    let df = try parse(
      """

      FROM alpine:3.6

      RUN valid \\
          continuation

      RUN something \\

          following \\

          more

      RUN another \\

          thing

      RUN non-indented \\
      # this is a comment
         after-comment

      RUN indented \\
          # this is an indented comment
          comment
      """)
    #expect(df.warnings.count == 2)
    #expect(df.warnings.first?.message.contains("RUN something     following     more") == true)
    #expect(df.warnings.last?.message.contains("RUN another     thing") == true)
    #expect(df.warnings.first?.message.contains("will become errors in a future release") == true)
  }
}
