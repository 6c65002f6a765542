// The container area: the container state machine. One actor; the state transitions of one
// container are ordered (ContainerArea+Ordering), blocking work runs on the blocking pool.
import EngineAPI
import LinuxOS

public actor ContainerArea: ContainerBackend, EngineArea {
  public nonisolated let context: EngineContext
  /// Anonymous volumes are made at create and removed with `rm -v`.
  let volumeArea: VolumeArea
  /// A removed container's exec instances go with it.
  let execArea: ExecArea
  /// A container's endpoints are made at start and removed at exit.
  let networkArea: NetworkArea
  /// Called (once, then dropped) with the record at the container's next exit or removal.
  var exitWaiters: [String: [@Sendable (ContainerRecord) -> Void]] = [:]
  var removalWaiters: [String: [@Sendable () -> Void]] = [:]
  /// Attachers of a created container, resumed once its shim exists (before start).
  var launchWaiters: [String: [CheckedContinuation<Bool, Never>]] = [:]
  /// Starts waiting for those attachers to connect to the shim.
  var attachGates: [String: AttachGate] = [:]
  var monitored: Set<String> = []
  /// The runtime's deletes of exited containers, under way (see ContainerArea+RuntimeDeletion).
  var runtimeDeletions: [String: Task<Void, Never>] = [:]
  /// Containers with a state transition under way, and the transitions queued behind it.
  var transitions: [String: [CheckedContinuation<Void, Never>]] = [:]

  init(context: EngineContext, volumes: VolumeArea, exec: ExecArea, network: NetworkArea) {
    self.context = context
    self.volumeArea = volumes
    self.execArea = exec
    self.networkArea = network
  }
}
