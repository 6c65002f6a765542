import Testing

@testable import Dockerfile

/// Inputs and results from BuildKit's own shell-lexer test table
/// (frontend/dockerfile/shell/lex_test.go, TestProcessWithMatches), so our substitution
/// agrees with BuildKit's on its edge cases.
struct BuildKitLexCasesTests {
  static let cases: [(String, [String: String], String?)] = [
    ("x ${UNUSED}", [:], "x "),
    ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", ["FOO": "xxx", "BAR": ""], "xxx  ccc"),
    ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", ["FOO": "xxx", "BAR": ""], "xxx bbb ccc"),
    ("${FOO:-}", [:], ""),
    ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", ["FOO": "xxx", "BAR": ""], "aaa bbb "),
    ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", ["FOO": "xxx", "BAR": ""], "aaa  "),
    ("${BAR?bbb}", ["BAR": ""], ""),
    ("${BAZ?ccc}", [:], nil),
    ("${BAR:?bbb}", ["BAR": ""], nil),
    ("${BAZ:?}", [:], nil),
    ("${FOO=aaa}", ["FOO": "xxx"], nil),
    ("${FOO=:aaa}", ["FOO": "xxx"], nil),
    ("${FOO=}", [:], nil),
    ("${FOO#()[]{\\}^$.\\*\\?|\\\\}", ["FOO": "()[]{}^$.*?|\\x"], "x"),
    ("${FOO%%\\**}", ["FOO": "xx**"], "xx"),
    ("${FOO#*x*y}", ["FOO": "xxyy"], "y"),
    ("${FOO#*}", ["FOO": "xxyy"], "xxyy"),
    ("${FOO#$BAR}", ["FOO": "xxyy", "BAR": "x"], "xyy"),
    ("${FOO#$BAR}", ["FOO": "xxyy", "BAR": ""], "xxyy"),
    ("${FOO#}", ["FOO": "xxyy"], "xxyy"),
    ("${FOO##*x}", ["FOO": "xxyy"], "yy"),
    ("${FOO##}", ["FOO": "xxyy"], "xxyy"),
    ("${FOO#?\\?}", ["FOO": "???y"], "?y"),
    ("${ABC:-.}${FOO%x}${ABC:-.}", ["FOO": "xxyy"], ".xxyy."),
    ("${FOO%%\\**\\*}", ["FOO": "a***yy*"], "a"),
    ("${FOO%}", ["FOO": "xxyy"], "xxyy"),
    ("${FOO%%$BAR}", ["FOO": "xxyy", "BAR": ""], "xxyy"),
    ("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", ["FOO": "/foo*/*/*.txt", "NEEDLE": "\\*/"], "/foo.*/*.txt - /foo..*.txt"),
    ("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", ["FOO": "/tmp/tmp/bar.txt", "NEEDLE": "/tmp"], "/tmp/bar.txt - /bar.txt"),
    (
      "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
      ["FOO": "/a/foo/b/c.txt", "NEEDLE": "/?/", "REPLACEMENT": "/"], "/foo/b/c.txt - /foo/c.txt"
    ),
    (
      "${FOO/$NEEDLE/$REPLACEMENT}", ["FOO": "http://google.de", "NEEDLE": "http://", "REPLACEMENT": "https://"],
      "https://google.de"
    ),
    ("${FOO//\\//\\/}", ["FOO": "/tmp/foo.txt"], "\\/tmp\\/foo.txt"),
    ("${FOO/$BAR/ww}", ["FOO": "xxyy", "BAR": ""], "wwxxyy"),
    ("${FOO//ww}", ["FOO": "xxyy"], nil),
    ("${FOO//}", ["FOO": "xxyy"], nil),
    ("${FOO///}", ["FOO": "xxyy"], "xxyy"),
    ("${FOO///}", [:], ""),
    (
      "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
      ["VERSION": "v1.2.3", "TARGETOS": "linux", "TARGETARCH": "arm", "TARGETVARIANT": "v7"],
      "something-v1.2.3.linux-arm-v7.tar.gz"
    ),
  ]

  @Test(arguments: 0..<cases.count)
  func buildKitCase(index: Int) {
    let (input, env, expected) = Self.cases[index]
    let result = try? Substitution.expand(input, env: env)
    #expect(result == expected, "\(input)")
  }

  @Test("BuildKit: ${VAR:?message here$ARG} and ${VAR?message here$ARG}")
  func mandatoryMessagesExpand() throws {
    for word in ["${VAR:?message here$ARG}", "${VAR?message here$ARG}"] {
      #expect(throws: SubstitutionError(word: word, message: "VAR: message herex")) {
        try Substitution.expand(word, env: ["ARG": "x"])
      }
    }
    #expect(try Substitution.expand("${VAR?message here$ARG}", env: ["VAR": "", "ARG": "x"]) == "")
  }
}
