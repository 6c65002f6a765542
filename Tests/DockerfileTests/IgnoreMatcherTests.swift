import Testing

@testable import Dockerfile

/// `.dockerignore` rules (docker's build-context documentation and moby/patternmatcher).
struct IgnoreMatcherTests {
  func matcher(_ text: String) throws -> IgnoreMatcher { try IgnoreMatcher(fileContents: text) }

  @Test("docker's documented example file")
  func documentedExample() throws {
    let m = try matcher("# comment\n*/temp*\n*/*/temp*\ntemp?\n")
    #expect(m.matches(path: "somedir/temporary.txt"))
    #expect(m.matches(path: "somedir/temp"))
    #expect(m.matches(path: "somedir/temp/inside/file"))
    #expect(m.matches(path: "somedir/subdir/temporary.txt"))
    #expect(m.matches(path: "tempa"))
    #expect(!m.matches(path: "tempab"))
    #expect(!m.matches(path: "temporary.txt"))
    #expect(!m.matches(path: "a/b/c/temp"))
    #expect(!m.matches(path: "# comment"))
  }

  @Test func doubleStar() throws {
    let m = try matcher("**/*.go")
    #expect(m.matches(path: "main.go"))
    #expect(m.matches(path: "a/b/c.go"))
    #expect(!m.matches(path: "a/b/c.goo"))
    let tail = try matcher("build/**")
    #expect(tail.matches(path: "build/x/y"))
    #expect(!tail.matches(path: "build"))
    let middle = try matcher("a/**/z")
    #expect(middle.matches(path: "a/z"))
    #expect(middle.matches(path: "a/b/c/z"))
    #expect(middle.matches(path: "a/b/z/file"))
    #expect(!middle.matches(path: "a/bz"))
  }

  @Test("a star does not cross directories; neither does ?")
  func starStopsAtSlash() throws {
    let m = try matcher("*.txt")
    #expect(m.matches(path: "a.txt"))
    #expect(!m.matches(path: "dir/a.txt"))
    #expect(!(try matcher("a?b")).matches(path: "a/b"))
  }

  @Test("exceptions: last match wins (docker's README examples)")
  func exceptions() throws {
    let readme = try matcher("*.md\n!README.md")
    #expect(readme.matches(path: "CHANGES.md"))
    #expect(!readme.matches(path: "README.md"))

    let secretLast = try matcher("*.md\n!README*.md\nREADME-secret.md")
    #expect(secretLast.matches(path: "README-secret.md"))
    #expect(!secretLast.matches(path: "README-public.md"))
    #expect(secretLast.matches(path: "other.md"))

    let exceptionLast = try matcher("*.md\nREADME-secret.md\n!README*.md")
    #expect(!exceptionLast.matches(path: "README-secret.md"))
  }

  @Test func cleaning() throws {
    let m = try matcher("/abs/file\n./rel/\n  spaced  \ndir//sub/../x")
    #expect(m.patterns.map(\.text) == ["abs/file", "rel", "spaced", "dir/x"])
    #expect(m.matches(path: "abs/file"))
    #expect(m.matches(path: "rel/inner"))
    #expect(m.matches(path: "./spaced"))
    #expect(m.matches(path: "/dir/x"))
  }

  @Test("a # not at the very start of the line is a pattern")
  func indentedHashIsAPattern() throws {
    #expect(try matcher("  #x").patterns.map(\.text) == ["#x"])
  }

  @Test func characterClassesAndEscapes() throws {
    let m = try matcher("file[0-9].txt\n[^a]b\nlit\\*")
    #expect(m.matches(path: "file3.txt"))
    #expect(!m.matches(path: "filex.txt"))
    #expect(m.matches(path: "xb"))
    #expect(!m.matches(path: "ab"))
    #expect(m.matches(path: "lit*"))
    #expect(!m.matches(path: "lits"))
  }

  @Test func badPatterns() {
    #expect(throws: IgnorePatternError.self) { try IgnoreMatcher(patterns: ["!"]) }
    #expect(throws: IgnorePatternError.self) { try IgnoreMatcher(patterns: ["a[b"]) }
    #expect(throws: IgnorePatternError.self) { try IgnoreMatcher(patterns: ["a\\"]) }
  }

  @Test("an excluded directory with an exception inside must still be walked")
  func directorySkipping() throws {
    let m = try matcher("node_modules\nvendor\n!vendor/keep.txt\nlogs\n!logs/**/important.log")
    #expect(m.canSkipDirectory(path: "node_modules"))
    #expect(!m.canSkipDirectory(path: "vendor"))
    #expect(!m.matches(path: "vendor/keep.txt"))
    #expect(m.matches(path: "vendor/other.txt"))
    #expect(!m.canSkipDirectory(path: "logs"))
    #expect(!m.matches(path: "logs/a/important.log"))
    #expect(!m.canSkipDirectory(path: "src"))
    let anywhere = try matcher("node_modules\n!**/important.log")
    #expect(!anywhere.canSkipDirectory(path: "node_modules"))
    #expect(!anywhere.matches(path: "node_modules/x/important.log"))
    let noExceptions = try matcher("a\nb")
    #expect(!noExceptions.hasExceptions)
    #expect(noExceptions.canSkipDirectory(path: "a"))
  }

  @Test func exceptionThatCannotBeInsideAllowsSkipping() throws {
    let m = try matcher("build\n!src/keep")
    #expect(m.canSkipDirectory(path: "build"))
  }

  @Test("<Dockerfile>.dockerignore beats .dockerignore")
  func fileNameChoice() {
    #expect(IgnoreFile.candidates(dockerfilePath: "Dockerfile") == ["Dockerfile.dockerignore", ".dockerignore"])
    #expect(
      IgnoreFile.candidates(dockerfilePath: "./build/api.Dockerfile")
        == ["build/api.Dockerfile.dockerignore", ".dockerignore"])
    #expect(IgnoreFile.pick(dockerfilePath: "Dockerfile") { $0 == ".dockerignore" } == ".dockerignore")
    #expect(IgnoreFile.pick(dockerfilePath: "Dockerfile") { _ in true } == "Dockerfile.dockerignore")
    #expect(IgnoreFile.pick(dockerfilePath: "Dockerfile") { _ in false } == nil)
  }
}
