// The layers of one pull: downloads (`maxConcurrentDownloads` at a time) and, with unpack,
// each layer applied into its own snapshot as soon as its blob is in (`maxConcurrentUnpacks`
// at a time, whatever the order), then committed bottom-up. Pull time comes near the
// slowest of download and decompression rather than their sum.
import ContentStore
import Images
import OCI

extension RegistryClient {
  enum LayerWork: Sendable {
    case downloaded(Digest)
    case applied(Int, DetachedLayer?)
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
              if case .applied(let index, let detached)? = try await group.next() { applied[index] = .some(detached) }
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
}
