/// The byte stream under an `EngineConnection`: a plain socket, or TLS over one.
public protocol ByteTransport: AnyObject {
  /// The socket to poll(2) for readability.
  var fd: Int32 { get }
  /// Whether bytes were already taken off the socket (decrypted) and wait in the transport:
  /// poll(2) cannot see them, so a poll loop must drain them first.
  var hasPendingData: Bool { get }
  /// Reads up to `buffer.count` bytes; 0 at end of stream.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// Writes some of `bytes`; returns how many.
  func write(_ bytes: UnsafeRawBufferPointer) throws -> Int
  /// Ends the write side while reading goes on (stdin ended).
  func shutdownWrite()
  func close()
}
