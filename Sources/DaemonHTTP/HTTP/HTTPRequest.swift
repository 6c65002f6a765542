import NIOHTTP1
import EngineAPI

/// A parsed request as the routes see it.
struct HTTPRequest: Sendable {
  var method: HTTPMethod
  /// The path without the `/v1.NN` prefix and without the query, percent-decoded per segment.
  var path: String
  /// The path split at `/`, percent-decoded.
  var segments: [String]
  var apiVersion: APIVersion
  /// The version the client asked for in the path, if any (validated by the router).
  var requestedVersion: String?
  var query: QueryParameters
  var headers: HTTPHeaders
  var body: RequestBody

  init(head: HTTPRequestHead, body: RequestBody) {
    method = head.method
    headers = head.headers
    self.body = body
    let uri = head.uri
    let (rawPath, rawQuery): (Substring, Substring) =
      if let q = uri.firstIndex(of: "?") {
        (uri[..<q], uri[uri.index(after: q)...])
      } else {
        (uri[...], "")
      }
    query = QueryParameters(rawQuery)
    var segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map {
      percentDecode($0, plusIsSpace: false)
    }
    requestedVersion = nil
    apiVersion = .current
    if let first = segments.first, first.hasPrefix("v"), first.count > 1,
      first.dropFirst().allSatisfy({ $0.isNumber || $0 == "." })
    {
      requestedVersion = String(first.dropFirst())
      apiVersion = APIVersion(first.dropFirst()) ?? .current
      segments.removeFirst()
    }
    self.segments = segments
    path = "/" + segments.joined(separator: "/")
  }
}

enum RequestBody: Sendable {
  case buffered([UInt8])
  case stream(ByteStream)

  /// The whole body (a streamed body is collected; only small bodies are expected here).
  func collect(limit: Int = 64 << 20) async throws -> [UInt8] {
    switch self {
    case .buffered(let bytes): return bytes
    case .stream(let stream):
      var all: [UInt8] = []
      for try await chunk in stream {
        all += chunk
        if all.count > limit { throw EngineError.badParameter("request body larger than \(limit) bytes") }
      }
      return all
    }
  }

  /// The body as a stream of chunks.
  var stream: ByteStream {
    switch self {
    case .stream(let s): return s
    case .buffered(let bytes):
      return AsyncThrowingStream { continuation in
        if !bytes.isEmpty { continuation.yield(bytes) }
        continuation.finish()
      }
    }
  }
}

/// Query parameters in order; a name may repeat (`names=a&names=b`).
struct QueryParameters: Sendable {
  var items: [(name: String, value: String)]

  init(_ raw: Substring) {
    items = raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      if let eq = pair.firstIndex(of: "=") {
        return (
          percentDecode(pair[..<eq], plusIsSpace: true),
          percentDecode(pair[pair.index(after: eq)...], plusIsSpace: true)
        )
      }
      return (percentDecode(pair, plusIsSpace: true), "")
    }
  }

  subscript(name: String) -> String? { items.first { $0.name == name }?.value }

  func all(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }

  /// dockerd's `BoolValue`: anything but "", "0", "no", "false", "none" is true.
  func bool(_ name: String, default defaultValue: Bool = false) -> Bool {
    guard let v = self[name] else { return defaultValue }
    return !["", "0", "no", "false", "none"].contains(v.lowercased().trimmingSpaces)
  }

  /// An optional integer; empty means absent; garbage is a 400.
  func int(_ name: String) throws -> Int? {
    guard let v = self[name]?.trimmingSpaces, !v.isEmpty else { return nil }
    guard let n = Int(v) else { throw EngineError.badParameter("invalid value for \(name): \(v)") }
    return n
  }

  /// Unix seconds, possibly fractional ("1700000000.5"); empty means absent.
  func timestamp(_ name: String) throws -> Double? {
    guard let v = self[name]?.trimmingSpaces, !v.isEmpty else { return nil }
    guard let n = Double(v) else { throw EngineError.badParameter("invalid value for \(name): \(v)") }
    return n
  }

  func filters() throws -> Filters { try Filters(json: self["filters"]) }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}

func percentDecode(_ s: Substring, plusIsSpace: Bool) -> String {
  guard s.contains("%") || (plusIsSpace && s.contains("+")) else { return String(s) }
  var out: [UInt8] = []
  out.reserveCapacity(s.utf8.count)
  var it = Array(s.utf8)[...]
  while let c = it.popFirst() {
    if c == UInt8(ascii: "%"), it.count >= 2, let hi = hexValue(it[it.startIndex]),
      let lo = hexValue(it[it.startIndex + 1])
    {
      out.append(hi << 4 | lo)
      it.removeFirst(2)
    } else if plusIsSpace && c == UInt8(ascii: "+") {
      out.append(UInt8(ascii: " "))
    } else {
      out.append(c)
    }
  }
  return String(decoding: out, as: UTF8.self)
}

private func hexValue(_ c: UInt8) -> UInt8? {
  switch c {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
  default: nil
  }
}
