// Named and anonymous volumes through the real docker CLI against a private berthd.
import Foundation
import Testing

@Suite(.serialized) struct VolumeTests {
  static func isAnonymousName(_ s: String) -> Bool {
    s.count == 64 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func namedVolumesShareDataAndRefuseRemovalWhileUsed() throws {
    let d = TestBerthd(tag: "vol")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker("volume", "create", "--label", "team=a", "v1")
    #expect(rc == 0 && out == "v1\n", "volume create: \(out)")
    (rc, out) = try d.docker(
      "volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}} {{.Mountpoint}}", "v1")
    #expect(rc == 0 && out == "v1 local local map[team:a] \(d.dataRoot)/volumes/v1/_data\n", "inspect: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q", "--filter", "label=team=a")
    #expect(rc == 0 && out == "v1\n", "ls label: \(out)")

    // Written in one container, read in another.
    (rc, out) = try d.docker("run", "--rm", "-v", "v1:/data", "busybox", "sh", "-c", "echo persisted > /data/f")
    #expect(rc == 0, "write: \(out)")
    (rc, out) = try d.docker("run", "--rm", "--mount", "type=volume,src=v1,dst=/d", "busybox", "cat", "/d/f")
    #expect(rc == 0 && out == "persisted\n", "read: \(out)")
    // Read-only mount refuses writes.
    (rc, out) = try d.docker("run", "--rm", "-v", "v1:/data:ro", "busybox", "sh", "-c", "echo x > /data/g")
    #expect(rc != 0, "ro write succeeded: \(out)")
    #expect(!FileManager.default.fileExists(atPath: d.dataRoot + "/volumes/v1/_data/g"))

    // -v with a missing name creates the volume.
    (rc, out) = try d.docker("run", "--rm", "-v", "v2:/x", "busybox", "true")
    #expect(rc == 0, "run with new volume: \(out)")
    (rc, out) = try d.docker("volume", "ls", "--format", "{{.Name}} {{.Driver}}")
    #expect(rc == 0 && out == "v1 local\nv2 local\n", "ls: \(out)")

    // In use → refused (409), removable once the container is gone.
    (rc, out) = try d.docker("create", "--name", "user", "-v", "v1:/data", "busybox", "true")
    #expect(rc == 0, "create: \(out)")
    let id = out.trimmingCharacters(in: .whitespacesAndNewlines)
    (rc, out) = try d.docker("volume", "rm", "v1")
    #expect(rc != 0 && out.contains("volume is in use") && out.contains(id), "rm in use: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q", "--filter", "dangling=true")
    #expect(rc == 0 && out == "v2\n", "dangling: \(out)")
    (rc, out) = try d.docker("rm", "user")
    #expect(rc == 0, "rm: \(out)")
    (rc, out) = try d.docker("volume", "rm", "v1")
    #expect(rc == 0 && out == "v1\n", "volume rm: \(out)")
    (rc, out) = try d.docker("volume", "rm", "v1")
    #expect(rc != 0 && out.contains("no such volume"), "rm missing: \(out)")
    (rc, out) = try d.docker("volume", "rm", "-f", "v1")
    #expect(rc == 0, "rm -f missing: \(out)")

    (rc, out) = try d.docker("volume", "prune", "-a", "-f")
    #expect(rc == 0 && out.contains("v2"), "prune: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    #expect(rc == 0 && out.isEmpty, "ls after prune: \(out)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func anonymousVolumesGoWithRmV() throws {
    let d = TestBerthd(tag: "avol")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker("run", "--name", "a", "-v", "/data", "busybox", "sh", "-c", "echo x > /data/f")
    #expect(rc == 0, "run: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    let names = out.split(separator: "\n").map(String.init)
    #expect(rc == 0 && names.count == 1 && names.allSatisfy(Self.isAnonymousName), "ls: \(out)")
    if let name = names.first {
      #expect(FileManager.default.fileExists(atPath: d.dataRoot + "/volumes/\(name)/_data/f"))
    }
    (rc, out) = try d.docker("rm", "-v", "a")
    #expect(rc == 0, "rm -v: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    #expect(rc == 0 && out.isEmpty, "ls after rm -v: \(out)")

    // Without -v the anonymous volume stays (dangling), and prune (anonymous only) removes it.
    (rc, out) = try d.docker("run", "--name", "b", "-v", "/data", "busybox", "true")
    #expect(rc == 0, "run: \(out)")
    (rc, out) = try d.docker("rm", "b")
    #expect(rc == 0, "rm: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q", "--filter", "dangling=true")
    #expect(rc == 0 && out.split(separator: "\n").count == 1, "dangling: \(out)")
    (rc, out) = try d.docker("volume", "prune", "-f")
    #expect(rc == 0, "prune: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    #expect(rc == 0 && out.isEmpty, "ls after prune: \(out)")

    // --rm removes the anonymous volumes too.
    (rc, out) = try d.docker("run", "--rm", "-v", "/data", "busybox", "true")
    #expect(rc == 0, "run --rm: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    #expect(rc == 0 && out.isEmpty, "ls after run --rm: \(out)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func newVolumeIsPopulatedFromTheImage() throws {
    let d = TestBerthd(tag: "cvol")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker("run", "--rm", "-v", "etcvol:/etc", "busybox", "cat", "/etc/passwd")
    #expect(rc == 0 && out.contains("root:x:0:0"), "copy-up: \(rc) \(out)")
    let passwd = d.dataRoot + "/volumes/etcvol/_data/passwd"
    #expect(FileManager.default.fileExists(atPath: passwd))
    // A volume that already has content is not overwritten.
    (rc, out) = try d.docker("run", "--rm", "-v", "etcvol:/etc", "busybox", "sh", "-c", "echo mine > /etc/marker")
    #expect(rc == 0, "write: \(out)")
    (rc, out) = try d.docker("run", "--rm", "-v", "etcvol:/etc", "busybox", "cat", "/etc/marker")
    #expect(rc == 0 && out == "mine\n", "kept: \(out)")
    (rc, out) = try d.docker("volume", "rm", "etcvol")
    #expect(rc == 0, "volume rm: \(out)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }
}
