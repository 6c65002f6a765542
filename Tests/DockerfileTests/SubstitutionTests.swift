import Testing

@testable import Dockerfile

/// The reference's "Environment replacement" section, checked against BuildKit's shell
/// lexer where the reference is silent.
struct SubstitutionTests {
  let env = ["FOO": "/bar", "EMPTY": "", "str": "foobarbaz", "X": "x y"]

  func expand(_ word: String, escape: Character = "\\") throws -> String {
    try Substitution.expand(word, env: env, escape: escape)
  }

  /// The message a word fails with (nil when it expands).
  func failure(_ word: String) -> String? {
    do {
      _ = try Substitution.expand(word, env: env)
      return nil
    } catch {
      #expect(error.word == word)
      return error.message
    }
  }

  @Test("reference example: WORKDIR ${FOO}, ADD . $FOO, COPY \\$FOO /quux")
  func referenceExample() throws {
    #expect(try expand("${FOO}") == "/bar")
    #expect(try expand("$FOO") == "/bar")
    #expect(try expand("\\$FOO") == "$FOO")
    #expect(try expand("\\${FOO}") == "${FOO}")
    #expect(try expand("${FOO}_bar") == "/bar_bar")
    #expect(try expand("$FOO_bar") == "")
  }

  @Test("WORKDIR $DIRPATH/$DIRNAME with DIRNAME unset gives /path/ (unset is empty)")
  func unsetIsEmpty() throws {
    #expect(try Substitution.expand("$DIRPATH/$DIRNAME", env: ["DIRPATH": "/path"]) == "/path/")
  }

  @Test func defaults() throws {
    #expect(try expand("${FOO:-word}") == "/bar")
    #expect(try expand("${EMPTY:-word}") == "word")
    #expect(try expand("${UNSET:-word}") == "word")
    #expect(try expand("${EMPTY-word}") == "")
    #expect(try expand("${UNSET-word}") == "word")
    #expect(try expand("${UNSET:-$FOO/x}") == "/bar/x")
    #expect(try expand("${UNSET:-${EMPTY:-nested}}") == "nested")
  }

  @Test func alternatives() throws {
    #expect(try expand("${FOO:+word}") == "word")
    #expect(try expand("${EMPTY:+word}") == "")
    #expect(try expand("${EMPTY+word}") == "word")
    #expect(try expand("${UNSET+word}") == "")
  }

  @Test func required() throws {
    #expect(try expand("${FOO:?msg}") == "/bar")
    #expect(failure("${UNSET:?}") == "UNSET: is not allowed to be unset")
    #expect(failure("${EMPTY:?}") == "EMPTY: is not allowed to be empty")
    #expect(failure("${EMPTY:?need it}") == "EMPTY: need it")
    #expect(try expand("${EMPTY?msg}") == "")
    #expect(failure("${UNSET?gone}") == "UNSET: gone")
  }

  @Test("pattern removal, the reference's examples")
  func patternRemoval() throws {
    #expect(try expand("${str#f*b}") == "arbaz")
    #expect(try expand("${str##f*b}") == "az")
    #expect(try expand("${str%b*}") == "foobar")
    #expect(try expand("${str%%b*}") == "foo")
    #expect(try expand("${str#nomatch}") == "foobarbaz")
    #expect(try expand("${str#?}") == "oobarbaz")
  }

  @Test("replacement, the reference's examples")
  func replacement() throws {
    #expect(try expand("${str/ba/fo}") == "fooforbaz")
    #expect(try expand("${str//ba/fo}") == "fooforfoz")
    #expect(try expand("${str//a/}") == "foobrbz")
    #expect(try expand("${str/b*/X}") == "fooX")
  }

  @Test("\\* and \\? match literally in patterns")
  func escapedPatternCharacters() throws {
    let env = ["v": "a*b?c"]
    #expect(try Substitution.expand("${v#a\\*}", env: env) == "b?c")
    #expect(try Substitution.expand("${v%\\?c}", env: env) == "a*b")
    #expect(try Substitution.expand("${v#a\\?}", env: env) == "a*b?c")
  }

  @Test("BuildKit's pattern rules: brackets are literal, only \\*, \\? and \\\\ are escapes")
  func patternRules() throws {
    #expect(try Substitution.expand("${v#[ab]}", env: ["v": "[ab]c"]) == "c")
    #expect(failure("${str#\\x}") == "invalid pattern (\\x) in substitution: invalid escape '\\x'")
    #expect(failure("${str:#x}") == "unsupported modifier (:#) in substitution")
    #expect(failure("${str/x}") == "syntax error: missing '/' in ${}")
    #expect(try Substitution.expand("${v/a/\\\\}", env: ["v": "cab"]) == "c\\\\b")
  }

