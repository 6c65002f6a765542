// The layers of one pull: downloads (`maxConcurrentDownloads` at a time) and, with unpack,
// each layer applied into its own snapshot (`maxConcurrentUnpacks` at a time, whatever the
// order), then committed bottom-up. A download that starts while an unpack slot is free is
// unpacked as it arrives (LayerFeed); the others once their blob is in. Pull time comes
// near the slowest of download and decompression rather than their sum.
import ContentStore
import Images
import OCI

extension RegistryClient {
  enum LayerWork: Sendable {
    case downloaded(Digest)
    case applied(Int, DetachedLayer?)
    /// Downloaded and unpacked as it arrived.
    case streamed(Digest, Int, DetachedLayer?)
    case committed(Int)
  }

  /// Makes the manifest's layers present (and unpacked with `unpack`). Returns whether any
  /// blob was downloaded.
  func fetchLayers(
    _ manifest: ImageManifest, diffIDs: [Digest], session: RegistrySession, store: ImageStore, unpack: Bool,
    progress: @escaping ProgressHandler
  ) async throws -> Bool {
    let layers = manifest.layers
    let content = store.content
    var missing: [Descriptor] = []
    var ready = Set<Digest>()
    for layer in layers where !ready.contains(layer.digest) && !missing.contains(layer) {
      let id = layer.digest.shortHex
      if let info = content.info(layer.digest), info.size == layer.size {
        progress(ProgressEvent(id: id, status: ProgressEvent.alreadyExists))
        ready.insert(layer.digest)
      } else {
        progress(ProgressEvent(id: id, status: ProgressEvent.pullingFsLayer))
        missing.append(layer)
      }
    }
    let downloadLimit = configuration.maxConcurrentDownloads
    for layer in missing.dropFirst(downloadLimit) {
      progress(ProgressEvent(id: layer.digest.shortHex, status: ProgressEvent.waiting))
    }
    var applied: [Int: DetachedLayer?] = [:]
    do {
      try await withThrowingTaskGroup(of: LayerWork.self) { group in
        var nextDownload = 0
        var toApply = unpack ? layers.indices.filter { ready.contains(layers[$0].digest) } : []
        var applying = 0
        var nextCommit = 0
        var committing = false

        func startDownload() {
          guard nextDownload < missing.count else { return }
          let layer = missing[nextDownload]
          nextDownload += 1
          if unpack, applying < configuration.maxConcurrentUnpacks,
            let index = layers.firstIndex(where: { $0.digest == layer.digest }),
            let feed = LayerFeed.make(size: layer.size, log: { self.log($0) })
          {
            applying += 1
            group.addTask {
              let detached = try await self.fetchAndApply(
                layer, index: index, feed: feed, layers: layers, diffIDs: diffIDs, session: session, store: store,
                progress: progress)
              return .streamed(layer.digest, index, detached)
            }
            return
          }
          group.addTask {
            let id = layer.digest.shortHex
            try await self.fetchBlob(
              session, layer, into: content,
              received: { n in
                progress(ProgressEvent(id: id, status: ProgressEvent.downloading, current: n, total: layer.size))
              },
              verifying: { progress(ProgressEvent(id: id, status: ProgressEvent.verifyingChecksum)) })
            progress(ProgressEvent(id: id, status: ProgressEvent.downloadComplete))
            return .downloaded(layer.digest)
          }
        }
        func startApplies() {
          while applying < configuration.maxConcurrentUnpacks, !toApply.isEmpty {
            let index = toApply.removeFirst()
            applying += 1
            group.addTask {
              let layer = layers[index]
              let detached = try await blocking {
                let d = try store.applyDetached(index, layers: layers, diffIDs: diffIDs)
                if d != nil {
                  progress(
                    ProgressEvent(
                      id: layer.digest.shortHex, status: ProgressEvent.extracting, current: layer.size,
                      total: layer.size))
                }
                return d
              }
              return .applied(index, detached)
            }
          }
        }
        // Commits go bottom-up, one at a time: each needs the one below committed.
        func startCommit() {
          guard !committing, nextCommit < layers.count, let entry = applied[nextCommit] else { return }
          committing = true
          let index = nextCommit
          group.addTask {
            if let detached = entry {
              let committed = try await blocking { try store.commitDetached(detached, diffIDs: diffIDs) }
              if committed {
                progress(ProgressEvent(id: layers[index].digest.shortHex, status: ProgressEvent.pullComplete))
              }
            }
            return .committed(index)
          }
        }

        for _ in 0..<min(downloadLimit, missing.count) { startDownload() }
        startApplies()
        do {
          while let done = try await group.next() {
            switch done {
            case .downloaded(let digest):
              ready.insert(digest)
              if unpack { toApply += layers.indices.filter { layers[$0].digest == digest } }
              startDownload()
            case .applied(let index, let detached):
              applying -= 1
              applied[index] = .some(detached)
            case .streamed(let digest, let index, let detached):
              ready.insert(digest)
              applying -= 1
              applied[index] = .some(detached)
              // The same blob further up the image: applied from the store.
              if unpack { toApply += layers.indices.filter { layers[$0].digest == digest && $0 != index } }
              startDownload()
            case .committed(let index):
              committing = false
              applied[index] = nil
              nextCommit += 1
            }
            startApplies()
            startCommit()
          }
        } catch {
          // Stop the rest, but collect what the applies still running produce, to discard it.
          group.cancelAll()
          while !group.isEmpty {
            do {
              switch try await group.next() {
              case .applied(let index, let detached)?, .streamed(_, let index, let detached)?:
                applied[index] = .some(detached)
              default: break
              }
            } catch {
              continue  // the first error is the one reported
            }
          }
          throw error
        }
      }
    } catch {
      // Layers applied but not committed go; committed ones stay (a later pull reuses them).
      for case let detached?? in applied.values { store.discardDetached(detached) }
      throw error
    }
    return !missing.isEmpty
  }

