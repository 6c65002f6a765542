// `docker cp` end to end with the real docker CLI against an isolated berthd: files and
// directories both ways, running and stopped containers, volumes, tar on stdout, errors,
// and the escapes that must not work (container symlinks to host paths, hostile tars).
// Needs root, busybox, /usr/local/bin/docker and the built binaries.
import Foundation
import Testing

@testable import Daemon

@Suite(.serialized) struct ArchiveTests {
  /// A scratch directory on the host, removed at the end.
  final class Scratch {
    let path = Integration.tempDir("cp-host")
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ rel: String, _ text: String) throws {
      let p = path + "/" + rel
      try FileManager.default.createDirectory(
        atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: p, atomically: false, encoding: .utf8)
    }
    func read(_ rel: String) -> String? { try? String(contentsOfFile: path + "/" + rel, encoding: .utf8) }
  }

  static func sh(_ d: TestBerthd, _ script: String, in dir: String) throws -> (Int32, String) {
    try Integration.run(["/bin/sh", "-c", "cd \(dir) && " + script], env: d.environment)
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func copiesFilesAndDirectoriesBothWays() throws {
    let d = TestBerthd(tag: "cp")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let host = Scratch()
    try host.write("hello.txt", "hello\n")
    try host.write("tree/a", "A\n")
    try host.write("tree/sub/b", "B\n")
    try FileManager.default.createSymbolicLink(atPath: host.path + "/tree/link", withDestinationPath: "a")

    var (rc, out) = try d.docker("run", "-d", "--name", "c", "busybox", "sleep", "300")
    try #require(rc == 0, "docker run: \(out)")
    func exec(_ script: String) throws -> String {
      let (rc, out) = try d.docker("exec", "c", "sh", "-c", script)
      #expect(rc == 0, "exec \(script): \(out)")
      return out
    }

    // host → container
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "c:/tmp/")
    #expect(rc == 0, "cp file into dir: \(out)")
    #expect(try exec("cat /tmp/hello.txt") == "hello\n")
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "c:/tmp/renamed.txt")
    #expect(rc == 0, "cp file to new name: \(out)")
    #expect(try exec("cat /tmp/renamed.txt") == "hello\n")
    (rc, out) = try d.docker("cp", host.path + "/tree", "c:/tmp/")
    #expect(rc == 0, "cp dir into dir: \(out)")
    #expect(try exec("cat /tmp/tree/a /tmp/tree/sub/b; readlink /tmp/tree/link") == "A\nB\na\n")
    (rc, out) = try d.docker("cp", host.path + "/tree", "c:/tmp/newtree")
    #expect(rc == 0, "cp dir to new name: \(out)")
    #expect(try exec("cat /tmp/newtree/sub/b") == "B\n")
    _ = try exec("mkdir /tmp/contents")
    (rc, out) = try d.docker("cp", host.path + "/tree/.", "c:/tmp/contents")
    #expect(rc == 0, "cp dir contents: \(out)")
    #expect(try exec("ls /tmp/contents") == "a\nlink\nsub\n")

    // container → host
    (rc, out) = try d.docker("cp", "c:/etc/passwd", host.path + "/")
    #expect(rc == 0, "cp file out: \(out)")
    #expect(host.read("passwd")?.hasPrefix("root:") == true)
    (rc, out) = try d.docker("cp", "c:/tmp/tree", host.path + "/out")
    #expect(rc == 0, "cp dir out to new name: \(out)")
    #expect(host.read("out/sub/b") == "B\n")
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: host.path + "/out/link")) == "a")
    (rc, out) = try d.docker("cp", "c:/tmp/tree", host.path + "/out")
    #expect(rc == 0, "cp dir out into dir: \(out)")
    #expect(host.read("out/tree/a") == "A\n")

    // a tar on stdout
    (rc, out) = try Self.sh(d, "docker cp c:/tmp/hello.txt - | tar -xOf - hello.txt", in: host.path)
    #expect(rc == 0 && out == "hello\n", "cp to stdout: \(out)")
    (rc, out) = try Self.sh(d, "docker cp c:/tmp/tree - | tar -tf - | sort", in: host.path)
    #expect(out == "tree/\ntree/a\ntree/link\ntree/sub/\ntree/sub/b\n", "cp dir to stdout: \(out)")

    // the stat header, raw: a directory has Go's ModeDir bit
    (rc, out) = try Integration.run([
      "/usr/bin/curl", "-s", "-I", "--unix-socket", d.socket, "http://d/v1.47/containers/c/archive?path=/tmp/tree",
    ])
    let header = out.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-docker-container-path-stat:") }
    let value = header.map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
    let stat = value.flatMap { Data(base64Encoded: $0) }.flatMap {
      try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
    }
    #expect(stat?["name"] as? String == "tree", "stat: \(out)")
    #expect(((stat?["mode"] as? NSNumber)?.uint32Value ?? 0) == (1 << 31) | 0o755, "stat: \(out)")

    // errors, in docker's words
    (rc, out) = try d.docker("cp", "c:/no/such/file", host.path + "/")
    #expect(rc != 0 && out.contains("Could not find the file /no/such/file in container c"), "\(out)")
    (rc, out) = try d.docker("cp", "nosuch:/etc/passwd", host.path + "/")
    #expect(rc != 0 && out.contains("No such container: nosuch"), "\(out)")
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "c:/no/such/dir/")
    #expect(rc != 0, "cp into a missing dir: \(out)")
    (rc, out) = try d.docker("cp", host.path + "/tree", "c:/tmp/hello.txt")
    #expect(rc != 0, "cp a dir over a file: \(out)")
    (rc, out) = try Integration.run([
      "/usr/bin/curl", "-s", "-X", "PUT", "--unix-socket", d.socket, "--data-binary", "x",
      "http://d/v1.47/containers/c/archive?path=/etc/passwd",
    ])
    #expect(out.contains("extraction point is not a directory"), "\(out)")
    #expect(d.leftoverMounts.allSatisfy { !$0.contains("/archive/") }, "\(d.leftoverMounts)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func copiesIntoAndOutOfStoppedContainersAndVolumes() throws {
    let d = TestBerthd(tag: "cp-stopped")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let host = Scratch()
    try host.write("hello.txt", "hello\n")

    var (rc, out) = try d.docker("create", "--name", "s", "busybox", "cat", "/hello.txt")
    try #require(rc == 0, "docker create: \(out)")
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "s:/")
    #expect(rc == 0, "cp into a created container: \(out)")
    (rc, out) = try d.docker("cp", "s:/hello.txt", host.path + "/back.txt")
    #expect(rc == 0 && host.read("back.txt") == "hello\n", "cp out of a created container: \(out)")
    (rc, out) = try d.docker("start", "-a", "s")
    #expect(rc == 0 && out == "hello\n", "the copied file in the container: \(out)")
    (rc, out) = try d.docker("cp", "s:/bin/busybox", host.path + "/")
    #expect(rc == 0, "cp out of an exited container: \(out)")

    // volumes: the copy goes where the container sees it
    (rc, out) = try d.docker("run", "--name", "v", "-v", "cpvol:/data", "busybox", "sh", "-c", "echo vol > /data/x")
    #expect(rc == 0, "run with a volume: \(out)")
    (rc, out) = try d.docker("cp", "v:/data/x", host.path + "/x")
    #expect(rc == 0 && host.read("x") == "vol\n", "cp out of a volume: \(out)")
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "v:/data/")
    #expect(rc == 0, "cp into a volume: \(out)")
    (rc, out) = try d.docker("run", "--rm", "-v", "cpvol:/data", "busybox", "cat", "/data/hello.txt")
    #expect(rc == 0 && out == "hello\n", "the file copied into the volume: \(out)")
    #expect(d.leftoverMounts.isEmpty, "mounts left by cp: \(d.leftoverMounts)")
    _ = try d.docker("rm", "-f", "s", "v")
    _ = try d.docker("volume", "rm", "cpvol")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func containerSymlinksResolveInsideTheContainer() throws {
    let d = TestBerthd(tag: "cp-links")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let host = Scratch()
    try host.write("hello.txt", "hello\n")
    // A directory that exists on the host and (with other contents) in the container.
    let marker = Integration.tempDir("cp-marker")
    defer { try? FileManager.default.removeItem(atPath: marker) }
    try "HOST-SECRET\n".write(toFile: marker + "/secret", atomically: false, encoding: .utf8)
    try "HOST-ONLY\n".write(toFile: marker + "/only-on-host", atomically: false, encoding: .utf8)

    let script = """
      mkdir -p \(marker) && echo CONTAINER > \(marker)/secret && echo container-shadow > /etc/shadow && \
      ln -s \(marker)/secret /abs && ln -s ../../../../../../..\(marker)/secret /rel && \
      ln -s /etc/shadow /shadowlink && ln -s \(marker) /dirlink && ln -s \(marker)/only-on-host /hostonly && \
      ln -s / /rootlink && sleep 300
      """
    var (rc, out) = try d.docker("run", "-d", "--name", "l", "busybox", "sh", "-c", script)
    try #require(rc == 0, "docker run: \(out)")
    for _ in 0..<50 {
      if (try d.docker("exec", "l", "test", "-L", "/rootlink")).0 == 0 { break }
      usleep(100_000)
    }

    for (link, name) in [("/abs", "abs"), ("/rel", "rel"), ("/shadowlink", "shadow")] {
      (rc, out) = try d.docker("cp", "-L", "l:" + link, host.path + "/" + name)
      #expect(rc == 0, "cp -L \(link): \(out)")
      #expect(
        host.read(name) != nil && host.read(name)?.contains("HOST") == false, "\(link) gave \(host.read(name) ?? "")")
    }
    #expect(host.read("shadow") == "container-shadow\n")
    (rc, out) = try d.docker("cp", "l:/dirlink/secret", host.path + "/through-dir")
    #expect(rc == 0 && host.read("through-dir") == "CONTAINER\n", "cp through a dir link: \(out)")
    (rc, out) = try d.docker("cp", "l:/rootlink/etc/shadow", host.path + "/through-root")
    #expect(rc == 0 && host.read("through-root") == "container-shadow\n", "cp through a link to /: \(out)")
    // Without -L the link itself is copied.
    (rc, out) = try d.docker("cp", "l:/abs", host.path + "/nofollow")
    #expect(rc == 0, "\(out)")
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: host.path + "/nofollow")) == marker + "/secret")
    // A link to a path only the host has finds nothing.
    (rc, out) = try d.docker("cp", "-L", "l:/hostonly", host.path + "/hostonly")
    #expect(rc != 0 && host.read("hostonly") == nil, "a host-only target was copied: \(out)")

    // Writing through a container link to a host path lands in the container.
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "l:/dirlink/")
    #expect(rc == 0, "cp into a dir link: \(out)")
    (rc, out) = try d.docker("exec", "l", "cat", marker + "/hello.txt")
    #expect(rc == 0 && out == "hello\n", "\(out)")
    #expect(!FileManager.default.fileExists(atPath: marker + "/hello.txt"), "cp wrote into the host's \(marker)")
    (rc, out) = try d.docker("cp", host.path + "/hello.txt", "l:/rootlink" + marker + "/again.txt")
    #expect(rc == 0, "\(out)")
    #expect(!FileManager.default.fileExists(atPath: marker + "/again.txt"), "cp wrote into the host's \(marker)")
    #expect((try? String(contentsOfFile: marker + "/secret", encoding: .utf8)) == "HOST-SECRET\n")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func hostileTarsWriteNothingOutside() throws {
    let d = TestBerthd(tag: "cp-hostile")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let target = Integration.tempDir("cp-target")
    defer { try? FileManager.default.removeItem(atPath: target) }
    let rel = String(target.dropFirst())

    var (rc, out) = try d.docker(
      "run", "-d", "--name", "h", "busybox", "sh", "-c", "mkdir /dst && ln -s \(target) /dst/lnk && sleep 300")
    try #require(rc == 0, "docker run: \(out)")
    for _ in 0..<50 {
      if (try d.docker("exec", "h", "test", "-L", "/dst/lnk")).0 == 0 { break }
      usleep(100_000)
    }
    let hostile: [(String, [UInt8])] = [
      ("dot-dot", Tar.file("../../../../../../../../" + rel + "/evil", "evil\n") + Tar.end),
      ("through a symlink", Tar.file("lnk/evil", "evil\n") + Tar.end),
      (
        "symlink then through it",
        Tar.entry("up", type: UInt8(ascii: "2"), link: target) + Tar.file("up/evil", "evil\n") + Tar.end
      ),
      ("hardlink out", Tar.entry("hl", type: UInt8(ascii: "1"), link: "../../../../etc/hostname") + Tar.end),
    ]
    for (what, tar) in hostile {
      (rc, out) = try d.docker(["cp", "-", "h:/dst"], stdin: Data(tar))
      #expect(rc != 0, "\(what) was accepted: \(out)")
      #expect(Self.entries(target).isEmpty, "\(what) wrote on the host: \(Self.entries(target))")
    }
    // An absolute name is read as relative to the destination, as dockerd does.
    (rc, out) = try d.docker(["cp", "-", "h:/dst"], stdin: Data(Tar.file("/" + rel + "/abs", "abs\n") + Tar.end))
    #expect(rc == 0, "absolute entry: \(out)")
    #expect(Self.entries(target).isEmpty, "an absolute entry wrote on the host: \(Self.entries(target))")
    (rc, out) = try d.docker("exec", "h", "cat", "/dst/" + rel + "/abs")
    #expect(rc == 0 && out == "abs\n", "\(out)")
  }

  static func entries(_ dir: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
  }

  // MARK: resolution inside a root, without berthd

  @Test(.enabled(if: getuid() == 0, "needs root for a private directory tree"))
  func inRootResolutionNeverLeavesTheRoot() throws {
    let root = Integration.tempDir("inroot")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
    try "inside\n".write(toFile: root + "/etc/hostname", atomically: false, encoding: .utf8)
    try fm.createSymbolicLink(atPath: root + "/abs", withDestinationPath: "/etc/hostname")
    try fm.createSymbolicLink(atPath: root + "/rel", withDestinationPath: "../../../../etc/hostname")
    try fm.createSymbolicLink(atPath: root + "/up", withDestinationPath: "../..")
    let rootFD = open(root, O_RDONLY | O_DIRECTORY)
    defer { close(rootFD) }
    var inside = stat()
    stat(root + "/etc/hostname", &inside)
    for useOpenat2 in [true, false] {
      for path in ["/abs", "rel", "/up/up/etc/hostname", "/../../etc/hostname"] {
        let fd = useOpenat2 ? try InRootPath.open(rootFD, path) : try InRootPath.walk(rootFD, path)
        guard let fd else {
          Issue.record("\(path) not found (openat2: \(useOpenat2))")
          continue
        }
        var st = stat()
        fstatat(fd, "", &st, InRootPath.atEmptyPath)
        close(fd)
        #expect(st.st_ino == inside.st_ino && st.st_dev == inside.st_dev, "\(path) left the root")
      }
      #expect(try InRootPath.walk(rootFD, "/up/nothing") == nil)
    }
    #expect(ContainerPath.absolute("etc/") == "/etc/")
    #expect(ContainerPath.absolute("/etc/.") == "/etc/.")
    #expect(ContainerPath.absolute("/a/../b") == "/b")
    #expect(ContainerPath.goBase("/etc/") == "etc")
  }
}