  @Test("COPY heredoc bodies: variables expand, quotes stay (BuildKit's SkipProcessQuotes)")
  func heredocBody() throws {
    let body = "echo \"hello ${FOO}\" '$FOO' \\$FOO\n"
    #expect(try Substitution.expandHeredoc(body, env: ["FOO": "bar"]) == "echo \"hello bar\" 'bar' $FOO\n")
  }

  @Test func quotes() throws {
    #expect(try expand("'$FOO'") == "$FOO")
    #expect(try expand("\"$FOO\"") == "/bar")
    #expect(try expand("\"a\\\"b\"") == "a\"b")
    #expect(try expand("\"a\\nb\"") == "a\\nb")
    #expect(try expand("'a\\b'") == "a\\b")
    #expect(try expand("Rex\\ The\\ Dog") == "Rex The Dog")
    #expect(try expand("\"John Doe\"") == "John Doe")
    #expect(try expand("\"\\$FOO\"") == "$FOO")
  }

  @Test func backtickEscape() throws {
    #expect(try expand("`$FOO", escape: "`") == "$FOO")
    #expect(try expand("c:\\dir", escape: "`") == "c:\\dir")
    #expect(try expand("c:\\dir") == "c:dir")
  }

  @Test func specialCases() throws {
    #expect(try expand("$") == "$")
    #expect(try expand("a$/b") == "a$/b")
    #expect(try expand("cost: $5") == "cost: ")
    #expect(try Substitution.expand("$1x", env: ["1": "one"]) == "onex")
  }

  @Test("malformed substitutions (BuildKit's messages)")
  func errors() {
    #expect(failure("${") == "syntax error: missing '}'")
    #expect(failure("${}") == "syntax error: bad substitution")
    #expect(failure("${:-x}") == "syntax error: bad substitution")
    #expect(failure("${FOO:-x") == "syntax error: missing '}'")
    #expect(failure("${FOO!}") == "unsupported modifier (!) in substitution")
    #expect(failure("${FOO:*x}") == "unsupported modifier (:*) in substitution")
    #expect(failure("'abc") == "unexpected end of statement while looking for matching single-quote")
    #expect(failure("\"abc") == "unexpected end of statement while looking for matching double-quote")
  }

  @Test("word splitting: expansions split unless quoted; empty quotes give no word (BuildKit)")
  func words() throws {
    #expect(try Substitution.expandWords("80 $PORTS", env: ["PORTS": "443  8080/udp"]) == ["80", "443", "8080/udp"])
    #expect(try Substitution.expandWords("\"$X\" $X", env: env) == ["x y", "x", "y"])
    #expect(try Substitution.expandWords("a '' b", env: env) == ["a", "b"])
    #expect(try Substitution.expandWords("a\\ b c", env: env) == ["a b", "c"])
  }

  @Test func listVariant() throws {
    #expect(try Substitution.expand(["$FOO/a", "b"], env: env) == ["/bar/a", "b"])
  }

  @Test func referencedNames() {
    #expect(Substitution.referencedNames(in: "$A ${B:-$C} \\$D '$E' ${F#x}") == ["A", "B", "C", "F"])
  }

  @Test("same value for each variable throughout an instruction (reference: ENV abc=bye def=$abc)")
  func valuesFromBeforeTheInstruction() throws {
    let df = try parse("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc")
    var env: [String: String] = [:]
    for instruction in df.stages[0].instructions {
      guard case .env(let pairs) = instruction.kind else { continue }
      let before = env
      for pair in pairs { env[pair.key] = try Substitution.expand(pair.value, env: before) }
    }
    #expect(env == ["abc": "bye", "def": "hello", "ghi": "bye"])
  }

  @Test func errorAtInstruction() throws {
    let df = try parse("FROM scratch\n\nWORKDIR ${X:?}")
    let w = df.stages[0].instructions[0]
    guard case .workdir(let path) = w.kind else { throw Failure() }
    do {
      _ = try Substitution.expand(path, env: [:])
      Issue.record("expected an error")
    } catch {
      #expect(
        error.at(w.location).description == "Dockerfile:3: failed to process \"${X:?}\": X: is not allowed to be unset")
    }
  }
}
