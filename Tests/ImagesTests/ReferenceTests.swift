// Reference parsing and normalisation, against what the docker CLI does.
import Images
import OCI
import Testing

@Suite("Images: references")
struct ReferenceTests {
  static let hex = String(repeating: "ab", count: 32)

  @Test(arguments: [
    ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
    ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
    ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
    ("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
    ("index.docker.io/library/busybox:x", "docker.io/library/busybox:x", "busybox:x"),
    ("user/app", "docker.io/user/app:latest", "user/app:latest"),
    ("user/app/deep:v1.2_3-rc", "docker.io/user/app/deep:v1.2_3-rc", "user/app/deep:v1.2_3-rc"),
    ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
    ("localhost:5000/a/b", "localhost:5000/a/b:latest", "localhost:5000/a/b:latest"),
    ("host:5000/a/b:tag", "host:5000/a/b:tag", "host:5000/a/b:tag"),
    (
      "registry.example.com/team/app", "registry.example.com/team/app:latest",
      "registry.example.com/team/app:latest"
    ),
    (
      "my-registry.io:443/a__b/c.d/e--f", "my-registry.io:443/a__b/c.d/e--f:latest",
      "my-registry.io:443/a__b/c.d/e--f:latest"
    ),
    ("[::1]:5000/app:v", "[::1]:5000/app:v", "[::1]:5000/app:v"),
  ])
  func normalises(_ input: String, _ full: String, _ familiar: String) throws {
    let r = try ImageReference(parsing: input)
    #expect(r.description == full)
    #expect(r.familiarString == familiar)
  }

  @Test func digestReferences() throws {
    let r = try ImageReference(parsing: "host:5000/a/b@sha256:\(Self.hex)")
    #expect(r.domain == "host:5000" && r.path == "a/b" && r.tag == nil)
    #expect(r.digest?.encoded == Self.hex)
    #expect(r.description == "host:5000/a/b@sha256:\(Self.hex)")

    let both = try ImageReference(parsing: "busybox:1.36@sha256:\(Self.hex)")
    #expect(both.tag == "1.36" && both.digest != nil)
    #expect(both.description == "docker.io/library/busybox:1.36@sha256:\(Self.hex)")
    #expect(both.familiarString == "busybox:1.36@sha256:\(Self.hex)")
    #expect(both.familiarName == "busybox")
  }

  @Test func noDefaultTagWhenAsked() throws {
    let r = try ImageReference(parsing: "busybox", defaultTag: false)
    #expect(r.tag == nil && r.description == "docker.io/library/busybox")
  }

  @Test(arguments: [
    ("BusyBox", ImageReferenceError.uppercaseRepository("BusyBox")),
    ("user/App", .uppercaseRepository("user/App")),
    ("busybox:-bad", .invalidTag("-bad")),
    (
      "busybox:" + String(repeating: "t", count: 129),
      .invalidTag(String(repeating: "t", count: 129))
    ),
    ("busybox@sha256:abc", .invalidDigest("sha256:abc")),
    ("busybox@md5:", .invalidDigest("md5:")),
    ("", .empty),
    (String(repeating: "ab", count: 32), .ambiguousHexID(String(repeating: "ab", count: 32))),
    ("a//b", .invalidFormat("a//b")),
    ("-a", .invalidFormat("-a")),
    ("a/b_", .invalidFormat("a/b_")),
    ("a/b___c", .invalidFormat("a/b___c")),
    ("host:port/app", .invalidFormat("host:port/app")),
    (":tag", .invalidFormat(":tag")),
  ])
  func rejects(_ input: String, _ expected: ImageReferenceError) {
    #expect(throws: expected) { try ImageReference(parsing: input) }
  }

  @Test func errorsSayWhatIsWrong() {
    let e = ImageReferenceError.uppercaseRepository("BusyBox")
    #expect(e.description.contains("must be lowercase"))
  }

  @Test func tooLongNameIsRefused() {
    let long = String(repeating: "a", count: 250) + "/" + String(repeating: "b", count: 10)
    #expect(throws: ImageReferenceError.self) { try ImageReference(parsing: long) }
  }
}
