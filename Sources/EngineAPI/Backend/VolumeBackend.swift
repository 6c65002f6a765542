/// The volume area: named and anonymous volumes of the local driver.
public protocol VolumeBackend: Sendable {
  func listVolumes(filters: Filters) async throws -> VolumeListResponse
  func createVolume(request: VolumeCreateRequest) async throws -> Volume
  func inspectVolume(name: String) async throws -> Volume
  func removeVolume(name: String, force: Bool) async throws
  func pruneVolumes(filters: Filters) async throws -> VolumePruneResponse
}
