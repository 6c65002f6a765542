// Unpack benchmark (bench/unpack/run.sh): Berth's LayerApplier vs `tar -xzf` vs
// `gzip -dc >/dev/null` on the same layer, interleaved runs, medians and ratios.
// Runs only when BERTH_BENCH_LAYER names a tar.gz.
//
// The trees are removed after the last run, not between runs: on ext4 without a journal
// (this VM's root) the kernel skips inodes freed in the last 1–6 minutes with a linear
// scan per new inode (ialloc.c recently_deleted()), so deleting 15k inodes before a run
// makes whoever creates inodes next pay a quadratic cost. BERTH_BENCH_CHURN=1 restores the
// old delete-between-runs loop to measure that case. Berth and tar swap order each run.
// BERTH_BENCH_WRITERS=0,1 times Berth with each number of writer threads in every run
// (their order alternates too).
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
    let churn = env["BERTH_BENCH_CHURN"] == "1"
    let writerConfigs = (env["BERTH_BENCH_WRITERS"] ?? "\(LayerApplyOptions().writerThreads)")
      .split(separator: ",").compactMap { Int($0) }
    var times: [String: [Double]] = [:]
    func clock(_ body: () throws -> Void) rethrows -> Double {
      let t0 = DispatchTime.now().uptimeNanoseconds
      try body()
      return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
    var made: [String] = []
    defer { for d in made { removeTree(d) } }
    for i in 0..<runs {
      let base = "\(work)/berth-bench-\(getpid())-\(i)"
      let dirs = writerConfigs.map { base + "-w\($0)" }
      made += dirs + [base + "-tar"]
      for d in made.suffix(dirs.count + 1) {
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
      }
      times["gzip", default: []].append(
        try clock { try run(["sh", "-c", "gzip -dc '\(layer)' >/dev/null"]) })
      func berth() throws {
        let pairs = Array(zip(writerConfigs, dirs))
        for (w, dir) in i % 2 == 0 ? pairs : pairs.reversed() {
          var options = LayerApplyOptions()
          options.writerThreads = w
          times["berth w\(w)", default: []].append(
            try clock {
              let h = SHA256Hasher()
              try LayerApplier.apply(path: layer, into: dir, options: options) { h.update($0) }
              _ = h.finalize()
            })
        }
      }
      func tar() throws {
        times["tar", default: []].append(
          try clock { try run(["tar", "-xzf", layer, "-C", base + "-tar"]) })
      }
      if i % 2 == 0 {
        try berth()
        try tar()
      } else {
        try tar()
        try berth()
      }
      if churn { for d in made.suffix(dirs.count + 1) { removeTree(d) } }
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    func fastest(_ v: [Double]) -> Double { v.min() ?? 0 }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    print("unpack bench: churn \(churn ? "on" : "off"), load average \(load.prefix(14))")
    for (label, pick) in [("medians", median), ("minimums", fastest)] {
      let t = pick(times["tar"] ?? [0])
      let g = pick(times["gzip"] ?? [0])
      for w in writerConfigs {
        let b = pick(times["berth w\(w)"] ?? [0])
        let figures = String(
          format: "berth %.3fs  tar -xzf %.3fs  gzip -dc %.3fs  berth/gzip %.2fx  berth/tar %.2fx",
          b, t, g, b / g, b / t)
        print("unpack bench (\(runs) runs, \(label), writer threads \(w)): \(figures)")
      }
    }
    for (k, v) in times.sorted(by: { $0.key < $1.key }) {
      print("unpack bench runs, \(k): " + v.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
  }
}
