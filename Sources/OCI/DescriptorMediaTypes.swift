// Media types of the OCI image spec and of Docker's image manifest v2 schema 2.

public enum MediaType {
  // OCI image-spec.
  public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
  public static let ociIndex = "application/vnd.oci.image.index.v1+json"
  public static let ociConfig = "application/vnd.oci.image.config.v1+json"
  public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
  public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
  public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
  public static let ociLayerNondistributable =
    "application/vnd.oci.image.layer.nondistributable.v1.tar"
  public static let ociLayerNondistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
  public static let ociLayerNondistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
  public static let ociEmpty = "application/vnd.oci.empty.v1+json"
  public static let ociLayoutHeader = "application/vnd.oci.layout.header.v1+json"

  // Docker image manifest v2, schema 2.
  public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
  public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
  public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
  public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
  public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
  public static let dockerLayerForeignGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
  public static let dockerPluginConfig = "application/vnd.docker.plugin.v1+json"

  /// Manifest types (single-platform image).
  public static func isManifest(_ t: String?) -> Bool {
    t == ociManifest || t == dockerManifest
  }

  /// Index / manifest-list types.
  public static func isIndex(_ t: String?) -> Bool {
    t == ociIndex || t == dockerManifestList
  }

  /// Layer types that this engine can apply.
  public static func isLayer(_ t: String) -> Bool {
    layerCompression(t) != nil
  }

  public enum Compression: String, Sendable {
    case none, gzip, zstd
  }

  /// The compression a layer media type implies, nil if it is not a layer type.
  public static func layerCompression(_ t: String) -> Compression? {
    switch t {
    case ociLayer, ociLayerNondistributable, dockerLayer: return Compression.none
    case ociLayerGzip, ociLayerNondistributableGzip, dockerLayerGzip, dockerLayerForeignGzip:
      return .gzip
    case ociLayerZstd, ociLayerNondistributableZstd: return .zstd
    default: return nil
    }
  }
}
