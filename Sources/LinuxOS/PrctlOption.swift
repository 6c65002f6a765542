/// prctl(2) options (linux/prctl.h), which Swift's Glibc module does not import.
enum PrctlOption {
  static let setParentDeathSignal: Int32 = 1
  static let setDumpable: Int32 = 4
  static let setKeepCapabilities: Int32 = 8
  static let capBoundingDrop: Int32 = 24
  static let setChildSubreaper: Int32 = 36
  static let setNoNewPrivileges: Int32 = 38
  static let ambient: Int32 = 47
  static let ambientRaise: UInt = 2
  static let ambientClearAll: UInt = 4
}
