import CBerth
import Glibc
import LinuxOS
import OCI

/// The container's terminal: a pty from the container's own devpts; the master goes
/// back over the console socket (SCM_RIGHTS, as runc does), the slave becomes stdio.
enum Console {
  static let setControllingTTY: UInt = 0x540E

  static func attach(socket: Int32, size: ConsoleSize?) throws {
    let (master, slavePath) = try Terminals.openPair()
    let slave = try FD.open(slavePath, O_RDWR | O_NOCTTY)
    if let size { try Terminals.setSize(master, rows: UInt16(size.height), columns: UInt16(size.width)) }
    try FD.send(fd: master, over: socket, payload: Array("/dev/ptmx".utf8))
    FD.close(master)
    FD.close(socket)
    for target: Int32 in 0...2 { try FD.duplicate(slave, to: target) }
    FD.close(slave)
    try sys("ioctl(TIOCSCTTY)") { berth_ioctl_int(0, setControllingTTY, 0) }
  }
}
