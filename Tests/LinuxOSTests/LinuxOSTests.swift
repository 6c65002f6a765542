import Foundation
import Testing

@testable import LinuxOS

struct LinuxOSTests {
  @Test func waitStatusDecoding() {
    #expect(Processes.Exit(waitStatus: 3 << 8) == .exited(3))
    #expect(Processes.Exit(waitStatus: 9) == .signaled(9))
    #expect(Processes.Exit(waitStatus: 9).code == 137)
  }

  @Test func mountInfoUnescaping() {
    #expect(Mounts.unescapeOctal("/a\\040b\\011c") == "/a b\tc")
    #expect(Mounts.mountPoints(mountInfo: "36 35 98:0 /mnt1 /mnt\\0401 rw - ext3 /dev/root rw\n") == ["/mnt 1"])
  }

  @Test func capabilityMasks() {
    let (mask, unknown) = CapabilityNames.mask(["CAP_KILL", "net_bind_service", "CAP_BOGUS"])
    #expect(mask == (1 << 5) | (1 << 10))
    #expect(unknown == ["CAP_BOGUS"])
  }

  @Test func spawnRunsThroughTheCHelperAndReportsExecFailure() throws {
    let exit = try Processes.run("/bin/sh", ["sh", "-c", "exit 4"], environment: [])
    #expect(exit == .exited(4))
    #expect(throws: SystemError.self) {
      _ = try Processes.spawn("/nonexistent/program", ["x"], environment: [])
    }
  }

  @Test func spawnPassesOnlyTheGivenDescriptors() throws {
    let (readEnd, writeEnd) = try FD.pipe()
    defer { FD.close(readEnd) }
    // The child's stdout is the pipe; it lists its own fds: only 0, 1, 2 (+ the one ls opens).
    let pid = try Processes.spawn("/bin/ls", ["ls", "/proc/self/fd"], environment: [], fds: [-1, writeEnd, 2])
    FD.close(writeEnd)
    let output = String(decoding: try FD.readAll(readEnd), as: UTF8.self)
    _ = try Processes.wait(pid)
    let fds = output.split(separator: "\n").compactMap { Int($0) }
    // fd 0 was left closed, so ls's own directory fd takes it: nothing above 2 survives.
    #expect(fds == [0, 1, 2], "\(fds)")
  }

  @Test func atomicWriteReplacesWholeFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linuxos-\(UUID().uuidString)").path
    try Files.makeDirectories(dir + "/a/b")
    defer { try? Files.removeTree(dir) }
    try Files.writeAtomically(dir + "/a/b/f", Array("one".utf8))
    try Files.writeAtomically(dir + "/a/b/f", Array("two".utf8))
    #expect(try Files.readString(dir + "/a/b/f") == "two")
    #expect(try Files.list(dir + "/a/b") == ["f"])
  }

  @Test func protectedExecutableHandleIsReadOnly() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)").path
    defer { try? Files.removeTree(empty) }
    let fd = try SelfExecutable.protectedHandle(emptyDirectory: empty)
    defer { FD.close(fd) }
    let writable = open("/proc/self/fd/\(fd)", O_WRONLY)
    #expect(writable < 0)
    if writable >= 0 { close(writable) }
  }

  @Test func sealedCopyCarriesAllSeals() throws {
    let fd = try SelfExecutable.sealedCopy()
    defer { FD.close(fd) }
    #expect(SelfExecutable.isSealed(fd))
    // The seals make every write fail, whoever opens it.
    let writable = open("/proc/self/fd/\(fd)", O_WRONLY)
    defer { if writable >= 0 { close(writable) } }
    #expect(writable < 0 || write(writable, "x", 1) < 0)
  }
}
