// Dockerfile builds (POST /build) through `berth build` and the real docker CLI's classic
// builder client (DOCKER_BUILDKIT=0) against the built berthd, on busybox made locally.
// Needs root, busybox, docker and the built binaries (berth-cp too: `berth build` runs there).
import Foundation
import Testing

@Suite(.serialized) struct BuildTests {
  static var missing: String? {
    TestBerthd.missing ?? (Integration.binary("berth-cp") == nil ? "needs the built berth-cp" : nil)
  }

  /// A context directory with `files` (path → content) under the daemon's test directory.
  static func context(_ d: TestBerthd, _ name: String, _ files: [String: String]) throws -> String {
    let dir = d.dir + "/" + name
    for (path, content) in files {
      let full = dir + "/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try content.write(toFile: full, atomically: false, encoding: .utf8)
    }
    return dir
  }

  static func berth(_ d: TestBerthd, _ args: [String]) throws -> (Int32, String) {
    guard let berth = Integration.binary("berth") else { throw IntegrationError("berth not built") }
    return try Integration.run(["/usr/bin/timeout", "120", berth] + args, env: d.environment)
  }

  static func classicDocker(_ d: TestBerthd, _ args: [String]) throws -> (Int32, String) {
    var env = d.environment
    env["DOCKER_BUILDKIT"] = "0"
    return try Integration.run(["/usr/bin/timeout", "120", TestBerthd.dockerBinary] + args, env: env)
  }

