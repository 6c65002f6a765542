// The decoders the producer thread can run: ISA-L for gzip (the common layer format, and
// the one whose speed bounds an apply), libarchive for everything else.

/// Produces the expanded bytes of a layer stream.
protocol StreamExpander: AnyObject {
  /// Writes up to `capacity` expanded bytes to `buffer` and returns how many; 0 means the
  /// stream has ended. Throws on corrupt or truncated input.
  func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int
}

enum StreamExpanders {
  /// The expander for the stream in `input`, chosen from its first bytes.
  static func open(_ input: CompressedInput) throws -> StreamExpander {
    _ = try input.fill(atLeast: 2)
    if GzipInflater.startsMember(input.available) { return GzipInflater(input: input) }
    return try LibarchiveExpander(input: input)
  }
}
