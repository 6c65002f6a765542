// ChainIDs (image-spec config.md): ChainID(L0) = DiffID(L0),
// ChainID(L0|…|Ln) = sha256(ChainID(L0|…|Ln-1) + " " + DiffID(Ln)).
import ContentStore
import OCI

public enum ChainID {
  public static func next(_ parent: Digest?, _ diffID: Digest) -> Digest {
    guard let parent else { return diffID }
    return SHA256Hasher.digest(Array("\(parent) \(diffID)".utf8))
  }

  /// The chain ID of each prefix of `diffIDs`.
  public static func chain(_ diffIDs: [Digest]) -> [Digest] {
    var out: [Digest] = []
    var cur: Digest?
    for d in diffIDs {
      let n = next(cur, d)
      out.append(n)
      cur = n
    }
    return out
  }
}
