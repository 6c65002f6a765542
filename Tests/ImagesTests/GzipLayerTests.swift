// The gzip decoder (ISA-L) behind LayerApplier and TarEntries: real layers, several
// members, streams that arrive a few bytes at a time, corrupt and truncated input, and
// the decompression-bomb bounds. The other compressions go through libarchive.
import Archive
import ContentStore
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Archive: gzip layers (ISA-L) and the other compressions")
struct GzipLayerTests {
  /// A tar of a real directory of this machine (perl's library: files, dirs, symlinks).
  func makeRealTar(_ tar: String) throws {
    try run(["tar", "-C", "/usr/share", "-cf", tar, "perl5"])
  }

  func gzip(_ path: String, level: String = "-6") throws -> Data {
    try run(["gzip", "-n", level, "-c", path])
  }

  /// Applies `layer` into a fresh `<tmp>/root`; returns the diffID the observer saw.
  func apply(_ layer: String, in tmp: String, options: LayerApplyOptions = LayerApplyOptions())
    throws -> (result: LayerApplyResult, diffID: String)
  {
    let root = tmp + "/root"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
    let hasher = SHA256Hasher()
    let r = try LayerApplier.apply(path: layer, into: root, options: options) { hasher.update($0) }
    return (r, hasher.finalize().encoded)
  }

  /// Every path's type, mode, owner and link target, sorted (contents: diff -r).
  func listing(_ dir: String) throws -> String {
    let out = try run(["find", dir, "-mindepth", "1", "-printf", "%P %y %m %U %G %l\n"])
    return String(decoding: out, as: UTF8.self).split(separator: "\n").sorted().joined(separator: "\n")
  }

  /// `bytes` as the only file of `<tmp>/name`.
  func write(_ bytes: Data, _ tmp: String, _ name: String) throws -> String {
    let path = tmp + "/" + name
    try bytes.write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The decompressed bytes of `path` as TarEntries.decompress streams them.
  func decompress(_ path: String, options: LayerApplyOptions = LayerApplyOptions()) throws -> Data {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw TestFailure("open \(path)") }
    defer { close(fd) }
    var out = Data()
    try TarEntries.decompress(fd: fd, options: options) { out.append(contentsOf: $0) }
    return out
  }