  static func inspect(_ d: TestBerthd, _ image: String, _ format: String) throws -> String {
    try d.docker("image", "inspect", "-f", format, image).1.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The base image of the seed's Dockerfile: Debian 12 with gcc, made by
  /// scripts/make-gcc-rootfs.sh from Debian's mirror (once per machine, cached).
  static func importGCCBase(_ d: TestBerthd) throws {
    let rootfs = "/var/cache/berth-gcc-rootfs"
    let (mrc, mout) = try Integration.run(["/bin/sh", Integration.repoRoot + "/scripts/make-gcc-rootfs.sh", rootfs])
    guard mrc == 0 else { throw IntegrationError("make-gcc-rootfs.sh: \(mout)") }
    let tar = d.dir + "/gcc-base.tar"
    let (trc, tout) = try Integration.run(["/bin/tar", "--numeric-owner", "-C", rootfs, "-cf", tar, "."])
    guard trc == 0 else { throw IntegrationError("tar: \(tout)") }
    let (irc, iout) = try d.docker("import", tar, "gcc-base")
    guard irc == 0 else { throw IntegrationError("import: \(iout)") }
    try FileManager.default.removeItem(atPath: tar)
  }

  /// The seed's walkthrough (../shared/seeds/how-docker-works-under-the-hood.txt) with a
  /// local base image: FROM, WORKDIR, COPY of a small C web server's source, RUN that
  /// compiles it with gcc and writes index.html, CMD, EXPOSE (bench/build-seed) — built by
  /// `berth build` and by the docker CLI, run with `-p 8082:8082`, and the page fetched.
  @Test(
    .enabled(
      if: BuildTests.missing == nil && NetworkEngineTests.enabled
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/debootstrap"),
      "needs root, nft, docker, debootstrap and the built binaries"))
  func seedWalkthroughBuildsRunsAndServes() throws {
    let d = TestBerthd(tag: "build-seed", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try Self.importGCCBase(d)
    let ctx = Integration.repoRoot + "/bench/build-seed"
    let (rc, out) = try Self.berth(d, ["build", "-t", "web", ctx])
    #expect(rc == 0, "\(out)\n\(d.logText.suffix(2000))")
    #expect(out.contains("Step 1/6 : FROM gcc-base") && out.contains("Step 6/6 : EXPOSE 8082"), "\(out)")
    #expect(out.range(of: #"Successfully built [0-9a-f]{12}\n"#, options: .regularExpression) != nil, "\(out)")
    #expect(out.contains("Successfully tagged web:latest"), "\(out)")
    #expect(
      try Self.inspect(d, "web", "{{json .Config.Cmd}} {{.Config.WorkingDir}} {{json .Config.ExposedPorts}}")
        == #"["./tiny","8082"] /home {"8082/tcp":{}}"#)
    // One history entry per step after FROM, each with its instruction.
    let history = try d.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "web").1
    for step in [
      "WORKDIR /home", "COPY tiny.c /home", "RUN /bin/sh -c gcc tiny.c -o tiny", "CMD [\"./tiny\"", "EXPOSE 8082/tcp",
    ] {
      #expect(history.contains(step), "\(step) in \(history)")
    }

    let (drc, dout) = try Self.classicDocker(d, ["build", "-t", "web-docker", ctx])
    #expect(drc == 0, "\(dout)")
    #expect(dout.contains("Successfully tagged web-docker:latest"), "\(dout)")
    // The docker CLI's build of the same context hits the cache of berth's: the same image.
    #expect(try Self.inspect(d, "web-docker", "{{.Id}}") == (try Self.inspect(d, "web", "{{.Id}}")))

    let (r1, o1) = try d.docker("run", "-d", "--name", "web", "-p", "8082:8082", "web")
    #expect(r1 == 0, "\(o1)")
    #expect(try NetworkEngineTests.fetch(d, "http://127.0.0.1:8082/index.html") == "Hello World\n")
    _ = try d.docker("rm", "-f", "web")
    #expect(try NetworkEngineTests.leftovers(d) == [])
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// A relative CMD (`["./serve.sh"]`) runs from the working directory, as with runc.
  @Test(.enabled(if: BuildTests.missing == nil, "needs root, docker, busybox and the built binaries"))
  func relativeCommandRunsFromTheWorkingDirectory() throws {
    let d = TestBerthd(tag: "build-relative")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "relative",
      [
        "Dockerfile":
          "FROM busybox\nWORKDIR /home\nCOPY serve.sh .\nRUN chmod +x serve.sh\nCMD [\"./serve.sh\", \"hi\"]\n",
        "serve.sh": "#!/bin/sh\necho \"$1 from $(pwd)\"\n",
      ])
    let (rc, out) = try Self.berth(d, ["build", "-t", "relative", ctx])
    #expect(rc == 0, "\(out)")
    #expect(try d.docker("run", "--rm", "relative").1 == "hi from /home\n")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// An unchanged rebuild reuses every step and gives the same image; a changed COPY source
  /// rebuilds from that step; a changed mode misses; a changed file time alone hits.
  @Test(.enabled(if: BuildTests.missing == nil, "needs root, docker, busybox and the built binaries"))
  func cacheReusesStepsAndRebuildsFromAChangedSource() throws {
    let d = TestBerthd(tag: "build-cache")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "cache",
      [
        "Dockerfile": "FROM busybox\nENV A=1\nCOPY first.txt /f/\nRUN cat /f/first.txt > /f/copy\nCOPY second.txt /f/\n"
          + "RUN ls -l /f > /f/listing\nCMD [\"cat\", \"/f/listing\"]\n",
        "first.txt": "one\n", "second.txt": "two\n",
      ])
    func build() throws -> (String, String) {
      let (rc, out) = try Self.berth(d, ["build", "-t", "cached", ctx])
      #expect(rc == 0, "\(out)")
      return (out, try Self.inspect(d, "cached", "{{.Id}}"))
    }
    let (first, id1) = try build()
    #expect(!first.contains("Using cache"), "\(first)")
    let (second, id2) = try build()
    #expect(second.components(separatedBy: "Using cache").count - 1 == 6, "\(second)")
    #expect(id1 == id2)

    try "TWO\n".write(toFile: ctx + "/second.txt", atomically: false, encoding: .utf8)
    let (third, id3) = try build()
    #expect(third.components(separatedBy: "Using cache").count - 1 == 3, "env, first copy and run: \(third)")
    #expect(id3 != id1)

    // Only the time changes: every step hits.
    #expect(try Integration.run(["/usr/bin/touch", "-d", "2001-01-01", ctx + "/second.txt"]).0 == 0)
    let (fourth, id4) = try build()
    #expect(fourth.components(separatedBy: "Using cache").count - 1 == 6, "\(fourth)")
    #expect(id4 == id3)

    // chmod +x misses from that COPY on.
    #expect(try Integration.run(["/bin/chmod", "+x", ctx + "/second.txt"]).0 == 0)
    let (fifth, _) = try build()
    #expect(fifth.components(separatedBy: "Using cache").count - 1 == 3, "\(fifth)")
    #expect(try d.docker("run", "--rm", "cached").1.contains("-rwxr-xr-x"))

    // --no-cache runs every step; `builder prune` empties the cache.
    let (rc, noCache) = try Self.berth(d, ["build", "--no-cache", "-t", "cached", ctx])
    #expect(rc == 0 && !noCache.contains("Using cache"), "\(noCache)")
    // The steps' images are the build cache `system df` counts, and what `builder prune` removes.
    let df = try d.docker("system", "df", "--format", "{{.Type}}={{.TotalCount}}").1
    #expect(df.contains("Build Cache=") && !df.contains("Build Cache=0"), "\(df)")
    let (prc, pruned) = try d.docker("builder", "prune", "-f")
    #expect(prc == 0, "\(pruned)")
    #expect(try d.docker("system", "df", "--format", "{{.Type}}={{.TotalCount}}").1.contains("Build Cache=0"))
    let (after, _) = try build()
    #expect(!after.contains("Using cache"), "\(after)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// Multi-stage COPY --from onto scratch, a heredoc, --chown by name, ADD of a local
  /// archive, .dockerignore with an exception, --target, -q and --iidfile, build args.
  @Test(.enabled(if: BuildTests.missing == nil, "needs root, docker, busybox and the built binaries"))
  func stagesSourcesAndOptions() throws {
    let d = TestBerthd(tag: "build-stages")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "stages",
      [
        "Dockerfile": """
        ARG BASE=busybox
        FROM $BASE AS build
        ARG WHO=nobody
        RUN mkdir /out && echo "built by $WHO" > /out/artifact \\
          && echo app:x:1234:2345::/:/bin/sh >> /etc/passwd && echo app:x:2345: >> /etc/group
        COPY --chown=app files/ /files/
        ADD files.tar /unpacked/
        COPY . /ctx/
        FROM scratch
        COPY --from=build /out/artifact /artifact
        COPY --from=build /bin/busybox /bin/
        COPY <<EOT /greeting
        hello
        EOT
        CMD ["/bin/busybox", "cat", "/artifact", "/greeting"]
        """,
        "files/a.txt": "a\n", "files/sub/b.txt": "b\n",
        "debug.log": "x\n", "keep.log": "kept\n", ".dockerignore": "*.log\n!keep.log\n",
      ])
    #expect(try Integration.run(["/bin/tar", "-C", ctx + "/files", "-cf", ctx + "/files.tar", "."]).0 == 0)

    let iid = d.dir + "/iid"
    let (rc, out) = try Self.berth(
      d, ["build", "-q", "--iidfile", iid, "--build-arg", "WHO=tests", "-t", "multi", ctx])
    #expect(rc == 0, "\(out)\n\(d.logText.suffix(2000))")
    let id = try String(contentsOfFile: iid, encoding: .utf8)
    #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == id && id.hasPrefix("sha256:"), "\(out) vs \(id)")
    #expect(try d.docker("run", "--rm", "multi").1 == "built by tests\nhello\n")
    #expect(try Self.inspect(d, "multi", "{{len .RootFS.Layers}}") == "3")

    let (trc, tout) = try Self.berth(d, ["build", "--target", "build", "-t", "stage", ctx])
    #expect(trc == 0, "\(tout)")
    let listing = try d.docker(
      "run", "--rm", "stage", "sh", "-c", "ls -ln /files /files/sub /unpacked | tr -s ' ' | cut -d' ' -f3,4,9; ls /ctx"
    ).1
    #expect(listing.contains("1234 2345 a.txt") && listing.contains("1234 2345 sub"), "\(listing)")
    #expect(listing.contains("0 0 a.txt"), "the archive unpacked: \(listing)")
    #expect(listing.contains("keep.log") && !listing.contains("debug.log"), "ignore rules: \(listing)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// Independent stages run at the same time: one stage's RUN waits for a message that only
  /// the other's RUN sends (over the loopback of berthd's own network namespace), so built
  /// one after the other the build could not finish. Each stage's steps still read in order.
  @Test(.enabled(if: BuildTests.missing == nil && NetworkEngineTests.enabled, "needs root, nft, docker, busybox"))
  func independentStagesRunAtTheSameTime() throws {
    let d = TestBerthd(tag: "build-parallel", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "parallel",
      [
        "Dockerfile": """
        FROM busybox AS listener
        RUN --network=host timeout 20 nc -l -p 23456 > /got && test -s /got
        FROM busybox AS sender
        RUN --network=host for i in $(seq 100); do echo hello | nc 127.0.0.1 23456 && exit 0; sleep 0.1; done; exit 1
        FROM busybox
        COPY --from=listener /got /got
        COPY --from=sender /bin/busybox /sender-busybox
        CMD ["cat", "/got"]
        """
      ])
    let (rc, out) = try Self.berth(d, ["build", "-t", "parallel", ctx])
    #expect(rc == 0, "\(out)\n\(d.logText.suffix(2000))")
    #expect(try d.docker("run", "--rm", "parallel").1 == "hello\n")
    let order = ["Step 1/8", "Step 2/8", "Step 3/8", "Step 4/8", "Step 5/8", "Step 8/8"].map {
      out.range(of: $0)?.lowerBound
    }
    #expect(!order.contains(nil) && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(out)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// RUN --mount: a cache mount keeps its content between builds (even --no-cache ones),
  /// a tmpfs leaves nothing in the layer, a bind shows the context read-only.
  @Test(.enabled(if: BuildTests.missing == nil, "needs root, docker, busybox and the built binaries"))
  func runMountsCacheTmpfsAndBind() throws {
    let d = TestBerthd(tag: "build-mounts")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "mounts",
      [
        "Dockerfile": """
        FROM busybox
        RUN --mount=type=cache,target=/cache echo run >> /cache/log && wc -l < /cache/log > /count
        RUN --mount=type=tmpfs,target=/scratch echo temp > /scratch/t && test "$(cat /scratch/t)" = temp
        RUN --mount=type=bind,source=files,target=/src cat /src/a.txt > /copied && ! touch /src/new
        CMD ["sh", "-c", "cat /count /copied; ls /scratch | wc -l"]
        """,
        "files/a.txt": "from the context\n",
      ])
    for expected in ["1", "2"] {
      let (rc, out) = try Self.berth(d, ["build", "--no-cache", "-t", "mounts", ctx])
      #expect(rc == 0, "\(out)\n\(d.logText.suffix(2000))")
      #expect(try d.docker("run", "--rm", "mounts").1 == "\(expected)\nfrom the context\n0\n")
    }
    // The bind's sources are in the RUN's cache key: a changed file reruns it.
    try "changed\n".write(toFile: ctx + "/files/a.txt", atomically: false, encoding: .utf8)
    let (rc, out) = try Self.berth(d, ["build", "-t", "mounts", ctx])
    #expect(rc == 0 && out.components(separatedBy: "Using cache").count - 1 == 2, "\(out)")
    #expect(try d.docker("run", "--rm", "mounts").1.contains("changed"))
    // builder prune empties the cache mounts too.
    #expect(try d.docker("builder", "prune", "-f").0 == 0)
    #expect(try Self.berth(d, ["build", "-t", "mounts", ctx]).0 == 0)
    #expect(try d.docker("run", "--rm", "mounts").1.hasPrefix("1\n"))
    let (src, secret) = try Self.berth(
      d, ["build", try Self.context(d, "secret", ["Dockerfile": "FROM busybox\nRUN --mount=type=secret,id=x true\n"])])
    #expect(src != 0 && secret.contains("not supported"), "\(secret)")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// Bad input: each error says what and where, the stream ends with it (or the request
  /// answers 400), and nothing is left behind.
  @Test(.enabled(if: BuildTests.missing == nil, "needs root, docker, busybox and the built binaries"))
  func errorsAreReportedAndLeaveNothing() throws {
    let d = TestBerthd(tag: "build-errors")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let cases: [(String, String)] = [
      ("FROM busybox\nRUN echo out; exit 3\n", "The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3"),
      ("FROM busybox\nCOPY missing.txt /\n", "file not found in build context"),
      ("FROM busybox\nRUN\n", "Dockerfile:2: RUN requires at least one argument"),
      ("FROM busybox\nBOGUS x\n", "Dockerfile:2:"),
      ("FROM busybox\nCOPY a b /x\n", "the destination must be a directory and end with a /"),
      ("FROM not-here\n", "not-here"),
    ]
    for (i, (dockerfile, message)) in cases.enumerated() {
      let ctx = try Self.context(d, "bad\(i)", ["Dockerfile": dockerfile, "a": "", "b": ""])
      let (rc, out) = try Self.berth(d, ["build", ctx])
      #expect(rc != 0 && out.contains(message), "\(dockerfile): \(out)")
      let (drc, dout) = try Self.classicDocker(d, ["build", ctx])
      #expect(drc != 0 && dout.contains(message), "docker: \(dockerfile): \(dout)")
    }
    let (rc, out) = try Self.berth(d, ["build", d.dir + "/no-such-dir"])
    #expect(rc != 0 && out.contains("not found"), "\(out)")
    // Not a tar: a 400 before any build starts.
    let (crc, code) = try Integration.run([
      "/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", d.socket, "-X", "POST",
      "--data-binary", "garbage", "http://berth/build",
    ])
    #expect(crc == 0 && code == "400", "\(code)")
    #expect(try d.docker("ps", "-aq").1.isEmpty, "step containers are removed")
    #expect(TestBerthd.entries(d.dataRoot + "/builder/contexts").isEmpty, "contexts are removed")
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }

  /// The docker SDK's `images.build`, which takes the image ID from `Successfully built`.
  @Test(.enabled(if: SDKTests.missing == nil, "needs root, busybox, the built binaries and the docker SDK"))
  func sdkImagesBuild() throws {
    let d = TestBerthd(tag: "build-sdk")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let ctx = try Self.context(
      d, "sdk", ["Dockerfile": "FROM busybox\nRUN echo from-sdk > /x\nCMD [\"cat\", \"/x\"]\n"])
    let script = """
      import docker
      c = docker.from_env(timeout=120)
      image, logs = c.images.build(path="\(ctx)", tag="sdk-built:1")
      print("id", image.id)
      print("tags", image.tags)
      print("run", c.containers.run("sdk-built:1", remove=True).decode().strip())
      """
    var env = d.environment
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    let (rc, out) = try Integration.run(
      ["/usr/bin/timeout", "120", SDKTests.python ?? "python3", "-c", script], env: env)
    #expect(rc == 0, "\(out)\n\(d.logText.suffix(2000))")
    #expect(out.contains("tags ['sdk-built:1']") && out.contains("run from-sdk"), "\(out)")
    #expect(out.contains("id " + (try Self.inspect(d, "sdk-built:1", "{{.Id}}"))), "\(out)")
  }
}
