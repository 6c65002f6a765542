// Unpack benchmark (bench/unpack/run.sh): Berth's LayerApplier vs `tar -xzf` vs
// `gzip -dc >/dev/null` on the same layer, interleaved runs, medians and ratios.
// Runs only when BERTH_BENCH_LAYER names a tar.gz.
import Archive
import ContentStore
import Foundation
import Testing

@Suite(
  "Bench: unpack", .enabled(if: ProcessInfo.processInfo.environment["BERTH_BENCH_LAYER"] != nil))
struct UnpackBenchmark {
  @Test func unpackVersusTarAndGzip() throws {
    let env = ProcessInfo.processInfo.environment
    let layer = env["BERTH_BENCH_LAYER"] ?? ""
    let runs = Int(env["BERTH_BENCH_RUNS"] ?? "5") ?? 5
    let work = env["BERTH_BENCH_DIR"] ?? "/var/tmp"
    var times: [String: [Double]] = ["berth": [], "tar": [], "gzip": []]
    func clock(_ body: () throws -> Void) rethrows -> Double {
      let t0 = DispatchTime.now().uptimeNanoseconds
      try body()
      return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
    for i in 0..<runs {
      let dir = "\(work)/berth-bench-\(getpid())-\(i)"
      defer {
        removeTree(dir)
        removeTree(dir + "-tar")
      }
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        atPath: dir + "-tar", withIntermediateDirectories: true)
      times["gzip", default: []].append(
        try clock { try run(["sh", "-c", "gzip -dc '\(layer)' >/dev/null"]) })
      times["berth", default: []].append(
        try clock {
          let h = SHA256Hasher()
          try LayerApplier.apply(path: layer, into: dir) { h.update($0) }
          _ = h.finalize()
        })
      times["tar", default: []].append(
        try clock { try run(["tar", "-xzf", layer, "-C", dir + "-tar"]) })
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    func fastest(_ v: [Double]) -> Double { v.min() ?? 0 }
    for (label, pick) in [("medians", median), ("minimums", fastest)] {
      let b = pick(times["berth"] ?? [0])
      let t = pick(times["tar"] ?? [0])
      let g = pick(times["gzip"] ?? [0])
      let figures = String(
        format: "berth %.3fs  tar -xzf %.3fs  gzip -dc %.3fs  berth/gzip %.2fx  berth/tar %.2fx",
        b, t, g, b / g, b / t)
      print("unpack bench (\(runs) runs, \(label)): \(figures)")
    }
  }
}
