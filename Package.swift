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
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")

let package = Package(
    name: "fulcrum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fulcrum", targets: ["fulcrum"]),
        .executable(name: "fulcrum-api", targets: ["fulcrum-api"]),
        .executable(name: "fulcrum-worker", targets: ["fulcrum-worker"]),
        .executable(name: "fulcrum-health-manager", targets: ["fulcrum-health-manager"]),
        .executable(name: "fulcrum-housekeeping", targets: ["fulcrum-housekeeping"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["JSON", "YAML"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
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
                "FulcrumAPI", hummingbird, "FulcrumClient", "FulcrumAPITypes",
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
                "FulcrumAPI", "FulcrumStore",
            ],
            swiftSettings: strict
        ),
        // API (issue #3)
        .target(name: "FulcrumAPITypes", dependencies: ["FulcrumModel"], swiftSettings: strict),
        .target(
            name: "FulcrumAPI",
            dependencies: [
                "FulcrumModel", "FulcrumAPITypes", "FulcrumStore", "FulcrumQueue", hummingbird, logging, crypto,
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumClient", dependencies: ["FulcrumAPITypes", asyncHTTPClient, nioCore, nioHTTP1],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumAPITests",
            dependencies: [
                "FulcrumModel", "FulcrumAPITypes", "FulcrumAPI", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite",
                "FulcrumTestSupport", hummingbird, hummingbirdTesting, logging, "FulcrumClient", "FulcrumRuntime",
                argumentParser,
            ],
            swiftSettings: strict
        ),
    ]
)
