/// An error the runtime reports to its caller, worded like runc's where a client
/// (containerd, Docker) matches on the text.
public struct RuntimeError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
