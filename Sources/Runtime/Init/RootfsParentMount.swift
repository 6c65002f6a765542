import LinuxOS

/// The mount a path lives on, found in mountinfo: pivot_root refuses a new root whose
/// parent mount is shared, and a bind made under a shared mount propagates to its peers.
struct RootfsParentMount: Equatable {
  var mountPoint: String
  var isShared: Bool

  /// The last (topmost) mount whose mount point is `path` or one of its ancestors.
  init?(of path: String, mountInfo: String) {
    var found: RootfsParentMount?
    for line in mountInfo.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count > 6 else { continue }
      let point = Mounts.unescapeOctal(String(fields[4]))
      guard Self.contains(point, path) else { continue }
      if let current = found, current.mountPoint.count > point.count { continue }
      // Optional fields run from the seventh field to the "-" separator.
      let optional = fields.dropFirst(6).prefix { $0 != "-" }
      found = RootfsParentMount(mountPoint: point, isShared: optional.contains { $0.hasPrefix("shared:") })
    }
    guard let found else { return nil }
    self = found
  }

  init(mountPoint: String, isShared: Bool) {
    self.mountPoint = mountPoint
    self.isShared = isShared
  }

  static func contains(_ mountPoint: String, _ path: String) -> Bool {
    mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
  }
}
