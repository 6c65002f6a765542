import Testing

@testable import Dockerfile

/// Parser directives, per the reference's "Parser directives" section.
struct DirectivesTests {
  @Test func allThreeDirectivesAtTheTop() throws {
    let df = try parse(
      """
      # syntax=docker/dockerfile:1.7
      # escape=`
      # check=skip=JSONArgsRecommended,StageNameCasing;error=true

      FROM scratch
      """)
    #expect(df.directives.syntax == "docker/dockerfile:1.7")
    #expect(df.directives.escape == "`")
    #expect(df.directives.check == CheckDirective(skip: ["JSONArgsRecommended", "StageNameCasing"], error: true))
  }

  @Test func checkSkipAll() throws {
    let df = try parse("# check=skip=all\nFROM scratch")
    #expect(df.directives.check == CheckDirective(skipAll: true))
  }

  @Test(
    "the reference's equivalent spellings",
    arguments: ["#escape=`", "# escape =`", "#\tescape= `", "# escape = `", "#\t  eScApE=`", "   # escape=`"])
  func whitespaceAndCaseInKeys(line: String) throws {
    #expect(try parse(line + "\nFROM scratch").directives.escape == "`")
  }

  @Test func aDirectiveTwiceIsAnError() {
    let error = parseError("# escape=\\\n# escape=`\nFROM scratch")
    #expect(error?.line == 2)
    #expect(error?.message == "only one escape parser directive can be used")
  }

  @Test func afterAnInstructionItIsAComment() throws {
    let df = try parse("FROM scratch\n# escape=`\nRUN a \\\nb")
    #expect(df.directives.escape == "\\")
    #expect(df.stages[0].instructions[0].kind == .run(RunInstruction(command: .shell("a b"))))
  }

  @Test func afterAPlainCommentItIsAComment() throws {
    #expect(try parse("# About my dockerfile\n# escape=`\nFROM scratch").directives.escape == "\\")
  }

  @Test func afterABlankLineItIsAComment() throws {
    #expect(try parse("\n# escape=`\nFROM scratch").directives.escape == "\\")
  }

  @Test("an unknown directive ends the directives (reference example)")
  func unknownDirectiveEndsTheBlock() throws {
    let df = try parse("# unknowndirective=value\n# syntax=value\nFROM scratch")
    #expect(df.directives.syntax == nil)
  }

  @Test("line continuation is not supported in directives: the next line is an instruction")
  func continuationInDirectiveIsAComment() {
    let error = parseError("# direc \\\ntive=value\nFROM scratch")
    #expect(error?.description == "Dockerfile:2: unknown instruction: tive=value")
  }

  @Test func badEscapeValue() {
    let error = parseError("# escape=x\nFROM scratch")
    #expect(error?.description == "Dockerfile:1: invalid escape token 'x' does not match ` or \\")
  }

  @Test func badCheckOption() {
    #expect(parseError("# check=frobnicate\nFROM scratch")?.message == "invalid check option \"frobnicate\"")
    #expect(parseError("# check=error=maybe\nFROM scratch")?.line == 1)
  }

  @Test("the reference's Windows example: backtick escape keeps c:\\ literal")
  func backtickEscapeExample() throws {
    let df = try parse(
      """
      # escape=`

      FROM microsoft/nanoserver
      COPY testfile.txt c:\\
      RUN dir c:\\
      """)
    let i = df.stages[0].instructions
    #expect(i.count == 2)
    #expect(i[0].kind == .copy(CopyInstruction(sources: [.path("testfile.txt")], destination: "c:\\")))
    #expect(i[1].kind == .run(RunInstruction(command: .shell("dir c:\\"))))
  }

  @Test("the reference's Windows example without the directive joins COPY and RUN")
  func backslashEscapeJoinsLines() throws {
    let df = try parse("FROM microsoft/nanoserver\nCOPY testfile.txt c:\\\\\nRUN dir c:\\")
    let i = df.stages[0].instructions
    #expect(i.count == 1)
    #expect(i[0].location.original == "COPY testfile.txt c:\\RUN dir c:")
  }

  @Test func byteOrderMarkIsIgnored() throws {
    #expect(try parse("\u{FEFF}# escape=`\nFROM scratch").directives.escape == "`")
  }
}

/// BuildKit's directive tests (frontend/dockerfile/parser/directives_test.go).
struct BuildKitDirectiveCasesTests {
  @Test func unknownDirectiveStopsAfterEscape() throws {
    let df = try parse("#escape=\\\n# key = FOO bar\n\n# smth\nFROM x")
    #expect(df.directives == Directives(escape: "\\"))
    #expect(try parse("# EScape=`\n# KEY = FOO bar\nFROM x").directives.escape == "`")
  }

  @Test func optionsAfterDoubleSlash() throws {
    let df = try parse("# syntax = dockerfile:experimental // opts\n#check = skip=all // opts\nFROM busybox")
    #expect(df.directives.syntax == "dockerfile:experimental // opts")
    #expect(df.directives.syntaxReference == "dockerfile:experimental")
    #expect(df.directives.check == CheckDirective(skipAll: true))
  }
}