  @Test func realLayerMatchesTarAndItsDiffID() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeRealTar(tar)
      let layer = try write(try gzip(tar), tmp, "layer.tar.gz")
      let (r, diffID) = try apply(layer, in: tmp)
      #expect(diffID == (try sha256Hex(ofFile: tar)))
      #expect(r.expandedBytes == Int64(lstatOf(tar)?.st_size ?? -1))
      #expect(r.compressedBytes == Int64(lstatOf(layer)?.st_size ?? -1))
      let reference = tmp + "/reference"
      try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: false)
      try run(["tar", "-xzf", layer, "-C", reference])
      try run(["diff", "-r", "--no-dereference", reference, tmp + "/root"])
      #expect(try listing(tmp + "/root") == (try listing(reference)))
    }
  }

  @Test func membersConcatenatedAreOneStream() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeRealTar(tar)
      let whole = try Data(contentsOf: URL(fileURLWithPath: tar))
      // Three members cut at arbitrary points (not at entry boundaries), plus an empty one.
      let cuts = [0, whole.count / 3 + 7, whole.count / 3 + 7, 2 * whole.count / 3 + 1, whole.count]
      var multi = Data()
      for i in 0..<(cuts.count - 1) {
        let part = try write(whole.subdata(in: cuts[i]..<cuts[i + 1]), tmp, "part\(i)")
        multi.append(try gzip(part, level: i % 2 == 0 ? "-1" : "-9"))
      }
      let layer = try write(multi, tmp, "multi.tar.gz")
      #expect(try decompress(layer) == whole)
      let (r, diffID) = try apply(layer, in: tmp)
      #expect(diffID == (try sha256Hex(ofFile: tar)))
      #expect(r.compressedBytes == Int64(multi.count))
      let reference = tmp + "/reference"
      try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: false)
      try run(["tar", "-xf", tar, "-C", reference])
      try run(["diff", "-r", "--no-dereference", reference, tmp + "/root"])
    }
  }

  @Test func streamArrivingFewBytesAtATimeDecodes() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "import os\nreg('a', os.urandom(300000))\nreg('b', b'text ' * 50000)")
      let whole = try Data(contentsOf: URL(fileURLWithPath: tar))
      let half = try write(whole.prefix(whole.count / 2), tmp, "h1")
      let rest = try write(whole.suffix(from: whole.count / 2), tmp, "h2")
      let layer = try gzip(half) + (try gzip(rest))
      // Headers, deflate data and trailers all get split across reads of a pipe.
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      let hasher = SHA256Hasher()
      try withDribblingPipe(layer, chunk: 7) { fd in
        try LayerApplier.apply(fd: fd, into: root) { hasher.update($0) }
      }
      #expect(hasher.finalize().encoded == (try sha256Hex(ofFile: tar)))
      #expect(lstatOf(root + "/a")?.st_size == 300000)
      #expect(readText(root + "/b") == String(repeating: "text ", count: 50000))
    }
  }

  @Test func trailingZeroPaddingIsIgnored() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "reg('f', b'hello')")
      let layer = try write(try gzip(tar) + Data(count: 4096), tmp, "padded.tar.gz")
      let (_, diffID) = try apply(layer, in: tmp)
      #expect(diffID == (try sha256Hex(ofFile: tar)))
      #expect(readText(tmp + "/root/f") == "hello")
    }
  }

  @Test func trailingGarbageIsRefused() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "reg('f', b'hello')")
      let layer = try write(try gzip(tar) + Data("garbage".utf8), tmp, "garbage.tar.gz")
      #expect(throws: ArchiveError.corruptStream(format: "gzip", reason: "data after the last member")) {
        _ = try decompress(layer)
      }
    }
  }

  /// Applies a damaged gzip next to an `outside` directory: the error, and nothing outside.
  func applyDamaged(_ damage: (inout Data) -> Void) throws -> ArchiveError? {
    try withTempDir { tmp in
      let outside = tmp + "/outside"
      try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
      try "secret".write(toFile: outside + "/passwd", atomically: false, encoding: .utf8)
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "import os\nreg('a', os.urandom(200000))\nreg('b', b'x' * 100000)")
      var bytes = try gzip(tar)
      damage(&bytes)
      let layer = try write(bytes, tmp, "damaged.tar.gz")
      var caught: ArchiveError?
      do {
        _ = try apply(layer, in: tmp)
      } catch let e as ArchiveError {
        caught = e
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["passwd"])
      #expect(readText(outside + "/passwd") == "secret")
      return caught
    }
  }

  @Test func wrongCRCIsRefused() throws {
    // The trailer's CRC-32 is the 8th to 5th byte from the end.
    let e = try applyDamaged { $0[$0.count - 8] ^= 0xff }
    #expect(
      e == .corruptStream(format: "gzip", reason: "CRC-32 or length does not match the member's trailer"))
  }

  @Test func wrongLengthIsRefused() throws {
    let e = try applyDamaged { $0[$0.count - 1] ^= 0x01 }
    #expect(
      e == .corruptStream(format: "gzip", reason: "CRC-32 or length does not match the member's trailer"))
  }

  @Test func invalidDeflateBlockIsRefused() throws {
    // `gzip -n` writes a 10-byte header; bits 1-2 of the next byte are the first block's
    // type, and 3 is reserved.
    let e = try applyDamaged { $0[10] |= 0x06 }
    #expect(e == .corruptStream(format: "gzip", reason: "invalid deflate block"))
  }

  @Test func unsupportedMethodIsRefused() throws {
    let e = try applyDamaged { $0[2] = 7 }
    #expect(e == .corruptStream(format: "gzip", reason: "compression method is not deflate"))
  }

  @Test(arguments: [2, 11, 5000, 150_000])
  func truncatedGzipIsRefused(keeping: Int) throws {
    let e = try applyDamaged { $0 = $0.prefix(keeping) }
    #expect(e == .corruptStream(format: "gzip", reason: "unexpected end of stream"))
  }

  @Test func corruptDataInsideIsRefused() throws {
    // Damage somewhere in the deflate data: whatever the decoder makes of it, the layer is
    // refused (an invalid code, or at the latest the CRC), never applied.
    for offset in [200, 1000, 30000, 120_000] {
      let e = try applyDamaged { $0[offset] ^= 0x55 }
      #expect(e != nil, "damage at \(offset) went unnoticed")
    }
  }

  @Test func sizeBoundIsExactWithTheGzipDecoder() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "reg('zeros', bytes(3 * 1024 * 1024))")
      let size = Int64(lstatOf(tar)?.st_size ?? 0)
      let layer = try write(try gzip(tar), tmp, "zeros.tar.gz")
      var o = LayerApplyOptions()
      o.maxExpandedBytes = size
      #expect(try decompress(layer, options: o).count == Int(size))
      o.maxExpandedBytes = size - 1
      #expect(throws: ArchiveError.expandedSizeLimit(limit: size - 1)) { _ = try decompress(layer, options: o) }
    }
  }

  @Test func ratioBoundHonoursTheGraceWithTheGzipDecoder() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "reg('zeros', bytes(8 * 1024 * 1024))")
      let layer = try write(try gzip(tar), tmp, "zeros.tar.gz")
      var o = LayerApplyOptions()
      o.maxCompressionRatio = 50
      o.ratioGraceBytes = 16 << 20  // more than it expands to: allowed
      #expect(try decompress(layer, options: o).count > 8 << 20)
      o.ratioGraceBytes = 1 << 20
      #expect(throws: ArchiveError.compressionRatioLimit(limit: 50)) { _ = try decompress(layer, options: o) }
    }
  }

  @Test(arguments: ["zstd", "xz", "bzip2", "none"])
  func otherCompressionsStillApply(_ compression: String) throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeRealTar(tar)
      var layer = tar
      if compression != "none" {
        let compressed = try run([compression, "-c", tar])
        layer = try write(compressed, tmp, "layer.tar.\(compression)")
      }
      let (_, diffID) = try apply(layer, in: tmp)
      #expect(diffID == (try sha256Hex(ofFile: tar)))
      let reference = tmp + "/reference"
      try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: false)
      try run(["tar", "-xf", tar, "-C", reference])
      try run(["diff", "-r", "--no-dereference", reference, tmp + "/root"])
    }
  }

  @Test func plainTarThroughADribblingPipeApplies() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, "reg('f', b'plain')")
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      // One byte at a time: the format is sniffed before two bytes have arrived.
      try withDribblingPipe(try Data(contentsOf: URL(fileURLWithPath: tar)), chunk: 1) { fd in
        try LayerApplier.apply(fd: fd, into: root)
      }
      #expect(readText(root + "/f") == "plain")
    }
  }
}

/// Runs `body` with the read end of a pipe that a thread fills with `bytes`, `chunk` bytes
/// per write; the pipe is closed and the thread joined afterwards.
func withDribblingPipe<R>(_ bytes: Data, chunk: Int, _ body: (Int32) throws -> R) throws -> R {
  var fds: [Int32] = [0, 0]
  guard pipe(&fds) == 0 else { throw TestFailure("pipe failed") }
  let (readEnd, writeEnd) = (fds[0], fds[1])
  signal(SIGPIPE, SIG_IGN)  // the reader may stop early; the writer then gets EPIPE
  let done = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    bytes.withUnsafeBytes { all in
      guard let base = all.baseAddress else { return }
      var offset = 0
      while offset < all.count {
        let n = Glibc.write(writeEnd, base + offset, min(chunk, all.count - offset))
        if n <= 0 { break }
        offset += n
      }
    }
    close(writeEnd)
    done.signal()
  }
  defer {
    close(readEnd)
    done.wait()
  }
  return try body(readEnd)
}
