extension Dockerfile {
  /// Parses one ONBUILD trigger as a base image's config stores it (`OnBuild`: the
  /// instruction text, heredoc bodies included), for the downstream build that runs it
  /// right after its FROM. Errors are reported at `line` (that FROM's line).
  public static func parseTrigger(
    _ expression: String, line: Int, escape: Character = "\\", fileName: String = "Dockerfile"
  ) throws(DockerfileError) -> Instruction {
    func fail(_ message: String) -> DockerfileError {
      DockerfileError(line: line, message: "ONBUILD trigger \"\(expression)\": \(message)", fileName: fileName)
    }
    let prefix = escape == "`" ? "# escape=`\n" : ""
    let lexed: Lexer.Output
    do {
      lexed = try Lexer(fileName: fileName).lex(prefix + expression)
    } catch {
      throw fail(error.message)
    }
    guard lexed.lines.count == 1, let only = lexed.lines.first else {
      throw fail("a trigger must be exactly one instruction")
    }
    let keyword = InstructionHead(line: only.text).keyword.uppercased()
    switch keyword {
    case "ONBUILD": throw fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    case "FROM", "MAINTAINER": throw fail("\(keyword) isn't allowed as an ONBUILD trigger")
    default: break
    }
    let location = SourceSpan(startLine: line, endLine: line, original: only.text, source: expression)
    let parser = InstructionParser(escape: escape.unicodeScalars.first ?? "\\")
    do {
      return Instruction(
        kind: try parser.parse(only.text, heredocs: only.heredocs, location: location), location: location)
    } catch {
      throw fail(error.message)
    }
  }
}
