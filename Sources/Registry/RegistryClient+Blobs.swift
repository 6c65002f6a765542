// Blob downloads: staged in the content store's ingest dir, written at their offsets; a
// large blob as several concurrent Range requests; a dropped connection resumed with
// `Range: bytes=N-`; verified as a whole (size and digest) before the commit. Concurrent
// fetches of one digest share one download.
import AsyncHTTPClient
import ContentStore
import Dispatch
import FoundationEssentials
import NIOCore
import NIOHTTP1
import OCI
import Synchronization

/// Downloads in progress by digest, so two pulls of one image fetch each blob once.
actor InFlightBlobs {
  var tasks: [Digest: Task<BlobInfo, any Error>] = [:]

  /// Runs `download` unless a download of `digest` is already running; then waits for it.
  /// Returns whether this call joined another's download.
  func fetch(_ digest: Digest, _ download: @escaping @Sendable () async throws -> BlobInfo)
    async throws -> (BlobInfo, joined: Bool)
  {
    if let running = tasks[digest] { return (try await running.value, true) }
    let task = Task { try await download() }
    tasks[digest] = task
    defer { tasks[digest] = nil }
    return (try await task.value, false)
  }
}

/// The server answered a ranged request with the whole blob: fall back to one stream.
struct RangesUnsupported: Error {}

/// Counts received bytes and reports them, throttled, as "Downloading current/total".
final class ByteCounter: Sendable {
  let total: Int64
  let received = Atomic<Int64>(0)
  let lastReported = Atomic<Int64>(0)
  let report: @Sendable (Int64) -> Void

  init(total: Int64, report: @escaping @Sendable (Int64) -> Void) {
    self.total = total
    self.report = report
  }

  /// Back to zero (a download that starts over).
  func reset() {
    received.store(0, ordering: .relaxed)
    lastReported.store(0, ordering: .relaxed)
  }

  func add(_ n: Int64) {
    let now = received.add(n, ordering: .relaxed).newValue
    let step = max(total / 100, 256 << 10)
    let last = lastReported.load(ordering: .relaxed)
    if now - last >= step || now == total,
      lastReported.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
    {
      report(now)
    }
  }
}

/// Runs blocking file work (hashing, fsync, unpacking) off the cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { c in
    DispatchQueue.global().async { c.resume(with: Result { try body() }) }
  }
}

extension RegistryClient {
  /// Makes sure the blob `desc` of the session's repository is in `store`, downloading it if
  /// needed. `received` gets the byte count as it grows. Returns whether it was downloaded.
  @discardableResult
  func fetchBlob(
    _ session: RegistrySession, _ desc: Descriptor, into store: ContentStore,
    received: (@Sendable (Int64) -> Void)? = nil, verifying: (@Sendable () -> Void)? = nil, feed: LayerFeed? = nil
  ) async throws -> Bool {
    if let info = store.info(desc.digest), info.size == desc.size { return false }
    let (_, joined) = try await inFlight.fetch(desc.digest) {
      try await self.download(session, desc, into: store, received: received, verifying: verifying, feed: feed)
    }
    rememberBlob(desc.digest, registry: session.endpoint.registry, repository: session.repository)
    return !joined
  }

  func download(
    _ session: RegistrySession, _ desc: Descriptor, into store: ContentStore,
    received: (@Sendable (Int64) -> Void)?, verifying: (@Sendable () -> Void)?, feed: LayerFeed?
  ) async throws -> BlobInfo {
    // Another pull may have committed it while this one waited for its turn.
    if let info = store.info(desc.digest), info.size == desc.size { return info }
    let staged = try store.stage()
    defer { staged.discard() }
    feed?.attach(path: staged.path)
    let counter = ByteCounter(total: desc.size) { received?($0) }
    let what = "blob \(desc.digest) of \(session.endpoint.registry)/\(session.repository)"
    let parts = desc.size >= configuration.rangedFetchThreshold ? configuration.rangeParts : 1
    if parts > 1 {
      do {
        try await downloadParts(session, desc, parts: parts, staged: staged, counter: counter, feed: feed)
      } catch is RangesUnsupported {
        log("\(session.endpoint.baseURL) ignores Range requests; fetching \(desc.digest) in one stream")
        feed?.restart()
        try staged.truncate(to: 0)
        counter.reset()
        try await downloadRange(session, desc, from: 0, to: nil, staged: staged, counter: counter)
      }
    } else {
      try await downloadRange(session, desc, from: 0, to: nil, staged: staged, counter: counter, feed: feed)
    }
    verifying?()
    do {
      return try await blocking { try staged.commit(expected: desc.digest, expectedSize: desc.size) }
    } catch ContentStoreError.digestMismatch(let expected, let actual) {
      throw RegistryError.digestMismatch(what: what, expected: expected, actual: actual)
    } catch ContentStoreError.sizeMismatch(let expected, let actual, _) {
      throw RegistryError.sizeMismatch(what: what, expected: expected, actual: actual)
    }
  }