  /// Downloads one layer while it is applied from the bytes as they arrive. When that apply
  /// fails but the blob verified (the stream broke: a download that started over), the
  /// layer is applied again from the store. nil when the layer was unpacked already.
  func fetchAndApply(
    _ layer: Descriptor, index: Int, feed: LayerFeed, layers: [Descriptor], diffIDs: [Digest],
    session: RegistrySession, store: ImageStore, progress: @escaping ProgressHandler
  ) async throws -> DetachedLayer? {
    let id = layer.digest.shortHex
    async let streamed = applyResult {
      defer { feed.closeReader() }
      return try store.applyDetached(index, layers: layers, diffIDs: diffIDs, stream: feed.readFD)
    }
    do {
      try await fetchBlob(
        session, layer, into: store.content,
        received: { n in
          progress(ProgressEvent(id: id, status: ProgressEvent.downloading, current: n, total: layer.size))
        },
        verifying: { progress(ProgressEvent(id: id, status: ProgressEvent.verifyingChecksum)) }, feed: feed)
    } catch {
      feed.abort()
      if case .success(let detached?) = await streamed { store.discardDetached(detached) }
      throw error
    }
    let content = store.content
    feed.finish(openStored: { (try? content.openFD(layer.digest)) ?? -1 })  // -1: the feed breaks, the apply below runs
    progress(ProgressEvent(id: id, status: ProgressEvent.downloadComplete))
    var detached: DetachedLayer?
    switch await streamed {
    case .success(let d): detached = d
    case .failure(let error):
      log("unpacking \(layer.digest) as it arrived failed (\(error)); unpacking the verified blob")
      detached = try await blocking { try store.applyDetached(index, layers: layers, diffIDs: diffIDs) }
    }
    if detached != nil {
      progress(ProgressEvent(id: id, status: ProgressEvent.extracting, current: layer.size, total: layer.size))
    }
    return detached
  }

  /// Runs blocking work off the cooperative pool, its error kept as a value.
  func applyResult<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
    do {
      return .success(try await blocking(body))
    } catch {
      return .failure(error)
    }
  }
}
