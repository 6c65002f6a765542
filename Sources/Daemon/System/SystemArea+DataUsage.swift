// `docker system df` (GET /system/df): images (size, shared size, containers using them),
// containers (size of the writable layer, and with the image), volumes (size and the
// containers using them), and the build cache: the intermediate images of builds, each
// with the layer its step added.
import EngineAPI
import Images
import OCI

extension SystemArea {
  public func systemDataUsage() async throws -> SystemDfResponse {
    let store = images
    let groups = try await BlockingPool.shared.run { ImageArea.imageGroups(store) }
    let intermediates = groups.filter { $0.records.allSatisfy { $0.intermediate == true } }
    let cacheIDs = Set(intermediates.map { $0.image.id.description })
    var imageList = try await imageArea.listImages(options: ImageListOptions(all: true)).filter {
      !cacheIDs.contains($0.id)
    }
    // Layers used by more than one image are shared.
    var layerUse: [Digest: Int] = [:]
    var layerSize: [Digest: Int64] = [:]
    for g in groups {
      for l in Set(g.image.manifest.layers.map(\.digest)) { layerUse[l, default: 0] += 1 }
      for l in g.image.manifest.layers { layerSize[l.digest] = l.size }
    }
    let byID = Dictionary(groups.map { ($0.image.id.description, $0.image) }) { a, _ in a }
    for i in imageList.indices {
      guard let img = byID[imageList[i].id] else { continue }
      imageList[i].sharedSize = Set(img.manifest.layers.map(\.digest)).filter { (layerUse[$0] ?? 0) > 1 }
        .reduce(Int64(0)) { $0 + (layerSize[$1] ?? 0) }
    }
    var containerList = try await containerArea.listContainers(options: ContainerListOptions(all: true))
    let imageSizes = Dictionary(imageList.map { ($0.id, $0.size) }) { a, _ in a }
    for i in containerList.indices {
      let dirs = try? await containerArea.containerLayerDirectories(containerList[i].id)
      let rw: Int64 =
        if let upper = dirs?.upper {
          try await BlockingPool.shared.run { ContainerFS.diskUsage(upper) }
        } else { 0 }
      containerList[i].sizeRw = rw
      containerList[i].sizeRootFs = rw + (imageSizes[containerList[i].imageID] ?? 0)
    }
    return SystemDfResponse(
      layersSize: layerSize.values.reduce(0, +), images: imageList, containers: containerList,
      volumes: try await volumeArea.volumeUsage(),
      buildCache: intermediates.map(Self.buildCacheRecord))
  }

  /// A build step's image as `docker system df -v` shows a cache record.
  static func buildCacheRecord(_ g: ImageArea.ImageGroup) -> BuildCacheRecord {
    let history = g.image.config.history ?? []
    let step = history.last
    let added = step?.emptyLayer == true ? 0 : (g.image.manifest.layers.last?.size ?? 0)
    let created = step?.created ?? g.image.config.created ?? ""
    return BuildCacheRecord(
      id: g.image.id.encoded, type: "regular", description: step?.createdBy ?? "", size: added, createdAt: created,
      lastUsedAt: created)
  }
}
