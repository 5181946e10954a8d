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
let metrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
let asyncAlgorithms = Target.Dependency.product(name: "AsyncAlgorithms", package: "swift-async-algorithms")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let lifecycleTestKit = Target.Dependency.product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")
// data plane (engine branch)
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // values
        .target(name: "FulcrumModel", swiftSettings: strict),
        // ports
        .target(name: "FulcrumStore", dependencies: ["FulcrumModel", "FulcrumQueue"], swiftSettings: strict),
        .target(
            name: "FulcrumQueue",
            dependencies: ["FulcrumModel", logging, lifecycle, metrics, asyncAlgorithms],
            swiftSettings: strict
        ),
        // adapters
        .target(
            name: "FulcrumSQLite",
            dependencies: ["FulcrumModel", "FulcrumStore", "FulcrumQueue", grdb],
            swiftSettings: strict
        ),
        // behaviour
        .target(
            name: "FulcrumController",
            dependencies: [
                "FulcrumModel", "FulcrumQueue", "FulcrumStore", "FulcrumWire", "FulcrumDrivers", logging, metrics,
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumHealthManager",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumWire", logging, lifecycle, metrics, asyncAlgorithms,
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumHousekeeping",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumDrivers", "FulcrumWire", logging, lifecycle,
                metrics, asyncAlgorithms,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumHousekeepingTests",
            dependencies: [
                "FulcrumHousekeeping", "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumDrivers",
                "FulcrumSQLite", "FulcrumCertificates", "FulcrumWire",
                "FulcrumTestSupport", logging, metrics, .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // floating IPs (issue #9): the forwarder run by fulcrum-api, and setns for the namespace connector
        .target(name: "CFulcrumNetns"),
        .target(
            name: "FulcrumForwarder",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "CFulcrumNetns", logging, lifecycle, asyncAlgorithms, nioCore, nioPosix,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumForwarderTests",
            dependencies: [
                "FulcrumForwarder", "FulcrumModel", "FulcrumStore", "FulcrumSQLite", "FulcrumTestSupport", logging,
                lifecycle, lifecycleTestKit, nioCore, nioPosix, .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumCertificates",
            dependencies: [
                "FulcrumDrivers", crypto, .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumAmphoraClient",
            dependencies: [
                "FulcrumDrivers", "FulcrumWire", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), logging,
            ],
            swiftSettings: strict
        ),
        // composition
        .target(
            name: "FulcrumRuntime",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite", "FulcrumHealthManager",
                "FulcrumHousekeeping", "FulcrumController", "FulcrumDrivers", "FulcrumLibvirt", "FulcrumAmphoraClient",
                "FulcrumCertificates",
                logging, lifecycle, unixSignals, configuration, argumentParser,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "FulcrumAPI", hummingbird, "FulcrumClient", "FulcrumAPITypes", "FulcrumForwarder",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumTestSupport",
            dependencies: [
                "FulcrumModel", "FulcrumStore", "FulcrumQueue", "FulcrumSQLite", "FulcrumWire", logging,
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
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
            name: "fulcrum-bench", dependencies: ["FulcrumTestSupport", argumentParser], swiftSettings: strict),
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
                "FulcrumModel", "FulcrumRuntime", "FulcrumSQLite", "FulcrumTestSupport", "FulcrumStore", "FulcrumWire",
                "FulcrumQueue",
                logging, lifecycle, lifecycleTestKit, argumentParser,
                "FulcrumAPI", metrics, .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumControllerTests",
            dependencies: [
                "FulcrumController", "FulcrumModel", "FulcrumQueue", "FulcrumTestSupport", "FulcrumWire", logging,
                "FulcrumCertificates", "FulcrumDrivers", "FulcrumSQLite", "FulcrumStore", lifecycleTestKit,
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // data plane (engine branch): FoundationEssentials only, never a control-plane module
        .systemLibrary(name: "CFulcrumZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "FulcrumWire", dependencies: ["CFulcrumZlib", crypto], swiftSettings: strict),
        .target(
            name: "FulcrumEngine",
            dependencies: [
                "FulcrumWire", nioCore, nioPosix, nioHTTP1, nioSSL, nioTLS, crypto,
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FulcrumAgent",
            dependencies: ["FulcrumWire", "FulcrumEngine", nioCore, nioPosix, nioHTTP1, nioSSL, logging, lifecycle],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "amphora-agent",
            dependencies: ["FulcrumAgent", "FulcrumWire", argumentParser, logging, lifecycle, unixSignals],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumWireTests", dependencies: ["FulcrumWire"], exclude: ["golden.py", "vrrp_golden.py"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumHealthManagerTests",
            dependencies: [
                "FulcrumHealthManager", "FulcrumModel", "FulcrumStore", "FulcrumSQLite", "FulcrumWire",
                "FulcrumTestSupport",
                logging, lifecycle, metrics, .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // compute (issue #5): port, libvirt adapter, certificates
        .target(name: "FulcrumDrivers", dependencies: ["FulcrumWire"], swiftSettings: strict),
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        .target(
            name: "FulcrumLibvirt",
            dependencies: ["FulcrumDrivers", "CLibvirt", nioPosix, logging],
            swiftSettings: strict
        ),
        .testTarget(name: "FulcrumDriversTests", dependencies: ["FulcrumDrivers"], swiftSettings: strict),
        .testTarget(
            name: "FulcrumLibvirtTests",
            dependencies: [
                "FulcrumCertificates", "FulcrumDrivers", "FulcrumLibvirt", "FulcrumTestSupport", "FulcrumWire",
                nioPosix,
                logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumCertificatesTests",
            dependencies: [
                "FulcrumCertificates", "FulcrumDrivers", "FulcrumTestSupport", crypto,
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        // API (issue #3)
        .target(name: "FulcrumAPITypes", dependencies: ["FulcrumModel"], swiftSettings: strict),
        .target(
            name: "FulcrumAPI",
            dependencies: [
                "FulcrumModel", "FulcrumAPITypes", "FulcrumStore", "FulcrumQueue", hummingbird, logging, crypto,
                metrics,
            ],
            // The dashboard's files, compiled in as byte arrays (`PackageResources.dashboard_js`, …).
            resources: [
                .embedInCode("Dashboard/Assets/dashboard.html"), .embedInCode("Dashboard/Assets/dashboard.js"),
                .embedInCode("Dashboard/Assets/dashboard.css"),
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
                argumentParser, .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Golden"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumEngineTests",
            dependencies: [
                "FulcrumWire", "FulcrumEngine", "FulcrumTestSupport", "FulcrumCertificates", "FulcrumDrivers", nioCore,
                nioPosix, nioHTTP1, nioSSL, .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FulcrumAgentTests",
            dependencies: [
                "FulcrumWire", "FulcrumEngine", "FulcrumAgent", "FulcrumAmphoraClient", "FulcrumTestSupport", nioCore,
                nioPosix, nioHTTP1,
                nioSSL, logging, lifecycle,
            ],
            swiftSettings: strict
        ),
    ]
)
