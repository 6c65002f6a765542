import CBerth
import Glibc

public enum Terminals {
  /// Opens a new pty pair from `ptmx`; returns the master fd and the slave's path.
  public static func openPair(ptmx: String = "/dev/ptmx", ptsDirectory: String = "/dev/pts") throws -> (
    master: Int32, slavePath: String
  ) {
    let master = try FD.open(ptmx, O_RDWR | O_NOCTTY)
    var number: UInt32 = 0
    do {
      try sys("ioctl(TIOCGPTN)") { berth_pty_unlock_and_number(master, &number) }
    } catch {
      FD.close(master)
      throw error
    }
    return (master, "\(ptsDirectory)/\(number)")
  }

  public static func size(_ fd: Int32) -> (rows: UInt16, columns: UInt16)? {
    var rows: UInt16 = 0
    var cols: UInt16 = 0
    return berth_get_winsize(fd, &rows, &cols) == 0 ? (rows, cols) : nil
  }

  public static func setSize(_ fd: Int32, rows: UInt16, columns: UInt16) throws {
    try sys("ioctl(TIOCSWINSZ)") { berth_set_winsize(fd, rows, columns) }
  }

  /// Puts a terminal in raw mode and returns the settings to restore.
  public static func makeRaw(_ fd: Int32) throws -> termios {
    var saved = termios()
    try sys("tcgetattr") { tcgetattr(fd, &saved) }
    var raw = saved
    cfmakeraw(&raw)
    try sys("tcsetattr") { tcsetattr(fd, TCSANOW, &raw) }
    return saved
  }

  public static func restore(_ fd: Int32, _ settings: termios) {
    var s = settings
    _ = tcsetattr(fd, TCSANOW, &s)
  }
}
