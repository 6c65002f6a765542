// What a build's COPY needs of a container beyond `docker cp`: a view of its filesystem
// that stays mounted while sources are read from it, and its users and groups.
import OCI

extension ContainerArea {
  /// A private, read-only mount of the container's filesystem; the caller closes it.
  func openFilesystemView(_ ref: String) async throws -> ContainerFSView {
    let plan = try archivePlan(ref, writable: false)
    return try await BlockingPool.shared.run { try ContainerFSView.open(plan) }
  }

  /// The uid and gid `user` (`name[:group]`, numeric or not) names in the container, read
  /// from its /etc/passwd and /etc/group.
  func resolveUser(_ user: String, inContainer ref: String) async throws -> (uid: UInt32, gid: UInt32) {
    let view = try await openFilesystemView(ref)
    defer { view.close() }
    let resolved = try await BlockingPool.shared.run {
      try SpecBuilder.resolveUser(user, groupAdd: [], rootfs: view.mountPoint)
    }
    return (resolved.uid, resolved.gid)
  }
}
