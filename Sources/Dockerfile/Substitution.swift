/// Variable substitution as the builder applies it to ADD, COPY, ENV, EXPOSE, FROM, LABEL,
/// STOPSIGNAL, USER, VOLUME and WORKDIR (and ONBUILD triggers of those), following
/// BuildKit's shell lexer:
///
/// - `$v`, `${v}`; `${v:-w}`, `${v-w}`, `${v:+w}`, `${v+w}`, `${v:?msg}`, `${v?msg}`;
///   `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}` and `${v/p/r}`, `${v//p/r}` (patterns: `*`,
///   `?`, `[...]`, `\` escapes);
/// - the escape character (the `# escape=` one) makes the next character literal, so
///   `\$foo` stays `$foo`; inside double quotes it escapes only `"`, `$` and itself;
/// - single quotes keep everything literal, double quotes still expand;
/// - quotes are removed from the result.
///
/// Unset variables expand to the empty string. Errors (`${v:?}` on an unset variable,
/// an unterminated quote, `${`) throw `SubstitutionError`; the builder attaches the line.
public enum Substitution {
  /// Expands `word` to one string (no word splitting): what BuildKit's `ProcessWord` does
  /// for ENV/LABEL keys and values, ARG defaults, COPY/ADD sources and destination,
  /// WORKDIR, USER, STOPSIGNAL, VOLUME entries, FROM's image and `--platform`, and flag
  /// values such as `--chown` and `--from`.
  public static func expand(_ word: String, env: [String: String], escape: Character = "\\") throws(SubstitutionError)
    -> String
  {
    do {
      return try lexer(env: env, escape: escape).processWord(word)
    } catch {
      throw SubstitutionError(word: word, message: error.message)
    }
  }

  /// Expands a COPY/ADD heredoc body whose delimiter was not quoted (`Heredoc.expand`):
  /// `$` references and `\` escapes are processed but quotes are ordinary characters, as
  /// BuildKit's `SkipProcessQuotes` lexer does.
  public static func expandHeredoc(_ content: String, env: [String: String]) throws(SubstitutionError) -> String {
    var lexer = lexer(env: env, escape: "\\")
    lexer.skipQuotes = true
    do {
      return try lexer.processWord(content)
    } catch {
      throw SubstitutionError(word: content, message: error.message)
    }
  }

  /// Expands and splits into words at unquoted whitespace (BuildKit's `ProcessWords`),
  /// as for EXPOSE where `EXPOSE $PORTS` with `PORTS="80 443"` exposes two ports. An empty
  /// quoted string yields no word, as in BuildKit.
  public static func expandWords(_ word: String, env: [String: String], escape: Character = "\\")
    throws(SubstitutionError) -> [String]
  {
    do {
      return try lexer(env: env, escape: escape).processWords(word)
    } catch {
      throw SubstitutionError(word: word, message: error.message)
    }
  }

  /// Expands each word of a list on its own (`expand` applied element-wise).
  public static func expand(_ words: [String], env: [String: String], escape: Character = "\\")
    throws(SubstitutionError) -> [String]
  {
    var out: [String] = []
    for w in words { out.append(try expand(w, env: env, escape: escape)) }
    return out
  }

  /// The names a word refers to (`$a ${b:-x}` → `["a", "b"]`), so the builder can tell
  /// which build arguments an instruction uses (the cache key and the "unused build-arg"
  /// warning depend on it).
  public static func referencedNames(in word: String, escape: Character = "\\") -> Set<String> {
    var names: Set<String> = []
    let scalarEscape = escape.unicodeScalars.first ?? "\\"
    let lexer = ShellLexer(escape: scalarEscape) { name in
      names.insert(name)
      return nil
    }
    _ = try? lexer.processWord(word)  // A malformed word still reports what it named so far.
    return names
  }

  static func lexer(env: [String: String], escape: Character) -> ShellLexer {
    ShellLexer(escape: escape.unicodeScalars.first ?? "\\") { env[$0] }
  }
}

/// A substitution that cannot be performed, with BuildKit's message
/// (`failed to process "${X:?}": X: is not allowed to be unset`).
public struct SubstitutionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The word being expanded.
  public var word: String
  /// What went wrong (`X: is not allowed to be unset`, `syntax error: missing '}'` …).
  public var message: String

  public init(word: String, message: String) {
    self.word = word
    self.message = message
  }

  public var description: String { "failed to process \"\(word)\": \(message)" }

  /// The same error located at an instruction (`Dockerfile:7: failed to process …`).
  public func at(_ location: SourceSpan, fileName: String = "Dockerfile") -> DockerfileError {
    DockerfileError(line: location.startLine, endLine: location.endLine, message: description, fileName: fileName)
  }
}
