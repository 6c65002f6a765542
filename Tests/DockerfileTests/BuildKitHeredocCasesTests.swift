import Testing

@testable import Dockerfile

/// BuildKit's heredoc parser cases (frontend/dockerfile/parser/parser_heredoc_test.go):
/// the same Dockerfile must give the same delimiters, flags and bodies. (BuildKit keeps a
/// `<<-` body unstripped until later; our `content` is already stripped.)
struct BuildKitHeredocCasesTests {
  static let dockerfile = """
    FROM alpine:3.6

    ENV NAME=me

    RUN ls

    USER <<INVALID
    INVALID

    RUN <<EMPTY
    EMPTY

    RUN 3<<EMPTY2
    EMPTY2

    RUN "<<NOHEREDOC"

    RUN <<INDENT
    \tfoo
    \tbar
    INDENT

    RUN <<-UNINDENT
    \tbaz
    \tquux
    UNINDENT

    RUN <<-UNINDENT2
    \tbaz
    \tquux
    \tUNINDENT2

    RUN <<-'NOEXPAND'
    \tdon't expand $NAME
    NOEXPAND

    RUN <<COMMENT
    # internal comment
    echo foo bar # trailing comment
    COMMENT

    RUN --mount=type=cache,target=/foo <<MOUNT
    echo hello
    MOUNT

    COPY <<EOF /quotes
    "foo"
    'bar'
    EOF

    COPY <<X <<Y /dest
    Y
    X
    X
    Y

    RUN <<COMPLEX python3
    print('hello world')
    COMPLEX

    COPY <<file.txt /dest
    hello world
    file.txt

    RUN <<eo'f'
    echo foo
    eof

    RUN <<eo\\'f
    echo foo
    eo'f

    RUN <<'e'o\\'f
    echo foo
    eo'f

    RUN <<'one two'
    echo bar
    one two

    RUN <<$EOF
    $EOF

    RUN <<  EOF
    EOF

    RUN <<  EOF  > foo
    EOF
    """

  static let expected: [[Heredoc]] = [
    [],  // ENV
    [],  // RUN ls
    [],  // USER <<INVALID
    [],  // INVALID (an unknown instruction in BuildKit too, checked below)
    [Heredoc(name: "EMPTY", content: "")],
    [Heredoc(name: "EMPTY2", content: "", fileDescriptor: 3)],
    [],  // RUN "<<NOHEREDOC"
    [Heredoc(name: "INDENT", content: "\tfoo\n\tbar\n")],
    [Heredoc(name: "UNINDENT", content: "baz\nquux\n", chomp: true)],
    [Heredoc(name: "UNINDENT2", content: "baz\nquux\n", chomp: true)],
    [Heredoc(name: "NOEXPAND", content: "don't expand $NAME\n", expand: false, chomp: true)],
    [Heredoc(name: "COMMENT", content: "# internal comment\necho foo bar # trailing comment\n")],
    [Heredoc(name: "MOUNT", content: "echo hello\n")],
    [Heredoc(name: "EOF", content: "\"foo\"\n'bar'\n")],
    [Heredoc(name: "X", content: "Y\n"), Heredoc(name: "Y", content: "X\n")],
    [Heredoc(name: "COMPLEX", content: "print('hello world')\n")],
    [Heredoc(name: "file.txt", content: "hello world\n")],
    [Heredoc(name: "eof", content: "echo foo\n", expand: false)],
    [Heredoc(name: "eo'f", content: "echo foo\n")],
    [Heredoc(name: "eo'f", content: "echo foo\n", expand: false)],
    [Heredoc(name: "one two", content: "echo bar\n", expand: false)],
    [Heredoc(name: "$EOF", content: "")],
    [Heredoc(name: "EOF", content: "")],
    [Heredoc(name: "EOF", content: "")],
  ]

  @Test func sameHeredocsAsBuildKit() throws {
    let lexed = try Lexer().lex(Self.dockerfile)
    let docs = lexed.lines.dropFirst().map(\.heredocs)
    #expect(docs.count == Self.expected.count)
    for (i, pair) in zip(docs, Self.expected).enumerated() {
      #expect(pair.0 == pair.1, "instruction \(i + 2)")
    }
  }

  @Test("heredoc words as BuildKit's ParseHeredoc sees them")
  func markers() {
    for valid in [
      "<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"", "<<EO\"F\"", "<< EOF", "<<- EOF",
    ] {
      #expect(Heredoc.header(valid)?.name == "EOF", "\(valid)")
    }
    for notOne in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
      #expect(Heredoc.header(notOne) == nil, "\(notOne)")
    }
  }

  @Test("heredoc names found in a line (BuildKit's TestHeredocsFromLine)")
  func fromLine() {
    let cases: [(String, [String])] = [
      ("RUN <<EOF", ["EOF"]), ("RUN <<-EOF", ["EOF"]), ("RUN <<- EOF", ["EOF"]), ("RUN << -EOF", ["-EOF"]),
      ("RUN <<'EOF'", ["EOF"]), ("RUN 4<<EOF", ["EOF"]), ("RUN <<EOF <<EOF2", ["EOF", "EOF2"]), ("RUN '<<EOF'", []),
      ("RUN \"<<EOF\"", []),
    ]
    for (line, names) in cases {
      #expect(Heredoc.headers(inLine: line).map(\.name) == names, "\(line)")
    }
  }

  @Test func jsonFormHasNoHeredocs() throws {
    let lexed = try Lexer().lex("FROM alpine:3.6\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n")
    #expect(lexed.lines.allSatisfy { $0.heredocs.isEmpty })
  }
}
