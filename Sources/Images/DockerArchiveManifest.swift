// manifest.json of a `docker save` tarball.
import OCI

public struct DockerArchiveManifestEntry: Codable, Sendable, Hashable {
  public var config: String
  public var repoTags: [String]?
  public var layers: [String]
  public var layerSources: [String: Descriptor]?

  enum CodingKeys: String, CodingKey {
    case config = "Config"
    case repoTags = "RepoTags"
    case layers = "Layers"
    case layerSources = "LayerSources"
  }

  public init(config: String, repoTags: [String]?, layers: [String]) {
    self.config = config
    self.repoTags = repoTags
    self.layers = layers
  }
}
