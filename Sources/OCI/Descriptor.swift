// OCI content descriptor (image-spec descriptor.md).

public struct Descriptor: Codable, Sendable, Hashable {
  public var mediaType: String
  public var digest: Digest
  public var size: Int64
  public var urls: [String]?
  public var annotations: [String: String]?
  public var data: String?
  public var platform: Platform?
  public var artifactType: String?

  public init(
    mediaType: String, digest: Digest, size: Int64, urls: [String]? = nil,
    annotations: [String: String]? = nil, platform: Platform? = nil, artifactType: String? = nil
  ) {
    self.mediaType = mediaType
    self.digest = digest
    self.size = size
    self.urls = urls
    self.annotations = annotations
    self.platform = platform
    self.artifactType = artifactType
  }

  /// Well-known annotation keys.
  public enum Annotation {
    public static let refName = "org.opencontainers.image.ref.name"
    public static let created = "org.opencontainers.image.created"
    public static let baseName = "org.opencontainers.image.base.name"
    public static let containerdImageName = "io.containerd.image.name"
  }
}