  /// Fetches `parts` disjoint ranges of the blob at once.
  func downloadParts(
    _ session: RegistrySession, _ desc: Descriptor, parts: Int, staged: StagedBlob, counter: ByteCounter,
    feed: LayerFeed? = nil
  ) async throws {
    let size = desc.size
    let partSize = (size + Int64(parts) - 1) / Int64(parts)
    try await withThrowingTaskGroup(of: Void.self) { group in
      var start: Int64 = 0
      while start < size {
        let s = start
        let e = min(size, start + partSize) - 1
        group.addTask {
          try await self.downloadRange(session, desc, from: s, to: e, staged: staged, counter: counter, feed: feed)
        }
        start += partSize
      }
      try await group.waitForAll()
    }
  }

  /// Downloads bytes `from...to` (to the end when `to` is nil) into `staged`, resuming with
  /// a Range request after a dropped connection; `feed` learns how far it got.
  func downloadRange(
    _ session: RegistrySession, _ desc: Descriptor, from start: Int64, to end: Int64?,
    staged: StagedBlob, counter: ByteCounter, feed: LayerFeed? = nil
  ) async throws {
    let url = session.url("/blobs/\(desc.digest)")
    let what = "blob \(desc.digest)"
    let last = end ?? (desc.size - 1)
    var offset = start
    var failures = 0
    while offset <= last {
      let ranged = end != nil || offset > 0
      var h = HTTPHeaders()
      if ranged { h.add(name: "Range", value: "bytes=\(offset)-\(end.map(String.init) ?? "")") }
      let before = offset
      do {
        let resp = try await send(session, .GET, url, headers: h, timeout: .hours(6))
        switch resp.status.code {
        case 200:
          if ranged {
            await drain(resp)
            if end != nil { throw RangesUnsupported() }
            // A whole-blob resume the server would not range: start over.
            counter.add(-offset)
            offset = 0
            feed?.restart()
            try staged.truncate(to: 0)
            throw RegistryError.transferFailed(what: what, attempts: failures, underlying: "restart")
          }
        case 206:
          let cr = resp.headers.first(name: "Content-Range") ?? ""
          guard cr.hasPrefix("bytes \(offset)-") else {
            await drain(resp)
            throw RegistryError.invalidResponse("\(what): asked for bytes \(offset)-, got Content-Range \(cr)")
          }
        case 404:
          await drain(resp)
          throw RegistryError.notFound("\(what) in \(session.repository): blob unknown to registry")
        case 429, 500...599:
          // Busy or failing for now: retried like a dropped connection.
          let error = await failure(resp, "fetching \(what)", session: session)
          throw RegistryError.transferFailed(what: what, attempts: failures, underlying: "\(error)")
        default:
          throw await failure(resp, "fetching \(what)", session: session)
        }
        for try await chunk in resp.body {
          let n = Int64(chunk.readableBytes)
          guard offset + n <= last + 1 else {
            throw RegistryError.sizeMismatch(
              what: "\(what) from \(session.endpoint.registry)/\(session.repository)", expected: desc.size,
              actual: offset + n)
          }
          try chunk.withUnsafeReadableBytes { try staged.write($0, at: offset) }
          offset += n
          counter.add(n)
          feed?.written(from: start, to: offset)
        }
        if offset <= last {
          throw RegistryError.transferFailed(
            what: what, attempts: failures, underlying: "connection ended at byte \(offset)")
        }
      } catch let error as RegistryError {
        guard case .transferFailed = error else { throw error }
        failures = try await retryOrThrow(failures, progressed: offset > before, what: what, error: error)
      } catch let error as RangesUnsupported {
        throw error
      } catch let error as CancellationError {
        throw error
      } catch {
        failures = try await retryOrThrow(failures, progressed: offset > before, what: what, error: error)
      }
    }
  }

  /// Counts a failed attempt (attempts that moved forward reset the count), waits a little,
  /// and returns the new count; throws when the attempts are used up.
  func retryOrThrow(_ failures: Int, progressed: Bool, what: String, error: any Error) async throws -> Int {
    let n = progressed ? 1 : failures + 1
    guard n < configuration.maxAttempts else {
      throw RegistryError.transferFailed(what: what, attempts: n, underlying: "\(error)")
    }
    log("\(what): \(error); resuming (attempt \(n + 1) of \(configuration.maxAttempts))")
    try await Task.sleep(for: .milliseconds(100 * n))
    return n
  }
}
