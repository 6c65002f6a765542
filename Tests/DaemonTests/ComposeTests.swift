// Debian's docker-compose 1.29 against berthd, on a project of image-only services: the
// project network with service names resolving, a healthcheck gating depends_on, a named
// volume, a published port; `down -v` leaves nothing.
import Foundation
import Testing

@Suite(.serialized) struct ComposeTests {
  static let compose = "/usr/bin/docker-compose"
  static let enabled = NetworkEngineTests.enabled && FileManager.default.isExecutableFile(atPath: compose)

  static let project = """
    version: "3.8"
    services:
      cache:
        image: busybox
        command: ["sh", "-c", "echo cached > /index.html && exec httpd -f -p 80 -h /"]
        healthcheck:
          test: ["CMD", "true"]
          interval: 1s
      web:
        image: busybox
        command:
          - sh
          - -c
          - while true; do printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 cache 80 | tail -1 > /data/last; sleep 0.2; done
        depends_on:
          cache:
            condition: service_healthy
        volumes:
          - data:/data
        ports:
          - "127.0.0.1:18500:80"
    volumes:
      data: {}
    """

  @Test(.enabled(if: enabled, "needs root, nft, docker-compose and the built binaries"))
  func upExecAndDownOfAProject() throws {
    let d = TestBerthd(tag: "compose", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let dir = d.dir + "/app"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Self.project.write(toFile: dir + "/docker-compose.yml", atomically: true, encoding: .utf8)
    func compose(_ args: String...) throws -> (Int32, String) {
      var env = d.environment
      env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  // its `exec` runs the docker CLI on PATH
      return try Integration.run(
        ["/usr/bin/timeout", "120", "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", dir, Self.compose] + args, env: env)
    }
    var (rc, out) = try compose("up", "-d")
    #expect(rc == 0, "up: \(out)\n\(d.logText.suffix(1500))")
    (rc, out) = try compose("ps")
    #expect(out.contains("Up (healthy)") && out.contains("127.0.0.1:18500->80/tcp"), "ps: \(out)")
    // web reaches cache by its service name, through the project network's resolver.
    var last = ""
    for _ in 0..<50 {
      (rc, last) = try compose("exec", "-T", "web", "cat", "/data/last")
      if last == "cached\n" { break }
      usleep(200_000)
    }
    #expect(last == "cached\n", "web's view of cache: \(last)")
    (rc, out) = try compose("restart")
    #expect(rc == 0, "restart: \(out)")
    (rc, out) = try compose("down", "-v")
    #expect(
      rc == 0 && out.contains("Removing network app_default") && out.contains("Removing volume app_data"),
      "down: \(out)")
    (rc, out) = try d.docker("network", "ls", "--format", "{{.Name}}")
    #expect(out == "bridge\nhost\nnone\n", "networks after down: \(out)")
    (rc, out) = try d.docker("volume", "ls", "-q")
    #expect(out.isEmpty, "volumes after down -v: \(out)")
    #expect(try NetworkEngineTests.leftovers(d) == [])
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// `up -d --build` builds a service from its Dockerfile through berthd's POST /build
  /// (docker-compose 1.29 takes the image ID from `Successfully built`), and a second `up
  /// --build` reuses the build cache.
  @Test(.enabled(if: enabled, "needs root, nft, docker-compose and the built binaries"))
  func upBuildsAServiceFromItsDockerfile() throws {
    let d = TestBerthd(tag: "compose-build", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let dir = d.dir + "/built"
    try FileManager.default.createDirectory(atPath: dir + "/web", withIntermediateDirectories: true)
    try """
    version: "3.8"
    services:
      web:
        build: ./web
        ports:
          - "127.0.0.1:18501:80"
    """.write(toFile: dir + "/docker-compose.yml", atomically: true, encoding: .utf8)
    try """
    FROM busybox
    COPY page.html /www/index.html
    CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
    """.write(toFile: dir + "/web/Dockerfile", atomically: true, encoding: .utf8)
    try "built by compose\n".write(toFile: dir + "/web/page.html", atomically: true, encoding: .utf8)
    func compose(_ args: String...) throws -> (Int32, String) {
      var env = d.environment
      env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
      return try Integration.run(
        ["/usr/bin/timeout", "120", "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", dir, Self.compose] + args, env: env)
    }
    var (rc, out) = try compose("up", "-d", "--build")
    #expect(rc == 0 && out.contains("Successfully built"), "up --build: \(out)\n\(d.logText.suffix(1500))")
    #expect(try NetworkEngineTests.fetch(d, "http://127.0.0.1:18501/index.html") == "built by compose\n")
    (rc, out) = try compose("up", "-d", "--build")
    #expect(rc == 0 && out.contains("Using cache"), "second up --build: \(out)")
    (rc, out) = try compose("down", "--rmi", "local")
    #expect(rc == 0, "down: \(out)")
    #expect(try NetworkEngineTests.leftovers(d) == [])
    #expect(d.waitForNoLeftovers().isEmpty, "\(d.leftovers())")
  }
}
