// SHA-256 through libcrypto's EVP interface (uses the CPU's SHA extensions where present).
import COpenSSL
import FoundationEssentials
import OCI

/// Incremental SHA-256. Not thread-safe; one per stream.
public final class SHA256Hasher {
  private let ctx: OpaquePointer?

  public init() {
    ctx = EVP_MD_CTX_new()
    EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
  }

  deinit { EVP_MD_CTX_free(ctx) }

  public func update(_ buffer: UnsafeRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    EVP_DigestUpdate(ctx, base, buffer.count)
  }

  public func update(_ bytes: some ContiguousBytes) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Finishes the hash; the hasher must not be used afterwards.
  public func finalize() -> Digest {
    var out = [UInt8](repeating: 0, count: 32)
    var len: UInt32 = 0
    out.withUnsafeMutableBufferPointer { p in
      _ = EVP_DigestFinal_ex(ctx, p.baseAddress, &len)
    }
    return Digest(sha256Bytes: out)
  }

  /// sha256 of a whole buffer.
  public static func digest(_ bytes: some ContiguousBytes) -> Digest {
    let h = SHA256Hasher()
    h.update(bytes)
    return h.finalize()
  }
}
