// `--user` resolution against the container's /etc/passwd and /etc/group, with the
// rules and messages of runc's libcontainer/user (which Docker uses).
import OCI

struct PasswdEntry: Equatable {
  var name: String
  var uid: UInt32
  var gid: UInt32
  var home: String
}

struct GroupEntry: Equatable {
  var name: String
  var gid: UInt32
  var members: [String]
}

extension SpecBuilder {
  /// Resolves "", "name", "uid", "uid:gid", "name:group" (and mixes) plus `--group-add`.
  static func resolveUser(_ spec: String, groupAdd: [String], rootfs: String) throws -> User {
    let passwd = try RootedPath.read(root: rootfs, "/etc/passwd").map(parsePasswd) ?? []
    let groups = try RootedPath.read(root: rootfs, "/etc/group").map(parseGroup) ?? []
    return try resolveUser(spec, groupAdd: groupAdd, passwd: passwd, groups: groups)
  }

  static func resolveUser(
    _ spec: String, groupAdd: [String], passwd: [PasswdEntry], groups: [GroupEntry]
  ) throws -> User {
    let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    let userArg = parts.first.map(String.init) ?? ""
    let groupArg = parts.count > 1 ? String(parts[1]) : ""

    var uid: UInt32 = 0
    var gid: UInt32 = 0
    var matchedName: String?
    let numericUser = UInt32(userArg)
    if userArg.isEmpty {
      // Defaults to root, but picks up root's entry (and supplementary groups) if present.
      if let e = passwd.first(where: { $0.uid == 0 }) {
        gid = e.gid
        matchedName = e.name
      }
    } else if let e = passwd.first(where: { $0.name == userArg || (numericUser != nil && $0.uid == numericUser) }) {
      uid = e.uid
      gid = e.gid
      matchedName = e.name
    } else if let n = numericUser {
      uid = n
    } else {
      throw DaemonError.invalid("unable to find user \(userArg): no matching entries in passwd file")
    }

    var additional: [UInt32] = []
    if !groupArg.isEmpty {
      let numericGroup = UInt32(groupArg)
      if let g = groups.first(where: { $0.name == groupArg || (numericGroup != nil && $0.gid == numericGroup) }) {
        gid = g.gid
      } else if let n = numericGroup {
        gid = n
      } else {
        throw DaemonError.invalid("unable to find group \(groupArg): no matching entries in group file")
      }
    } else if let name = matchedName {
      additional = groups.filter { $0.members.contains(name) }.map(\.gid)
    }

    for g in groupAdd {
      if let n = UInt32(g) {
        additional.append(n)
      } else if let e = groups.first(where: { $0.name == g }) {
        additional.append(e.gid)
      } else {
        throw DaemonError.invalid("Unable to find group \(g): no matching entries in group file")
      }
    }
    return User(uid: uid, gid: gid, additionalGids: additional.isEmpty ? nil : additional)
  }

  static func parsePasswd(_ text: String) -> [PasswdEntry] {
    text.split(separator: "\n").compactMap { line in
      let t = line.trimmingCharacters(in: " \t")
      guard !t.isEmpty, !t.hasPrefix("#") else { return nil }
      let f = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 4, let uid = UInt32(f[2]), let gid = UInt32(f[3]) else { return nil }
      return PasswdEntry(name: f[0], uid: uid, gid: gid, home: f.count > 5 ? f[5] : "")
    }
  }

  static func parseGroup(_ text: String) -> [GroupEntry] {
    text.split(separator: "\n").compactMap { line in
      let t = line.trimmingCharacters(in: " \t")
      guard !t.isEmpty, !t.hasPrefix("#") else { return nil }
      let f = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 3, let gid = UInt32(f[2]) else { return nil }
      let members = f.count > 3 ? f[3].split(separator: ",").map { String($0) } : []
      return GroupEntry(name: f[0], gid: gid, members: members)
    }
  }
}

extension Substring {
  func trimmingCharacters(in set: String) -> Substring {
    var s = self
    while let c = s.first, set.contains(c) { s.removeFirst() }
    while let c = s.last, set.contains(c) { s.removeLast() }
    return s
  }
}
