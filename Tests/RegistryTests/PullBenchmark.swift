// A rough pull timing, run by hand: BERTH_BENCH_REGISTRY=1 swift test --skip-build --filter PullBenchmark
// A 3-layer image (two 40 MB random layers, one small) in a local docker-registry, pulled
// (with unpack) with and without ranged fetches; skopeo copy to a dir for comparison.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

@Suite("Bench: registry pull", .enabled(if: ProcessInfo.processInfo.environment["BERTH_BENCH_REGISTRY"] != nil))
struct PullBenchmark {
  @Test func pullTimes() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let layers = [
          try b.addLayer(["a.bin": randomData(40 << 20)]), try b.addLayer(["b.bin": randomData(40 << 20)]),
          try b.addLayer(["c.txt": Data("c".utf8)]),
        ]
        let m = try b.addImage(layers)
        try b.tag(m, "v1")
        try b.copy("v1", to: "\(reg.host)/bench/app:v1")
        let ref = try ImageReference(parsing: "\(reg.host)/bench/app:v1")
        for (name, threshold) in [("one stream per layer", Int64.max), ("4 ranges per layer", Int64(8 << 20))] {
          var conf = RegistryClientConfiguration()
          conf.rangedFetchThreshold = threshold
          for run in 0..<3 {
            let store = try ImageStore(root: dir + "/store-\(threshold)-\(run)")
            let start = ContinuousClock.now
            _ = try await withClient(conf) { c in try await c.pull(reference: ref, into: store) }
            print("BENCH pull (\(name)) run \(run): \(ContinuousClock.now - start)")
          }
        }
        let start = ContinuousClock.now
        try run([
          "skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://\(reg.host)/bench/app:v1",
          "dir:\(dir)/skopeo-dir",
        ])
        print("BENCH skopeo copy to dir (no unpack): \(ContinuousClock.now - start)")
      }
    }
  }
}
