import CSeccomp
import OCI

/// One argument comparison of a rule: libseccomp's `struct scmp_arg_cmp` as a value.
struct SeccompCondition: Equatable, Sendable {
  var index: UInt32
  var op: scmp_compare
  /// The compared value, or the mask for SCMP_CMP_MASKED_EQ.
  var datumA: UInt64
  /// The value the masked argument must equal, for SCMP_CMP_MASKED_EQ; else 0.
  var datumB: UInt64

  var cValue: scmp_arg_cmp {
    scmp_arg_cmp(arg: index, op: op, datum_a: datumA, datum_b: datumB)
  }
}

/// One libseccomp rule: a syscall by name, an action and ANDed conditions.
struct SeccompRule: Equatable, Sendable {
  var syscall: String
  var action: UInt32
  var conditions: [SeccompCondition]
}

/// The OCI seccomp section checked and turned into libseccomp terms, without touching
/// libseccomp state: every error a spec can have is found here, before any filter exists.
struct SeccompPlan: Sendable {
  var defaultAction: UInt32
  /// Architecture tokens to add (the native one is always in a new filter).
  var architectures: [(name: String, token: UInt32)]
  /// Filter attributes to switch on for `flags`.
  var flagAttributes: [(name: String, attribute: scmp_filter_attr)]
  var rules: [SeccompRule]

  /// The most conditions one seccomp rule can test: syscalls have six arguments.
  static let maxArguments: UInt32 = 6

  init(_ spec: OCI.Seccomp) throws(SeccompError) {
    defaultAction = try SeccompAction.resolve(spec.defaultAction, errnoRet: spec.defaultErrnoRet)

    architectures = []
    for name in spec.architectures ?? [] {
      guard let token = SeccompArchitecture.token(for: name) else {
        throw .unknownArchitecture(name)
      }
      if !architectures.contains(where: { $0.token == token }) {
        architectures.append((name, token))
      }
    }

    flagAttributes = []
    for name in spec.flags ?? [] {
      guard let attribute = SeccompFlag.attribute(for: name) else { throw .unknownFlag(name) }
      flagAttributes.append((name, attribute))
    }

    rules = []
    for entry in spec.syscalls ?? [] {
      let action = try SeccompAction.resolve(entry.action, errnoRet: entry.errnoRet)
      for name in entry.names {
        let conditions = try Self.conditions(entry.args ?? [], syscall: name)
        // libseccomp refuses a rule whose action is the filter's default; it would be a
        // no-op anyway (runc skips it the same way).
        if action == defaultAction { continue }
        rules += Self.split(syscall: name, action: action, conditions: conditions)
      }
    }
  }

  static func conditions(_ args: [OCI.SeccompArg], syscall: String) throws(SeccompError)
    -> [SeccompCondition]
  {
    var result: [SeccompCondition] = []
    for arg in args {
      guard let op = SeccompOperator.resolve(arg.op) else {
        throw .unknownOperator(arg.op, syscall: syscall)
      }
      guard arg.index < maxArguments else {
        throw .argumentIndexOutOfRange(arg.index, syscall: syscall)
      }
      // Only SCMP_CMP_MASKED_EQ has a second datum (runc passes valueTwo for it alone).
      let datumB = op == SCMP_CMP_MASKED_EQ ? (arg.valueTwo ?? 0) : 0
      result.append(SeccompCondition(index: arg.index, op: op, datumA: arg.value, datumB: datumB))
    }
    return result
  }

  /// libseccomp ANDs the conditions of one rule but allows one condition per argument;
  /// when an argument is compared more than once, runc falls back to one rule per
  /// condition (so they are ORed). Berth does the same for compatibility.
  static func split(syscall: String, action: UInt32, conditions: [SeccompCondition])
    -> [SeccompRule]
  {
    var seen = Set<UInt32>()
    let repeatsIndex = conditions.contains { !seen.insert($0.index).inserted }
    if repeatsIndex {
      return conditions.map { SeccompRule(syscall: syscall, action: action, conditions: [$0]) }
    }
    return [SeccompRule(syscall: syscall, action: action, conditions: conditions)]
  }
}

extension SeccompPlan {
  /// The plan as bytes, field by field (no Codable: this runs on every container start).
  /// Strings end in a 0 byte; numbers are little-endian.
  var fingerprint: [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64 + rules.count * 32)
    func number(_ value: UInt64) {
      for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
    func text(_ value: String) {
      bytes += value.utf8
      bytes.append(0)
    }
    number(UInt64(defaultAction))
    number(UInt64(architectures.count))
    for arch in architectures { number(UInt64(arch.token)) }
    number(UInt64(flagAttributes.count))
    for flag in flagAttributes { number(UInt64(flag.attribute.rawValue)) }
    number(UInt64(rules.count))
    for rule in rules {
      text(rule.syscall)
      number(UInt64(rule.action))
      number(UInt64(rule.conditions.count))
      for condition in rule.conditions {
        number(UInt64(condition.index))
        number(UInt64(condition.op.rawValue))
        number(condition.datumA)
        number(condition.datumB)
      }
    }
    return bytes
  }
}
