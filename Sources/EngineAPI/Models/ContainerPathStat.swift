// `docker cp`: the stat of a path in a container, sent base64-encoded JSON in the
// X-Docker-Container-Path-Stat header of HEAD/GET /containers/{id}/archive.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

public struct ContainerPathStat: Codable, Sendable, Equatable {
  public static let headerName = "X-Docker-Container-Path-Stat"

  public var name: String
  public var size: Int64
  /// Go's os.FileMode: permission bits plus type bits (`modeDir` …).
  public var mode: UInt32
  /// RFC 3339 with nanoseconds.
  public var mtime: String
  /// For a symlink, its target resolved in the container (an absolute container path).
  public var linkTarget: String

  // Go's os.FileMode type bits.
  public static let modeDir: UInt32 = 1 << 31
  public static let modeSymlink: UInt32 = 1 << 27
  public static let modeDevice: UInt32 = 1 << 26
  public static let modeNamedPipe: UInt32 = 1 << 25
  public static let modeSocket: UInt32 = 1 << 24
  public static let modeSetuid: UInt32 = 1 << 23
  public static let modeSetgid: UInt32 = 1 << 22
  public static let modeCharDevice: UInt32 = 1 << 21
  public static let modeSticky: UInt32 = 1 << 20

  public init(name: String, size: Int64, mode: UInt32, mtime: String, linkTarget: String = "") {
    self.name = name
    self.size = size
    self.mode = mode
    self.mtime = mtime
    self.linkTarget = linkTarget
  }

  public var isDirectory: Bool { mode & Self.modeDir != 0 }
  public var isSymlink: Bool { mode & Self.modeSymlink != 0 }

  /// Go's FileMode for a Unix st_mode.
  public static func goMode(unix m: UInt32) -> UInt32 {
    var out = m & 0o777
    switch m & 0o170000 {
    case 0o040000: out |= modeDir
    case 0o120000: out |= modeSymlink
    case 0o060000: out |= modeDevice
    case 0o020000: out |= modeDevice | modeCharDevice
    case 0o010000: out |= modeNamedPipe
    case 0o140000: out |= modeSocket
    default: break
    }
    if m & 0o4000 != 0 { out |= modeSetuid }
    if m & 0o2000 != 0 { out |= modeSetgid }
    if m & 0o1000 != 0 { out |= modeSticky }
    return out
  }

  /// The header value: base64 of the JSON.
  public func headerValue() throws -> String {
    Data(try EngineJSON.encode(self)).base64EncodedString()
  }

  /// Parses a header value; nil if it is not base64 JSON of a stat.
  public init?(headerValue: String) {
    guard let data = Data(base64Encoded: headerValue),
      let stat = try? EngineJSON.decode(ContainerPathStat.self, from: Array(data))
    else { return nil }
    self = stat
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? 0
    mode = try c.decodeIfPresent(UInt32.self, forKey: .mode) ?? 0
    mtime = try c.decodeIfPresent(String.self, forKey: .mtime) ?? ""
    linkTarget = try c.decodeIfPresent(String.self, forKey: .linkTarget) ?? ""
  }
}

/// GET /containers/{id}/archive: the stat of the path and its tar.
public struct ContainerArchive: Sendable {
  public var stat: ContainerPathStat
  public var tar: ByteStream

  public init(stat: ContainerPathStat, tar: ByteStream) {
    self.stat = stat
    self.tar = tar
  }
}

/// PUT /containers/{id}/archive options.
public struct ContainerExtractOptions: Sendable, Equatable {
  /// Refuse to replace a directory with a non-directory and the reverse.
  public var noOverwriteDirNonDir: Bool
  /// Own the files by the container's user (`docker cp -a`) rather than the tar's owners.
  public var copyUIDGID: Bool

  public init(noOverwriteDirNonDir: Bool = false, copyUIDGID: Bool = false) {
    self.noOverwriteDirNonDir = noOverwriteDirNonDir
    self.copyUIDGID = copyUIDGID
  }
}
