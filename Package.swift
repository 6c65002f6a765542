// swift-tools-version:6.0
// Berth: a Docker-compatible container engine. Targets follow ../shared/DESIGN.md;
// dependencies point downward only.
import PackageDescription

let package = Package(
  name: "Berth",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "berth-runtime", targets: ["berth-runtime"]),
    .executable(name: "berthd", targets: ["berthd"]),
    .executable(name: "berth-shim", targets: ["berth-shim"]),
    .executable(name: "berth", targets: ["berth"]),
    .executable(name: "berth-cp", targets: ["berth-cp"]),
    .executable(name: "berth-init", targets: ["berth-init"]),
    .executable(name: "berth-registry", targets: ["berth-registry"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ],
  targets: [
    // C: only what Swift cannot do safely (raw syscalls, variadic calls, a fork+exec
    // spawn whose child runs async-signal-safe code only).
    .target(name: "CBerth"),
    .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
    .target(name: "CCgroupBPF"),
    .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),

    // Plain spec types, no I/O.
    .target(name: "OCI"),
    // Codable JSON without Foundation, for the binaries on the container start path.
    .target(name: "JSONCoding"),
    // Typed syscall wrappers.
    .target(name: "LinuxOS", dependencies: ["CBerth"]),
    .target(name: "Cgroups", dependencies: ["OCI", "CCgroupBPF"]),
    .target(name: "Seccomp", dependencies: ["OCI", "CSeccomp", "CBerth"]),
    // Loads a seccomp filter in a fresh single-threaded process for SeccompTests
    // (CSeccompShim: the few syscalls it makes that Glibc's module does not expose).
    .target(name: "CSeccompShim"),
    .executableTarget(name: "seccomp-probe", dependencies: ["Seccomp", "OCI", "CSeccompShim"]),
    .target(name: "Runtime", dependencies: ["OCI", "LinuxOS", "Cgroups", "Seccomp", "CBerth", "JSONCoding"]),
    .target(name: "RuntimeCommands", dependencies: ["Runtime", "OCI", "LinuxOS", "Cgroups", "Seccomp", "JSONCoding"]),
    // Release: a fully static executable (see scripts/build-release.sh). A link flag here,
    // not a -Xswiftc one, so switching products does not recompile every module.
    .executableTarget(
      name: "berth-runtime", dependencies: ["RuntimeCommands"],
      linkerSettings: [.unsafeFlags(["-static-executable"], .when(configuration: .release))]),

    // Images.
    .target(name: "Archive", dependencies: ["CArchive", "CISAL"]),
    .target(name: "ContentStore", dependencies: ["OCI", "COpenSSL"]),
    .target(name: "Snapshots", dependencies: ["LinuxOS"]),
    .target(name: "Images", dependencies: ["OCI", "Archive", "ContentStore", "Snapshots", "LinuxOS"]),
    // The distribution client: auth, manifests, parallel ranged blob fetches into the store.
    .target(
      name: "Registry",
      dependencies: [
        "OCI", "ContentStore", "Images", "LinuxOS", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),

    // The registry server (OCI distribution API) as a library, so tests start it in-process;
    // `berth-registry` is its executable (`berth registry serve` execs it: the CLI stays NIO-free).
    // CCrypt: libxcrypt's crypt_r for htpasswd's bcrypt lines.
    .systemLibrary(name: "CCrypt"),
    .target(
      name: "RegistryServer",
      dependencies: [
        "ContentStore", "OCI", "JSONCoding", "LinuxOS", "CCrypt", "COpenSSL",
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    .executableTarget(name: "berth-registry", dependencies: ["RegistryServer"]),

    // Networking: rtnetlink, netns, IPAM, bridges, nftables rules in Berth's own table.
    // Not named "Network": AsyncHTTPClient and NIOTransportServices test `canImport(Network)`
    // (Apple's framework) and would import this module on Linux.
    .target(name: "BerthNetwork", dependencies: ["LinuxOS", "CBerth", "JSONCoding"]),

    // The engine: the Docker Engine API, the per-container shim, the daemon.
    .target(name: "EngineAPI"),
    .target(
      name: "DaemonHTTP",
      dependencies: [
        "EngineAPI", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    .target(name: "Shim", dependencies: ["LinuxOS", "OCI", "JSONCoding", "CBerth"]),
    // Release: fully static too (one per container start; see scripts/build-release.sh).
    .executableTarget(
      name: "berth-shim", dependencies: ["Shim"],
      linkerSettings: [.unsafeFlags(["-static-executable"], .when(configuration: .release))]),
    .target(
      name: "Daemon",
      dependencies: [
        "EngineAPI", "Images", "OCI", "Shim", "LinuxOS", "Seccomp", "Cgroups", "Runtime", "CBerth", "Registry",
        "BerthNetwork", "JSONCoding", "Dockerfile", "Archive", "ContentStore",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .executableTarget(name: "berthd", dependencies: ["Daemon", "DaemonHTTP"]),
    // `--init`'s PID 1, in C and fully static (busybox-like images have no libc):
    // -nostartfiles keeps out swiftrt.o, the only thing that would pull in the Swift runtime.
    .executableTarget(name: "berth-init", linkerSettings: [.unsafeFlags(["-nostartfiles", "-static-executable"])]),

    // The CLI: a synchronous Engine API client (no NIO: the CLI must start fast) and Docker's verbs.
    .target(name: "EngineClient", dependencies: ["EngineAPI", "LinuxOS"]),
    .target(name: "BerthCommands", dependencies: ["EngineClient", "EngineAPI", "LinuxOS"]),
    .executableTarget(name: "berth", dependencies: ["BerthCommands", "LinuxOS"]),
    // `berth cp`'s tars (libarchive and its libraries stay out of every other berth start).
    .target(name: "BerthCopy", dependencies: ["BerthCommands", "Archive"]),
    .executableTarget(name: "berth-cp", dependencies: ["BerthCommands", "BerthCopy"]),

    // Builds: the Dockerfile parser (pure, no I/O).
    .target(name: "Dockerfile"),

    .testTarget(
      name: "BerthCommandsTests", dependencies: ["BerthCommands", "BerthCopy", "EngineClient", "EngineAPI", "LinuxOS"]),
    .testTarget(name: "EngineAPITests", dependencies: ["EngineAPI"]),
    .testTarget(name: "DaemonHTTPTests", dependencies: ["DaemonHTTP", "EngineAPI"]),
    .testTarget(name: "ShimTests", dependencies: ["Shim", "OCI", "LinuxOS"]),
    .testTarget(
      name: "DaemonTests", dependencies: ["Daemon", "DaemonHTTP", "EngineAPI", "Images", "LinuxOS", "OCI"],
      exclude: ["sdk"]),
    .testTarget(name: "OCITests", dependencies: ["OCI"]),
    .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding", "OCI"]),
    .testTarget(name: "LinuxOSTests", dependencies: ["LinuxOS"]),
    .testTarget(name: "CgroupsTests", dependencies: ["Cgroups", "LinuxOS", "OCI"]),
    .testTarget(name: "SeccompTests", dependencies: ["Seccomp", "OCI"]),
    .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "OCI", "LinuxOS"]),
    .testTarget(
      name: "ImagesTests",
      dependencies: ["Images", "Archive", "ContentStore", "LinuxOS", "Snapshots", "OCI", "CArchive"]),
    .testTarget(name: "RegistryTests", dependencies: ["Registry", "Images", "ContentStore", "OCI"]),
    .testTarget(name: "DockerIntegrationTests", dependencies: ["LinuxOS"]),
    .testTarget(name: "DockerfileTests", dependencies: ["Dockerfile"]),
    .testTarget(
      name: "RegistryServerTests", dependencies: ["RegistryServer", "ContentStore", "OCI", "JSONCoding", "LinuxOS"]),
    .testTarget(name: "NetworkTests", dependencies: ["BerthNetwork", "LinuxOS"]),
  ],
  swiftLanguageModes: [.v6]
)
