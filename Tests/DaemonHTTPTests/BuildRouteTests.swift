import EngineAPI
import Testing

@Suite struct BuildRouteTests {
  /// POST /build's query is read as dockerd reads it (repeated `t`, JSON `buildargs` with
  /// a null for "from the environment", JSON `labels`, dockerd's booleans), and the
  /// context body reaches the backend.
  @Test func queryAndBodyReachTheBuilder() async throws {
    try await withServer { sock, _ in
      let query =
        "t=a:1&t=b&dockerfile=sub%2FDockerfile&target=build&nocache=1&q=true"
        + "&buildargs=%7B%22X%22%3A%221%22%2C%22Y%22%3Anull%7D&labels=%7B%22l%22%3A%22v%22%7D"
      let r = try await request(sock, "POST", "/v1.41/build?" + query, body: Array(repeating: 0, count: 1024))
      #expect(r.status == 200)
      #expect(r.headers["content-type"] == "application/json")
      #expect(
        r.text.contains(
          #"tags=[\"a:1\", \"b\"] dockerfile=sub/Dockerfile target=build nocache=true q=true args=[\"X=1\", \"Y=nil\"]"#
        ), "\(r.text)")
      #expect(r.text.contains(#"labels=[\"l\": \"v\"] bytes=1024"#), "\(r.text)")
      let bad = try await request(sock, "POST", "/build?buildargs=not-json")
      #expect(bad.status == 400)
      #expect(bad.text.contains("invalid buildargs"))
    }
  }
}
