import Testing

@testable import Dockerfile

/// Patterns and paths from moby/patternmatcher's test tables (patternmatcher_test.go:
/// TestMatches, and the filepath.Match cases of TestMatch), checked with docker's
/// "matches the path or a parent" rule.
struct PatternMatcherCasesTests {
  /// (pattern, path, matches the path or a parent directory).
  static let single: [(String, String, Bool)] = [
    ("**", "file", true), ("**", "file/", true), ("**/", "file", true), ("**/", "file/", true),
    ("**", "dir/file", true), ("**/", "dir/file", true), ("**", "dir/file/", true), ("**/", "dir/file/", true),
    ("**/**", "dir/file", true), ("**/**", "dir/file/", true), ("dir/**", "dir/file", true),
    ("dir/**", "dir/file/", true), ("dir/**", "dir/dir2/file", true), ("dir/**", "dir/dir2/file/", true),
    ("**/dir", "dir", true), ("**/dir", "dir/file", true), ("**/dir2/*", "dir/dir2/file", true),
    ("**/dir2/*", "dir/dir2/file/", true), ("**/dir2/**", "dir/dir2/dir3/file", true),
    ("**/dir2/**", "dir/dir2/dir3/file/", true), ("**file", "file", true), ("**file", "dir/file", true),
    ("**/file", "dir/file", true), ("**file", "dir/dir/file", true), ("**/file", "dir/dir/file", true),
    ("**/file*", "dir/dir/file", true), ("**/file*", "dir/dir/file.txt", true),
    ("**/file*txt", "dir/dir/file.txt", true), ("**/file*.txt", "dir/dir/file.txt", true),
    ("**/file*.txt*", "dir/dir/file.txt", true), ("**/**/*.txt", "dir/dir/file.txt", true),
    ("**/**/*.txt2", "dir/dir/file.txt", false), ("**/*.txt", "file.txt", true), ("**/**/*.txt", "file.txt", true),
    ("a**/*.txt", "a/file.txt", true), ("a**/*.txt", "a/dir/file.txt", true), ("a**/*.txt", "a/dir/dir/file.txt", true),
    ("a/*.txt", "a/dir/file.txt", false), ("a/*.txt", "a/file.txt", true), ("a/*.txt**", "a/file.txt", true),
    ("a[b-d]e", "ae", false), ("a[b-d]e", "ace", true), ("a[b-d]e", "aae", false), ("a[^b-d]e", "aze", true),
    (".*", ".foo", true), (".*", "foo", false), ("abc.def", "abcdef", false), ("abc.def", "abc.def", true),
    ("abc.def", "abcZdef", false), ("abc?def", "abcZdef", true), ("abc?def", "abcdef", false),
    ("**/foo/bar", "foo/bar", true), ("**/foo/bar", "dir/foo/bar", true), ("**/foo/bar", "dir/dir2/foo/bar", true),
    ("abc/**", "abc", false), ("abc/**", "abc/def", true), ("abc/**", "abc/def/ghi", true), ("**/.foo", ".foo", true),
    ("**/.foo", "bar.foo", false), ("a(b)c/def", "a(b)c/def", true), ("a(b)c/def", "a(b)c/xyz", false),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
    ("a\\\\", "a\\", true), ("a\\*b", "a*b", true),
    // filepath.Match's own cases.
    ("abc", "abc", true), ("*", "abc", true), ("*c", "abc", true), ("a*", "a", true), ("a*", "abc", true),
    ("a*", "ab/c", true), ("a*/b", "abc/b", true), ("a*/b", "a/c/b", false), ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true), ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false), ("a*b?c*x", "abxbbxdbxebxczzx", true),
    ("a*b?c*x", "abxbbxdbxebxczzy", false), ("ab[c]", "abc", true), ("ab[b-d]", "abc", true), ("ab[e-g]", "abc", false),
    ("ab[^c]", "abc", false), ("ab[^b-d]", "abc", false), ("ab[^e-g]", "abc", true), ("a\\*b", "ab", false),
    ("a?b", "a☺b", true), ("a[^a]b", "a☺b", true), ("a???b", "a☺b", false), ("a[^a][^a][^a]b", "a☺b", false),
    ("[a-ζ]*", "α", true), ("*[a-ζ]", "A", false), ("a?b", "a/b", false), ("a*b", "a/b", false), ("[\\]a]", "]", true),
    ("[\\-]", "-", true), ("[x\\-]", "x", true), ("[x\\-]", "-", true), ("[x\\-]", "z", false), ("[\\-x]", "x", true),
    ("[\\-x]", "-", true), ("[\\-x]", "a", false), ("*x", "xxx", true),
  ]

  @Test(arguments: 0..<single.count)
  func singlePattern(index: Int) throws {
    let (pattern, path, expected) = Self.single[index]
    let m = try IgnoreMatcher(patterns: [pattern])
    #expect(m.matches(path: path) == expected, "\(pattern) vs \(path)")
  }

  @Test(
    "malformed patterns are errors (filepath.ErrBadPattern)",
    arguments: ["[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a["])
  func malformed(pattern: String) {
    #expect(throws: IgnorePatternError.self) { try IgnoreMatcher(patterns: [pattern]) }
  }

  @Test func multiplePatterns() throws {
    #expect(try !IgnoreMatcher(patterns: ["**", "!util/docker/web"]).matches(path: "util/docker/web/foo"))
    #expect(
      try IgnoreMatcher(patterns: ["**", "!util/docker/web", "util/docker/web/foo"]).matches(
        path: "util/docker/web/foo"))
    #expect(
      try !IgnoreMatcher(patterns: ["**", "!dist/*.whl"]).matches(path: "dist/proxy.py-2.4.0rc3-py3-none-any.whl"))
    #expect(try !IgnoreMatcher(patterns: ["*.go"]).matches(path: "."))
    #expect(try IgnoreMatcher(patterns: ["!fileutils.go", "*.go"]).matches(path: "fileutils.go"))
    for p in ["docs", "docs/", "docs/*"] {
      #expect(try !IgnoreMatcher(patterns: [p, "!docs/README.md"]).matches(path: "docs/README.md"))
    }
    #expect(try IgnoreMatcher(patterns: ["docs", "config", ""]).patterns.count == 2)
    #expect(try IgnoreMatcher(patterns: ["docs", "  !docs/README.md  "]).hasExceptions)
  }
}
