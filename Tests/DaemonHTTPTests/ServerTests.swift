import DaemonHTTP
import EngineAPI
import Foundation
import Testing

@Suite struct ServerTests {
  @Test func pingGetAndHead() async throws {
    try await withServer { sock, _ in
      let get = try await request(sock, "GET", "/_ping")
      #expect(get.status == 200)
      #expect(get.text == "OK")
      #expect(get.headers["api-version"] == "1.47")
      #expect(get.headers["ostype"] == "linux")
      #expect(get.headers["builder-version"] == "1")
      #expect(get.headers["docker-experimental"] == "false")
      #expect(get.headers["cache-control"] == "no-cache, no-store, must-revalidate")
      #expect(get.headers["pragma"] == "no-cache")
      #expect(get.headers["server"]?.hasPrefix("Docker/") == true)
      let head = try await request(sock, "HEAD", "/_ping")
      #expect(head.status == 200)
      #expect(head.headers["api-version"] == "1.47")
      #expect(head.body.isEmpty)
      let versioned = try await request(sock, "HEAD", "/v1.40/_ping")
      #expect(versioned.status == 200)
    }
  }

  @Test func versionPrefixes() async throws {
    try await withServer { sock, _ in
      let plain = try await request(sock, "GET", "/version")
      #expect(plain.status == 200)
      #expect(try jsonObject(plain.body)["ApiVersion"] == .string("1.47"))
      let v47 = try await request(sock, "GET", "/v1.47/version")
      #expect(v47.status == 200)
      #expect(v47.headers["content-type"] == "application/json")
      #expect(try jsonObject(v47.body)["Version"] == .string("0.1.0-test"))
      let old = try await request(sock, "GET", "/v1.12/version")
      #expect(old.status == 400)
      #expect(
        try jsonObject(old.body)["message"]
          == .string(
            "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version"
          ))
      let new = try await request(sock, "GET", "/v1.99/version")
      #expect(new.status == 400)
    }
  }

  @Test func notFoundAndErrors() async throws {
    try await withServer { sock, _ in
      let missing = try await request(sock, "GET", "/v1.47/nothing/here")
      #expect(missing.status == 404)
      #expect(try jsonObject(missing.body) == ["message": .string("page not found")])
      let conflict = try await request(sock, "POST", "/v1.47/containers/busy/start")
      #expect(conflict.status == 409)
      #expect(try jsonObject(conflict.body)["message"] == .string("container busy is already running"))
      let noSuch = try await request(sock, "GET", "/containers/zzz/json")
      #expect(noSuch.status == 404)
      #expect(try jsonObject(noSuch.body)["message"] == .string("No such container: zzz"))
      let unimplemented = try await request(sock, "GET", "/volumes")
      #expect(unimplemented.status == 501)
      let badJSON = try await request(sock, "POST", "/containers/create", body: Array("{".utf8))
      #expect(badJSON.status == 400)
    }
  }

  @Test func createDecodesTheCLIBody() async throws {
    try await withServer { sock, backend in
      let body = Array(
        #"{"Image":"busybox","Cmd":["sleep","1"],"Env":["A=b"],"HostConfig":{"Memory":67108864,"NanoCpus":500000000}}"#
          .utf8)
      let r = try await request(
        sock, "POST", "/v1.47/containers/create?name=x", headers: ["Content-Type": "application/json"], body: body)
      #expect(r.status == 201)
      #expect(try jsonObject(r.body)["Id"] == .string("c1"))
      let created = await backend.state.created
      #expect(created.count == 1)
      #expect(created.first?.name == "x")
      #expect(created.first?.request.hostConfig?.nanoCpus == 500_000_000)
    }
  }

  @Test func keepAliveServesSeveralRequests() async throws {
    try await withServer { sock, _ in
      try await offThread {
        let client = try RawHTTPClient(socketPath: sock)
        for _ in 0..<3 {
          let r = try client.request("GET", "/_ping")
          #expect(r.text == "OK")
        }
        let i = try client.request("GET", "/info")
        #expect(try jsonObject(i.body)["Name"] == .string("fakehost"))
        // Pipelined: the second and third requests arrive while the first is being answered.
        try client.send(
          "HEAD /_ping HTTP/1.1\r\nHost: d\r\n\r\nGET /v1.47/containers/c1/json HTTP/1.1\r\nHost: d\r\n\r\n"
            + "POST /containers/c1/resize?h=1&w=2 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")
        #expect(try client.readResponse(head: true).status == 200)
        #expect(try jsonObject(client.readResponse().body)["Id"] == .string("c1"))
        #expect(try client.readResponse().status == 200)
      }
    }
  }

  @Test func imageNamesWithSlashesAndColons() async throws {
    try await withServer { sock, _ in
      let r = try await request(sock, "GET", "/v1.47/images/localhost:5000/a/b:tag/json")
      #expect(r.status == 200)
      #expect(try jsonObject(r.body)["RepoTags"] == .array([.string("localhost:5000/a/b:tag")]))
      let d = try await request(sock, "DELETE", "/images/localhost:5000/a/b:tag?force=1")
      #expect(d.status == 200)
      #expect(d.text.contains(#""Untagged":"localhost:5000/a/b:tag""#))
    }
  }

  @Test func chunkedLogsAreMultiplexed() async throws {
    try await withServer { sock, _ in
      let r = try await request(sock, "GET", "/v1.47/containers/c1/logs?stdout=1&stderr=1")
      #expect(r.status == 200)
      #expect(r.headers["transfer-encoding"] == "chunked")
      #expect(r.headers["content-type"] == "application/vnd.docker.multiplexed-stream")
      let (frames, rest) = StdStreamFrame.decode(r.body)
      #expect(rest.isEmpty)
      #expect(
        frames == [
          OutputChunk(stream: .stdout, bytes: Array("hello\n".utf8)),
          OutputChunk(stream: .stderr, bytes: Array("oops\n".utf8)),
        ])
      let tty = try await request(sock, "GET", "/v1.47/containers/t1/logs?stdout=1&stderr=1")
      #expect(tty.headers["content-type"] == "application/vnd.docker.raw-stream")
      #expect(tty.text == "hello\noops\n")
      let none = try await request(sock, "GET", "/containers/c1/logs")
      #expect(none.status == 400)
    }
  }

  @Test func waitSendsHeadersBeforeTheResult() async throws {
    try await withServer { sock, backend in
      try await offThread {
        let client = try RawHTTPClient(socketPath: sock)
        try client.send(
          "POST /v1.47/containers/c1/wait?condition=next-exit HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")
        // The head arrives while the container has not started yet.
        let head = try client.readHead()
        #expect(head.status == 200)
        return ()
      }
      await backend.state.start("c1")
      let r = try await request(sock, "POST", "/containers/c1/wait")
      #expect(try jsonObject(r.body)["StatusCode"] == .number(3))
      let bad = try await request(sock, "POST", "/containers/c1/wait?condition=whenever")
      #expect(bad.status == 400)
    }
  }

  @Test func loadStreamsTheBody() async throws {
    try await withServer { sock, backend in
      let size = 3 << 20
      let r = try await offThread {
        let client = try RawHTTPClient(socketPath: sock)
        try client.send("POST /v1.47/images/load?quiet=1 HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = [UInt8](repeating: 7, count: 64 << 10)
        for _ in 0..<(size / chunk.count) {
          try client.send(Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8))
        }
        try client.send("0\r\n\r\n")
        return try client.readResponse()
      }
      #expect(r.status == 200)
      #expect(r.text.contains("Loaded image: fake:latest (\(size) bytes)"))
      #expect(await backend.state.loadedBytes == size)
    }
  }

  @Test func hijackedAttachEchoesBothWays() async throws {
    try await withServer { sock, _ in
      try await offThread {
        let client = try RawHTTPClient(socketPath: sock)
        try client.send(
          "POST /v1.47/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: d\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n")
        let head = try client.readHead()
        #expect(head.statusLine == "HTTP/1.1 101 UPGRADED")
        #expect(head.headers["content-type"] == "application/vnd.docker.multiplexed-stream")
        #expect(head.headers["upgrade"] == "tcp")
        #expect(head.headers["connection"] == "Upgrade")
        try client.send("ping\n")
        let frame = try client.readExactly(8 + 5)
        #expect(frame == StdStreamFrame.encode(stream: .stdout, Array("ping\n".utf8)))
        try client.send("again\n")
        #expect(try client.readExactly(8 + 6) == StdStreamFrame.encode(stream: .stdout, Array("again\n".utf8)))
        // Half-close: stdin ends, output still arrives, then the server closes.
        client.shutdownWrite()
        let rest = try client.readToEOF()
        #expect(rest == StdStreamFrame.encode(stream: .stderr, Array("bye\n".utf8)))
      }
    }
  }

  @Test func hijackWithoutUpgradeAnswers200AndTTYIsRaw() async throws {
    try await withServer { sock, _ in
      try await offThread {
        let client = try RawHTTPClient(socketPath: sock)
        try client.send(
          "POST /containers/t1/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")
        let head = try client.readHead()
        #expect(head.status == 200)
        #expect(head.headers["content-type"] == "application/vnd.docker.raw-stream")
        try client.send("x\n")
        #expect(try client.readExactly(2) == Array("x\n".utf8))
        client.shutdownWrite()
        #expect(try client.readToEOF() == Array("bye\n".utf8))
      }
      let missing = try await request(
        sock, "POST", "/containers/nope/attach?stream=1", headers: ["Connection": "Upgrade", "Upgrade": "tcp"])
      #expect(missing.status == 404)
    }
  }
}