/// Minimal ustar writer for crafted (hostile) archives.
enum Tar {
  static func entry(_ name: String, type: UInt8, size: Int = 0, link: String = "") -> [UInt8] {
    var h = [UInt8](repeating: 0, count: 512)
    func put(_ s: String, _ offset: Int, _ length: Int) {
      for (i, b) in s.utf8.prefix(length).enumerated() { h[offset + i] = b }
    }
    put(name, 0, 100)
    put("0000644", 100, 7)
    put("0000000", 108, 7)
    put("0000000", 116, 7)
    put(String(format: "%011o", size), 124, 11)
    put("00000000000", 136, 11)
    h[156] = type
    put(link, 157, 100)
    put("ustar", 257, 5)
    put("00", 263, 2)
    for i in 148..<156 { h[i] = 0x20 }
    let sum = h.reduce(0) { $0 + Int($1) }
    put(String(format: "%06o", sum), 148, 6)
    h[154] = 0
    return h
  }

  static func file(_ name: String, _ text: String) -> [UInt8] {
    let data = Array(text.utf8)
    let padding = (512 - data.count % 512) % 512
    return entry(name, type: UInt8(ascii: "0"), size: data.count) + data + [UInt8](repeating: 0, count: padding)
  }

  static let end = [UInt8](repeating: 0, count: 1024)
}
