import Testing

@testable import Dockerfile

/// Each corpus fixture parses to its expected AST.
struct CorpusTests {
  @Test(arguments: Corpus.all.map(\.name))
  func fixtureParsesToExpectedAST(name: String) throws {
    let fixture = try #require(Corpus.all.first { $0.name == name })
    let df = try parse(fixture.text)
    let rendered = ASTDump.render(df)
    #expect(rendered == fixture.expected, "\n\(rendered)")
  }
}
