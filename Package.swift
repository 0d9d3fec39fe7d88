// swift-tools-version:6.0
import PackageDescription

/// Every plugin exports only its entry symbol (see docs/plugin-abi.md). lld,
/// because gold leaves Swift metadata symbols exported despite `local: *`.
let pluginLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "--version-script=\(Context.packageDirectory)/Plugins/plugin.exports"])
]

let package = Package(
    name: "mini-siem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mini-siem", targets: ["MiniSiem"]),
        .library(name: "ssh_source", type: .dynamic, targets: ["SSHSource"]),
        .library(name: "ipset_blocker", type: .dynamic, targets: ["IPSetBlocker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The C ABI shared by the host and every plugin.
        .target(name: "PluginABI", path: "Sources/PluginABI"),

        // System C libraries from Debian's -dev packages.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CIPSet", path: "Sources/CIPSet", pkgConfig: "libipset",
                       providers: [.apt(["libipset-dev"])]),

        // sshd log parsing and address handling; no dependencies, used by the
        // host (check-log) and the SSHSource plugin.
        .target(name: "SSHLog", path: "Sources/SSHLog"),

        // Helpers for writing plugins in Swift (C strings, host calls).
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),

        // The daemon and CLI, as a library so tests can reach it.
        .target(
            name: "Host",
            dependencies: [
                "PluginABI", "PluginKit", "CSQLite", "SSHLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Host"
        ),
        .executableTarget(name: "MiniSiem", dependencies: ["Host"], path: "Sources/MiniSiem"),

        // Plugins, each a shared object in the plugin directory.
        .target(name: "SSHSource", dependencies: ["PluginKit", "SSHLog", "CSystemd"],
                path: "Plugins/SSHSource", linkerSettings: pluginLinkerSettings),
        .target(name: "IPSetBlocker", dependencies: ["PluginKit", "SSHLog", "CIPSet"],
                path: "Plugins/IPSetBlocker", linkerSettings: pluginLinkerSettings),

        // Tests find Fixtures/sshd via #filePath; it also holds the corpus's scripts.
        .testTarget(name: "SSHLogTests", dependencies: ["SSHLog"], path: "Tests/SSHLogTests",
                    exclude: ["Fixtures"]),
        // Fixtures/plugins holds C sources the tests compile with cc at test time.
        .testTarget(name: "HostTests", dependencies: ["Host", "SSHLog"], path: "Tests/HostTests",
                    exclude: ["Fixtures"]),
        .testTarget(name: "SSHSourceTests", dependencies: ["SSHSource"], path: "Tests/SSHSourceTests"),
    ]
)
