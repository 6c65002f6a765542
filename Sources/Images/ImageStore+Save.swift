// `docker save`: one tarball that is both a docker-archive (manifest.json) and an OCI image
// layout (oci-layout, index.json, blobs/sha256), as Docker 25+ writes. Also an OCI layout
// directory for skopeo and umoci.
import Archive
import ContentStore
import FoundationEssentials
import OCI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ImageStore {
  /// Writes the named images to `fd` as a docker-archive + OCI layout tarball.
  public func save(_ names: [String], to fd: Int32) throws {
    let plan = try savePlan(names)
    let tar = try TarWriter(fd: fd)
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    try tar.addFile("oci-layout", bytes: Array(try enc.encode(ImageLayout())))
    try tar.addDirectory("blobs")
    try tar.addDirectory("blobs/sha256")
    for d in plan.blobs {
      let bfd = try content.openFD(d)
      defer { close(bfd) }
      guard let info = content.info(d) else { throw ImageError.missingBlob(d, in: "save") }
      try tar.addFile("blobs/sha256/\(d.encoded)", fd: bfd, size: info.size)
    }
    try tar.addFile("index.json", bytes: Array(try enc.encode(plan.index)))
    try tar.addFile("manifest.json", bytes: Array(try enc.encode(plan.dockerManifest)))
    try tar.close()
  }

  /// Writes (or adds to) an OCI image layout directory; each name's tag becomes its
  /// org.opencontainers.image.ref.name, so `skopeo copy oci:DIR:TAG` and
  /// `umoci unpack --image DIR:TAG` find it.
  public func saveOCILayout(_ names: [String], to directory: String) throws {
    let plan = try savePlan(names)
    try Files.makeDirectories(directory + "/blobs/sha256")
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    try Files.writeAtomically(
      directory + "/oci-layout", Array(try enc.encode(ImageLayout())),
      temporary: Files.uniqueTemporary(for: directory + "/oci-layout"))
    for d in plan.blobs {
      let dest = "\(directory)/blobs/sha256/\(d.encoded)"
      if let existing = try? Files.readIfExists(dest), SHA256Hasher.digest(existing) == d {
        continue
      }
      try Files.writeAtomically(dest, Array(try content.read(d)), temporary: Files.uniqueTemporary(for: dest))
    }
    var index = plan.index
    if let old = try Files.readIfExists(directory + "/index.json"),
      let existing = try? JSONDecoder().decode(ImageIndex.self, from: Data(old))
    {
      let newNames = Set(
        index.manifests.compactMap { $0.annotations?[Descriptor.Annotation.refName] })
      let kept = existing.manifests.filter { d in
        guard let n = d.annotations?[Descriptor.Annotation.refName] else { return true }
        return !newNames.contains(n)
      }
      index.manifests = kept + index.manifests
    }
    try Files.writeAtomically(
      directory + "/index.json", Array(try enc.encode(index)),
      temporary: Files.uniqueTemporary(for: directory + "/index.json"))
  }

  struct SavePlan {
    var blobs: [Digest] = []
    var index = ImageIndex(manifests: [])
    var dockerManifest: [DockerArchiveManifestEntry] = []
  }

  func savePlan(_ names: [String]) throws -> SavePlan {
    var plan = SavePlan()
    var seen = Set<Digest>()
    func add(_ d: Digest) {
      if seen.insert(d).inserted { plan.blobs.append(d) }
    }
    var byImage: [Digest: Int] = [:]
    for n in names {
      let img = try image(n)
      // Name records to export: the one asked for, or all names of an image given by ID.
      var refs: [ImageReference] = []
      if let r = img.record.reference, (try? ImageReference(parsing: n))?.repository == r.repository {
        refs = [r]
      } else {
        refs = list().filter { rec in
          (try? resolve(rec))?.id == img.id
        }.compactMap(\.reference)
      }
      for c in [img.manifest.config] + img.manifest.layers {
        guard content.contains(c.digest) else { throw ImageError.missingBlob(c.digest, in: n) }
        add(c.digest)
      }
      add(img.manifestDescriptor.digest)
      let md = Descriptor(
        mediaType: img.manifestDescriptor.mediaType, digest: img.manifestDescriptor.digest,
        size: img.manifestDescriptor.size)
      if refs.isEmpty { plan.index.manifests.append(md) }
      for r in refs {
        var d = md
        d.annotations = [Descriptor.Annotation.containerdImageName: r.description]
        if let t = r.tag { d.annotations?[Descriptor.Annotation.refName] = t }
        plan.index.manifests.append(d)
      }
      let tags = refs.filter { $0.tag != nil }.map(\.familiarString)
      if let i = byImage[img.id] {
        let merged = (plan.dockerManifest[i].repoTags ?? []) + tags
        plan.dockerManifest[i].repoTags = Array(Set(merged)).sorted()
      } else {
        byImage[img.id] = plan.dockerManifest.count
        plan.dockerManifest.append(
          DockerArchiveManifestEntry(
            config: "blobs/sha256/\(img.id.encoded)", repoTags: tags.isEmpty ? nil : tags,
            layers: img.manifest.layers.map { "blobs/sha256/\($0.digest.encoded)" }))
      }
    }
    return plan
  }
}
