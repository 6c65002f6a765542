// Helpers for the image tests: temp dirs that always go away, tars crafted with
// python3's tarfile, and small file checks.
import CArchive
import Foundation
import LinuxOS
import Testing

#if canImport(Glibc)
  import Glibc
#endif

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// A fresh temp directory; `body` runs with it, and it is removed afterwards, also on failure.
func withTempDir<R>(_ body: (String) throws -> R) throws -> R {
  var template = Array("/tmp/berth-images-test-XXXXXX".utf8CString)
  guard let p = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
  let dir = String(cString: p)
  defer { removeTree(dir) }
  return try body(dir)
}

func withTempDir<R>(_ body: (String) async throws -> R) async throws -> R {
  var template = Array("/tmp/berth-images-test-XXXXXX".utf8CString)
  guard let p = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
  let dir = String(cString: p)
  defer { removeTree(dir) }
  return try await body(dir)
}

/// Removes a tree, first lifting any overlay mounts left below it.
func removeTree(_ dir: String) {
  if let mounts = try? Files.readString("/proc/self/mounts") {
    let targets = mounts.split(separator: "\n").compactMap { line -> String? in
      let f = line.split(separator: " ")
      return f.count > 1 && f[1].hasPrefix(dir) ? String(f[1]) : nil
    }
    for t in targets.reversed() { umount2(t, Int32(MNT_DETACH)) }
  }
  // The snapshotter's background threads (spares, trash) may still be adding an entry:
  // once the directory is gone they cannot, so a few tries are enough.
  for _ in 0..<100 where FileManager.default.fileExists(atPath: dir) {
    try? FileManager.default.removeItem(atPath: dir)
    if FileManager.default.fileExists(atPath: dir) { usleep(10_000) }
  }
}

@discardableResult
func run(_ args: [String], input: Data? = nil) throws -> Data {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  if let input {
    let inp = Pipe()
    p.standardInput = inp
    try p.run()
    inp.fileHandleForWriting.write(input)
    try inp.fileHandleForWriting.close()
  } else {
    try p.run()
  }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else {
    throw TestFailure(
      "\(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
  }
  return data
}

/// Writes a tar at `path` with python3's tarfile. `body` is python using the helpers
/// reg(name, data, mode, uid, gid, mtime, pax), dir(...), sym(name, target), link(name, target),
/// dev(name, 'c'|'b'|'p', major, minor). `mode` is a tarfile mode: "w", "w:gz".
func makeTar(_ path: String, mode: String = "w", _ body: String) throws {
  let script = """
    import tarfile, io, sys
    tf = tarfile.open(sys.argv[1], sys.argv[2], format=tarfile.PAX_FORMAT)
    def _info(name, kind, mode, uid, gid, mtime, pax):
        ti = tarfile.TarInfo(name); ti.type = kind; ti.mode = mode; ti.uid = uid; ti.gid = gid; ti.mtime = mtime
        if pax: ti.pax_headers = pax
        return ti
    def reg(name, data=b'', mode=0o644, uid=0, gid=0, mtime=1000000000, pax=None):
        ti = _info(name, tarfile.REGTYPE, mode, uid, gid, mtime, pax); ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
    def dir(name, mode=0o755, uid=0, gid=0, mtime=1000000000, pax=None):
        tf.addfile(_info(name, tarfile.DIRTYPE, mode, uid, gid, mtime, pax))
    def sym(name, target, uid=0, gid=0, mtime=1000000000):
        ti = _info(name, tarfile.SYMTYPE, 0o777, uid, gid, mtime, None); ti.linkname = target; tf.addfile(ti)
    def link(name, target):
        ti = _info(name, tarfile.LNKTYPE, 0o644, 0, 0, 1000000000, None); ti.linkname = target; tf.addfile(ti)
    def dev(name, kind, major=0, minor=0, mode=0o644):
        t = {'c': tarfile.CHRTYPE, 'b': tarfile.BLKTYPE, 'p': tarfile.FIFOTYPE}[kind]
        ti = _info(name, t, mode, 0, 0, 1000000000, None); ti.devmajor = major; ti.devminor = minor; tf.addfile(ti)
    \(body)
    tf.close()
    """
  try run(["python3", "-c", script, path, mode])
}

func lstatOf(_ path: String) -> stat? {
  var st = stat()
  return lstat(path, &st) == 0 ? st : nil
}

func exists(_ path: String) -> Bool { lstatOf(path) != nil }

func fileType(_ path: String) -> mode_t? { lstatOf(path).map { $0.st_mode & S_IFMT } }

func readText(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

func xattr(_ path: String, _ name: String) -> String? {
  var buf = [UInt8](repeating: 0, count: 256)
  let n = lgetxattr(path, name, &buf, buf.count)
  guard n >= 0 else { return nil }
  return String(decoding: buf[0..<n], as: UTF8.self)
}

func sha256Hex(ofFile path: String) throws -> String {
  let out = try run(["sha256sum", path])
  return String(String(decoding: out, as: UTF8.self).prefix(64))
}
