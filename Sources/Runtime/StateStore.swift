import Cgroups
import JSONCoding
import Glibc
import LinuxOS
import OCI

/// The runtime's state directory (`--root`): one folder per container holding
/// `state.json` and, until `start`, the `exec.fifo` the container waits on.
public struct StateStore: Sendable {
  public let root: String
  public init(root: String) { self.root = root }

  public func directory(_ id: String) -> String { "\(root)/\(id)" }
  public func fifoPath(_ id: String) -> String { "\(directory(id))/exec.fifo" }
  func recordPath(_ id: String) -> String { "\(directory(id))/state.json" }
  /// An empty directory: the second lower layer of the overlay the init is exec'd through.
  public var emptyLayer: String { "\(root)/.empty" }

  public func exists(_ id: String) -> Bool { Files.exists(directory(id)) }

  public func load(_ id: String) throws -> ContainerRecord {
    try ContainerID.validate(id)
    guard let bytes = try? Files.read(recordPath(id)) else {
      throw RuntimeError("container does not exist")
    }
    do {
      return try JSON.decode(ContainerRecord.self, from: bytes)
    } catch {
      throw RuntimeError("container \(id): unreadable state \(recordPath(id)): \(error)")
    }
  }

  public func save(_ record: ContainerRecord) throws {
    // Runtime state is gone at reboot (like runc's): atomic, but not worth an fsync.
    try Files.writeAtomically(recordPath(record.id), (try JSON.encode(record)), mode: 0o600, durable: false)
  }

  public func ids() -> [String] {
    ((try? Files.list(root)) ?? []).filter { Files.exists(recordPath($0)) }.sorted()
  }

  public func remove(_ id: String) throws {
    try Files.removeTree(directory(id))
  }

  /// The OCI status, derived from the kernel each time rather than stored.
  public func status(of record: ContainerRecord) -> String {
    guard record.pid > 0, Processes.startTime(record.pid) == record.pidStartTime,
      Processes.stateLetter(record.pid) != "Z"
    else { return "stopped" }
    if Files.exists(fifoPath(record.id)) { return "created" }
    let manager = Cgroups.manager(placement: record.cgroup)
    if (try? manager.isFrozen()) == true { return "paused" }
    return "running"
  }

  public func state(of record: ContainerRecord) -> ContainerState {
    let status = status(of: record)
    return ContainerState(
      ociVersion: record.spec.ociVersion, id: record.id, pid: status == "stopped" ? 0 : record.pid,
      status: status, bundle: record.bundle, rootfs: record.rootfs, created: record.created,
      owner: record.owner, annotations: record.spec.annotations)
  }
}
