import Glibc
import Testing

@testable import LinuxOS

struct NetworkLinksTests {
  @Test func aNameTooLongForTheKernelIsRefusedBeforeAnyIoctl() {
    #expect(throws: SystemError("ioctl", errno: EINVAL, "interface name \(String(repeating: "x", count: 16))")) {
      try NetworkLinks.bringUp(String(repeating: "x", count: 16))
    }
  }

  @Test func aMissingInterfaceIsReportedByName() {
    #expect(throws: SystemError("ioctl(SIOCGIFFLAGS)", errno: ENODEV, "berth-nope0")) {
      try NetworkLinks.bringUp("berth-nope0")
    }
  }
}
