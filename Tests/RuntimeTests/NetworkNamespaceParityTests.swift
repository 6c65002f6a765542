import Foundation
import OCI
import Testing

/// The loopback interface of the container's network namespace, under berth-runtime and
/// runc: up in a namespace the runtime makes, left alone in one joined by path.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct NetworkNamespaceParityTests {
  /// `lo`'s flags, then a TCP round trip over 127.0.0.1 inside the container's namespace.
  static let loopbackScript = """
    ip link show lo | head -n 1 | sed 's/^[0-9]*: //'
    timeout 10 nc -l -p 9123 > /dev/shm/received & listener=$!
    for i in 1 2 3 4 5 6 7 8 9 10; do echo hello-loopback | nc 127.0.0.1 9123 2>/dev/null && break; sleep 0.1; done
    wait $listener; cat /dev/shm/received
    """

  @Test func loopbackIsUpInANewNetworkNamespace() throws {
    let bundle = try TestBundle(name: "loopback")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sh", "-c", Self.loopbackScript])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.hasPrefix("lo: <LOOPBACK,UP,LOWER_UP>"), "\(berth.stdout)")
    #expect(berth.stdout.hasSuffix("hello-loopback\n"), "\(berth.stdout)")
  }

  /// A namespace joined by path is its maker's to set up: its `lo` stays down.
  @Test func loopbackIsLeftAloneInAJoinedNetworkNamespace() throws {
    let bundle = try TestBundle(name: "loopback")
    defer { bundle.cleanup() }
    let holder = try Parity.NamespaceHolder(["--net"])
    defer { holder.stop() }
    let namespaces = bundle.spec.linux?.namespaces ?? []
    bundle.spec.linux?.namespaces = namespaces.map {
      $0.type == "network" ? Namespace(type: "network", path: holder.path("net")) : $0
    }
    try bundle.write(args: ["sh", "-c", "ip link show lo | head -n 1 | sed 's/^[0-9]*: //'"])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.hasPrefix("lo: <LOOPBACK>"), "\(berth.stdout)")
  }
}
