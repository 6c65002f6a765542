import Glibc

/// A failed system call: which call, on what, and the errno it returned.
public struct SystemError: Error, CustomStringConvertible, Equatable {
  public let call: String
  public let errno: Int32
  public let detail: String

  public init(_ call: String, errno: Int32, _ detail: String = "") {
    self.call = call
    self.errno = errno
    self.detail = detail
  }

  public var description: String {
    let reason = String(cString: strerror(errno))
    return detail.isEmpty ? "\(call): \(reason)" : "\(call) \(detail): \(reason)"
  }
}

/// Runs a call that returns -1 and sets errno on failure, retrying EINTR.
@discardableResult
public func sys<T: BinaryInteger>(_ call: String, _ detail: @autoclosure () -> String = "", _ body: () -> T) throws -> T
{
  while true {
    let result = body()
    if result >= 0 { return result }
    let err = Glibc.errno
    if err == EINTR { continue }
    throw SystemError(call, errno: err, detail())
  }
}

/// Like `sys` for calls that return an errno directly (0 on success).
public func sysErrno(_ call: String, _ detail: @autoclosure () -> String = "", _ body: () -> Int32) throws {
  while true {
    let err = body()
    if err == 0 { return }
    if err == EINTR { continue }
    throw SystemError(call, errno: err, detail())
  }
}
