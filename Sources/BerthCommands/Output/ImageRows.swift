import EngineClient

/// `docker images` rows computed from a `GET /images/json` item.
enum ImageRows {
  static let defaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
  static let digestTable = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
  static let headers: [String: String] = [
    "ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST", "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT", "Size": "SIZE", "Containers": "CONTAINERS", "SharedSize": "SHARED SIZE",
    "UniqueSize": "UNIQUE SIZE", "VirtualSize": "VIRTUAL SIZE",
  ]

  /// One row per repository:tag (and digest with `digests`), docker's `imageFormatTaggedAndDigest`.
  static func rows(_ image: JSON, truncate: Bool, digests: Bool, now: Double = Clock.now()) -> [JSON] {
    let tags = image["RepoTags"]?.stringArray ?? []
    let repoDigests = image["RepoDigests"]?.stringArray ?? []
    let dangling =
      (tags.isEmpty && repoDigests.isEmpty) || (tags == ["<none>:<none>"] && repoDigests == ["<none>@<none>"])
    if dangling { return [row(image, repo: "<none>", tag: "<none>", digest: "<none>", truncate: truncate, now: now)] }
    var tagsByRepo: [(String, [String])] = []
    for ref in tags {
      let parsed = ImageReference(parsing: ref)
      guard let tag = parsed.tag, parsed.digest == nil else { continue }
      let repo = parsed.familiarName
      if let i = tagsByRepo.firstIndex(where: { $0.0 == repo }) {
        tagsByRepo[i].1.append(tag)
      } else {
        tagsByRepo.append((repo, [tag]))
      }
    }
    var digestsByRepo: [(String, [String])] = []
    for ref in repoDigests {
      let parsed = ImageReference(parsing: ref)
      guard let digest = parsed.digest else { continue }
      let repo = parsed.familiarName
      if let i = digestsByRepo.firstIndex(where: { $0.0 == repo }) {
        digestsByRepo[i].1.append(digest)
      } else {
        digestsByRepo.append((repo, [digest]))
      }
    }
    var rows: [JSON] = []
    for (repo, tags) in tagsByRepo {
      var ds = digestsByRepo.first(where: { $0.0 == repo })?.1 ?? []
      digestsByRepo.removeAll(where: { $0.0 == repo })
      if !digests { ds = [] }
      for tag in tags {
        if ds.isEmpty {
          rows.append(row(image, repo: repo, tag: tag, digest: "<none>", truncate: truncate, now: now))
        } else {
          for d in ds { rows.append(row(image, repo: repo, tag: tag, digest: d, truncate: truncate, now: now)) }
        }
      }
    }
    for (repo, ds) in digestsByRepo {
      if digests {
        for d in ds { rows.append(row(image, repo: repo, tag: "<none>", digest: d, truncate: truncate, now: now)) }
      } else {
        rows.append(row(image, repo: repo, tag: "<none>", digest: "<none>", truncate: truncate, now: now))
      }
    }
    return rows
  }

  static func row(_ image: JSON, repo: String, tag: String, digest: String, truncate: Bool, now: Double) -> JSON {
    let id = image["Id"]?.stringValue ?? ""
    let created = image["Created"]?.doubleValue ?? 0
    let size = image["Size"]?.doubleValue ?? 0
    let shared = image["SharedSize"]?.doubleValue ?? -1
    let containers = image["Containers"]?.intValue ?? -1
    let virtual = image["VirtualSize"]?.doubleValue ?? size
    return .object([
      .init("Containers", .string(containers < 0 ? "N/A" : String(containers))),
      .init("CreatedAt", .string(Clock.goTimeString(created))),
      .init("CreatedSince", .string(Clock.ago(created, now: now))),
      .init("Digest", .string(digest)),
      .init("ID", .string(truncate ? Shorten.id(id) : id)),
      .init("Repository", .string(repo)),
      .init("SharedSize", .string(shared < 0 ? "N/A" : Units.humanSize(shared, precision: 3))),
      .init("Size", .string(Units.humanSize(size, precision: 3))),
      .init("Tag", .string(tag)),
      .init("UniqueSize", .string(shared < 0 ? "N/A" : Units.humanSize(size - shared, precision: 3))),
      .init("VirtualSize", .string(Units.humanSize(virtual))),
    ])
  }
}
