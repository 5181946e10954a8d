// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let lifecycleTestKit = Target.Dependency.product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")
// data plane (engine branch)
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let nioTLS = Target.Dependency.product(name: "NIOTLS", package: "swift-nio")

let package = Package(
    name: "fulcrum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fulcrum", targets: ["fulcrum"]),
        .executable(name: "fulcrum-api", targets: ["fulcrum-api"]),
        .executable(name: "fulcrum-worker", targets: ["fulcrum-worker"]),
        .executable(name: "fulcrum-health-manager", targets: ["fulcrum-health-manager"]),
        .executable(name: "fulcrum-housekeeping", targets: ["fulcrum-housekeeping"]),
        .executable(name: "amphora-agent", targets: ["amphora-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["JSON", "YAML"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // values
        .target(name: "FulcrumModel", swiftSettings: strict),
        // ports
        .target(name: "FulcrumStore", dependencies: ["FulcrumModel", "FulcrumQueue"], swiftSettings: strict),
        .target(
            name: "FulcrumQueue",
            dependencies: ["FulcrumModel", logging, lifecycle],
            swiftSettings: strict
        ),
        // adapters
        .target(
            name: "FulcrumSQLite",
            dependencies: ["FulcrumModel", "FulcrumStore", "FulcrumQueue", grdb],
            swiftSettings: strict
        ),
        // composition
        .target(
            name: "FulcrumRuntime",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite",
                logging, lifecycle, unixSignals, configuration, argumentParser,
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumTestSupport",
            dependencies: ["FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite", logging],
            swiftSettings: strict
        ),
        // executables (thin)
        .executableTarget(name: "fulcrum", dependencies: ["FulcrumRuntime", argumentParser], swiftSettings: strict),
        .executableTarget(
            name: "fulcrum-api", dependencies: ["FulcrumRuntime", argumentParser], swiftSettings: strict
        ),
        .executableTarget(
            name: "fulcrum-worker", dependencies: ["FulcrumRuntime", argumentParser], swiftSettings: strict
        ),
        .executableTarget(
            name: "fulcrum-health-manager", dependencies: ["FulcrumRuntime", argumentParser], swiftSettings: strict
        ),
        .executableTarget(
            name: "fulcrum-housekeeping", dependencies: ["FulcrumRuntime", argumentParser], swiftSettings: strict
        ),
        .executableTarget(
            name: "fulcrum-queue-probe",
            dependencies: ["FulcrumTestSupport", argumentParser],
            swiftSettings: strict
        ),
        // tests
        .testTarget(name: "FulcrumModelTests", dependencies: ["FulcrumModel"], swiftSettings: strict),
        .testTarget(
            name: "FulcrumSQLiteTests",
            dependencies: ["FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite", "FulcrumTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumQueueTests",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumTestSupport", logging, lifecycle,
                lifecycleTestKit,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumRuntimeTests",
            dependencies: [
                "FulcrumModel", "FulcrumRuntime", "FulcrumSQLite", "FulcrumTestSupport",
                logging, lifecycle, lifecycleTestKit, argumentParser,
            ],
            swiftSettings: strict
        ),
        // data plane (engine branch): FoundationEssentials only, never a control-plane module
        .systemLibrary(name: "CFulcrumZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "FulcrumWire", dependencies: ["CFulcrumZlib", crypto], swiftSettings: strict),
        .target(
            name: "FulcrumEngine", dependencies: ["FulcrumWire", nioCore, nioPosix, nioHTTP1, nioSSL, nioTLS],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumAgent",
            dependencies: ["FulcrumWire", "FulcrumEngine", nioCore, nioPosix, nioHTTP1, nioSSL, logging, lifecycle],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "amphora-agent",
            dependencies: ["FulcrumAgent", argumentParser, logging, lifecycle, unixSignals],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumWireTests", dependencies: ["FulcrumWire"], exclude: ["golden.py"], swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumEngineTests",
            dependencies: ["FulcrumWire", "FulcrumEngine", nioCore, nioPosix, nioHTTP1, nioSSL],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumAgentTests",
            dependencies: [
                "FulcrumWire", "FulcrumEngine", "FulcrumAgent", nioCore, nioPosix, nioHTTP1, nioSSL, logging, lifecycle,
            ],
            swiftSettings: strict
        ),
    ]
)
