import ArgumentParser
import Foundation
import FulcrumModel
import FulcrumSQLite
import Testing

@testable import FulcrumRuntime

@Suite("fulcrum doctor")
struct DoctorTests {
    static let image = "/usr/local/share/fulcrum/image"

    /// The lab configuration: lab mode, the two lab subnets, a heartbeat key, the installed image.
    static func labConfig() throws -> AppConfig {
        var config = AppConfig()
        config.network.mode = .lab
        config.amphora.imageDirectory = image
        config.healthManager.heartbeatKey = Secret("0123456789abcdef0123")
        config.healthManager.bindAddresses = ["203.0.113.1:5555"]
        config.subnets = [
            Subnet(
                name: "private-subnet", cidr: try #require(IPv4Network("198.51.100.0/24")),
                gateway: IPv4Address("198.51.100.1"), bridge: "fulcrum-private"),
            Subnet(
                name: "mgmt-subnet", cidr: try #require(IPv4Network("203.0.113.0/24")),
                gateway: IPv4Address("203.0.113.1"), bridge: "fulcrum-mgmt"),
        ]
        return config
    }

    static func healthyDoctor() -> Doctor {
        Doctor(
            schema: FakeSchemaProbe(inspection: .applied(FulcrumDatabase.knownMigrations)),
            libvirt: FakeLibvirtProbe(), host: FakeHostProbe.withImage(in: image),
            network: FakeNetworkProbe(interfaces: [
                "fulcrum-lab/fulcrum-private": .bridge, "fulcrum-lab/fulcrum-mgmt": .bridge,
            ]))
    }

    static func check(_ report: DoctorReport, _ name: String) throws -> DoctorCheck {
        try #require(report.checks.first { $0.name == name })
    }

    @Test("a healthy lab host passes every check, one line each and a summary")
    func healthy() async throws {
        let report = await Self.healthyDoctor().run(config: try Self.labConfig(), source: "fulcrum.yaml")
        #expect(!report.hasFailures)
        #expect(report.checks.allSatisfy { $0.status == .ok }, "\(report.lines)")
        #expect(
            report.checks.map(\.name) == [
                "config", "database", "image", "libvirt", "bridge", "bridge", "clock", "port", "port",
            ])
        #expect(report.lines.last == "all 9 checks passed")
        #expect(
            report.lines[0] == "OK    config    fulcrum.yaml: valid for every role; lab mode (namespace fulcrum-lab)")
        #expect(try Self.check(report, "image").detail.contains("image 20261127-1, kernel 6.1.0-28-cloud-amd64"))
    }

    @Test("a missing image names the missing files and `make image`")
    func missingImage() async throws {
        var doctor = Self.healthyDoctor()
        var host = FakeHostProbe.withImage(in: Self.image)
        host.files[Self.image + "/initrd.img"] = nil
        host.files[Self.image + "/manifest.json"] = nil
        doctor.host = host
        let report = await doctor.run(config: try Self.labConfig(), source: "fulcrum.yaml")
        #expect(report.hasFailures)
        let image = try Self.check(report, "image")
        #expect(image.status == .fail)
        #expect(
            image.detail
                == "\(Self.image): missing or empty initrd.img, manifest.json: run `make image` (then `make install`) "
                + "or set amphora.image_dir")
    }

    @Test("an image whose size disagrees with its manifest fails")
    func truncatedImage() async throws {
        var doctor = Self.healthyDoctor()
        var host = FakeHostProbe.withImage(in: Self.image)
        host.files[Self.image + "/vmlinuz"] = Data(repeating: 1, count: 7)
        doctor.host = host
        let image = try Self.check(await doctor.run(config: try Self.labConfig(), source: "f"), "image")
        #expect(image.status == .fail)
        #expect(image.detail.contains("vmlinuz is 7 bytes but manifest.json says 10"))
    }

    @Test("an unreachable libvirt fails with libvirt's reason and how to start it")
    func unreachableLibvirt() async throws {
        var config = try Self.labConfig()
        config.amphora.libvirtURIs = ["qemu:///system", "qemu+ssh://other/system"]
        let report = await Self.healthyDoctor().run(config: config, source: "f")
        let checks = report.checks.filter { $0.name == "libvirt" }
        #expect(checks.map(\.status) == [.ok, .fail])
        #expect(checks[0].detail == "qemu:///system: host lab, libvirt 9.0.0")
        #expect(checks[1].detail.hasPrefix("qemu+ssh://other/system: cannot connect (Failed to connect socket"))
        #expect(checks[1].detail.contains("libvirtd not running? start the lab's: `etc/lab up`"))
        #expect(checks[1].detail.contains("`etc/lab up`"))
    }

    @Test("the real libvirt probe reports a socket that does not exist")
    func realLibvirtProbe() async {
        let outcome = await LibvirtConnectionProbe().connect(uri: "qemu:///system?socket=/nonexistent/sock")
        guard case .unreachable(let reason) = outcome else {
            Issue.record("connected to a socket that does not exist: \(outcome)")
            return
        }
        #expect(reason.contains("/nonexistent/sock"))
    }

    @Test("an outdated schema (only the first migration applied) says to run `fulcrum db upgrade`")
    func outdatedSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = try Self.labConfig()
        config.database.path = directory.file("old.db")
        let known = FulcrumDatabase.knownMigrations
        try FulcrumDatabase.open(path: config.database.path).migrate(upTo: known[0])

        var doctor = Self.healthyDoctor()
        doctor.schema = SQLiteSchemaProbe()
        let database = try Self.check(await doctor.run(config: config, source: "f"), "database")
        #expect(database.status == .fail)
        let pending = known.dropFirst().joined(separator: ", ")
        #expect(
            database.detail
                == "\(config.database.path): outdated schema, \(known.count - 1) of \(known.count) migration(s) "
                + "pending (\(pending)): run `fulcrum db upgrade`")

        try FulcrumDatabase.open(path: config.database.path).migrate()
        let upgraded = try Self.check(await doctor.run(config: config, source: "f"), "database")
        #expect(upgraded.status == .ok)
        #expect(upgraded.detail == "\(config.database.path): schema current (\(known.count) migrations)")
    }

    @Test("a missing database is reported and not created")
    func missingDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = try Self.labConfig()
        config.database.path = directory.file("none/fulcrum.db")
        var doctor = Self.healthyDoctor()
        doctor.schema = SQLiteSchemaProbe()
        let database = try Self.check(await doctor.run(config: config, source: "f"), "database")
        #expect(database.status == .fail)
        #expect(database.detail == "\(config.database.path) does not exist: run `fulcrum db upgrade`")
        #expect(!FileManager.default.fileExists(atPath: directory.file("none")))
    }

    @Test("a database migrated by a newer build is reported as such")
    func newerDatabase() async throws {
        var doctor = Self.healthyDoctor()
        doctor.schema = FakeSchemaProbe(inspection: .applied(FulcrumDatabase.knownMigrations + ["v9-future"]))
        let database = try Self.check(await doctor.run(config: try Self.labConfig(), source: "f"), "database")
        #expect(database.status == .fail)
        #expect(database.detail.contains("newer Fulcrum (unknown migration(s): v9-future)"))
    }

    @Test("lab mode without the lab namespace: one failure saying how to bring it up")
    func labNamespaceMissing() async throws {
        var doctor = Self.healthyDoctor()
        doctor.network = FakeNetworkProbe(namespaces: [])
        let report = await doctor.run(config: try Self.labConfig(), source: "f")
        let bridges = report.checks.filter { $0.name.hasPrefix("bridge") }
        #expect(bridges.count == 1)
        #expect(bridges[0].status == .fail)
        #expect(bridges[0].detail.contains("lab namespace fulcrum-lab (/run/netns/fulcrum-lab) does not exist"))
        #expect(bridges[0].detail.contains("`etc/lab up`"))
        let heartbeat = try #require(report.checks.last)
        #expect(heartbeat.status == .warn)
        #expect(heartbeat.detail.contains("namespace fulcrum-lab does not exist"))
    }

    @Test("bridges: absent in the lab, hidden from this namespace, absent on the host, not a bridge")
    func bridges() async throws {
        var doctor = Self.healthyDoctor()
        doctor.network = FakeNetworkProbe(interfaces: [
            "fulcrum-lab/fulcrum-private": .notVisible("ip -n fulcrum-lab: Operation not permitted")
        ])
        let lab = await doctor.run(config: try Self.labConfig(), source: "f").checks.filter { $0.name == "bridge" }
        #expect(lab.map(\.status) == [.warn, .fail])
        #expect(
            lab[0].detail
                == "fulcrum-private (subnet private-subnet) lives in namespace fulcrum-lab and is not visible from this "
                + "namespace (ip -n fulcrum-lab: Operation not permitted): run doctor as root")
        #expect(
            lab[1].detail
                == "fulcrum-mgmt (subnet mgmt-subnet) does not exist in namespace fulcrum-lab: run `etc/lab up`")

        var host = try Self.labConfig()
        host.network.mode = .host
        doctor.network = FakeNetworkProbe(interfaces: ["-/fulcrum-private": .notBridge])
        let checks = await doctor.run(config: host, source: "f").checks.filter { $0.name == "bridge" }
        #expect(checks.map(\.status) == [.warn, .fail])
        #expect(checks[0].detail.contains("is not a Linux bridge"))
        #expect(checks[1].detail.contains("does not exist in this namespace (/sys/class/net/fulcrum-mgmt)"))
        #expect(checks[1].detail.contains("namespace fulcrum-lab exists: if this is the lab, set network.mode: lab"))
    }

    @Test("the clock: before the build fails, NTP not synchronised or unknown only warns")
    func clock() async throws {
        var doctor = Self.healthyDoctor()
        var host = FakeHostProbe.withImage(in: Self.image)
        host.sync = .notSynchronized
        doctor.host = host
        let unsynced = try Self.check(await doctor.run(config: try Self.labConfig(), source: "f"), "clock")
        #expect(unsynced.status == .warn)
        #expect(unsynced.detail.contains("NTP not synchronised"))

        host.sync = .unknown("timedatectl not found")
        doctor.host = host
        let unknown = try Self.check(await doctor.run(config: try Self.labConfig(), source: "f"), "clock")
        #expect(unknown.status == .warn)
        #expect(unknown.detail.hasSuffix("NTP state unknown (timedatectl not found)"))

        host.built = host.clock.addingTimeInterval(86_400)
        doctor.host = host
        let early = try Self.check(await doctor.run(config: try Self.labConfig(), source: "f"), "clock")
        #expect(early.status == .fail)
        #expect(early.detail.contains("is before this binary was built"))
    }

    @Test("ports: free, held by our own service (warn), held by another process (fail), owner hidden (fail)")
    func ports() async throws {
        var doctor = Self.healthyDoctor()
        var network = FakeNetworkProbe(interfaces: [
            "fulcrum-lab/fulcrum-private": .bridge, "fulcrum-lab/fulcrum-mgmt": .bridge,
        ])
        network.sockets = [
            "-/tcp/9876": [BoundSocket(address: "127.0.0.1", port: 9876, process: "fulcrum-api", pid: 41)],
            "fulcrum-lab/udp/5555": [BoundSocket(address: "0.0.0.0", port: 5555, process: "fulcrum-health-", pid: 42)],
        ]
        doctor.network = network
        var ports = await doctor.run(config: try Self.labConfig(), source: "f").checks.filter { $0.name == "port" }
        #expect(ports.map(\.status) == [.warn, .warn])
        #expect(
            ports[0].detail
                == "127.0.0.1:9876/tcp (fulcrum-api) held by fulcrum-api (pid 41): that service is already running")
        #expect(
            ports[1].detail
                == "203.0.113.1:5555/udp (fulcrum-health-manager) in namespace fulcrum-lab held by fulcrum-health- "
                + "(pid 42): that service is already running")

        network.sockets = [
            "-/tcp/9876": [BoundSocket(address: "*", port: 9876, process: "nginx", pid: 7)],
            "fulcrum-lab/udp/5555": [BoundSocket(address: "203.0.113.1", port: 5555)],
        ]
        doctor.network = network
        ports = await doctor.run(config: try Self.labConfig(), source: "f").checks.filter { $0.name == "port" }
        #expect(ports.map(\.status) == [.fail, .fail])
        #expect(
            ports[0].detail == "127.0.0.1:9876/tcp (fulcrum-api) in use by nginx (pid 7): stop it or change api.port")
        #expect(ports[1].detail.contains("in use by a process not visible to this user"))

        network.sockets = ["-/tcp/9876": [BoundSocket(address: "127.0.0.2", port: 9876, process: "nginx", pid: 7)]]
        doctor.network = network
        ports = await doctor.run(config: try Self.labConfig(), source: "f").checks.filter { $0.name == "port" }
        #expect(ports.map(\.status) == [.ok, .ok])
        #expect(ports[0].detail == "127.0.0.1:9876/tcp (fulcrum-api) free")
    }

    @Test(
        "which bound addresses conflict with a wanted one",
        arguments: [
            ("*", "127.0.0.1", true), ("0.0.0.0", "127.0.0.1", true), ("127.0.0.1", "0.0.0.0", true),
            ("127.0.0.1", "127.0.0.1", true), ("127.0.0.53%lo", "127.0.0.53", true), ("127.0.0.2", "127.0.0.1", false),
            ("[::]", "127.0.0.1", false), ("[::1]", "::1", true), ("[::]", "::1", true),
        ])
    func overlaps(bound: String, wanted: String, conflict: Bool) {
        #expect(Doctor.overlaps(bound, wanted) == conflict)
    }

    @Test("the configuration must be enough for every role")
    func configProblems() async throws {
        var config = try Self.labConfig()
        config.healthManager.heartbeatKey = nil
        config.amphora.managementSubnet = "nowhere"
        let check = try Self.check(await Self.healthyDoctor().run(config: config, source: "/etc/x.yaml"), "config")
        #expect(check.status == .fail)
        #expect(
            check.detail.hasPrefix("/etc/x.yaml: fulcrum-health-manager: health_manager.heartbeat_key: is required"))
        #expect(check.detail.contains("FULCRUM_HEALTH_MANAGER_HEARTBEAT_KEY"))
        #expect(check.detail.contains("amphora.management_subnet 'nowhere' is not a configured subnet"))
    }

    @Test("a configuration that does not load is the one failed check; the env file the units read is used")
    func command() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = try directory.write("bad.yaml", "api:\n  port: 99999\n")
        let envFile = try directory.write("fulcrum.env", "# secrets\nFULCRUM_API_PORT=\"1234\"\nOTHER=1\n")
        let report = try await DoctorCommand.parse(["--config", bad, "--env-file", directory.file("none.env")])
            .report(environment: [:], doctor: Self.healthyDoctor())
        #expect(report.checks == [DoctorCheck("config", .fail, "\(bad): api.port: 99999 is not a port (1...65535)")])
        #expect(report.hasFailures)

        // The environment file's value wins over the file (it is the environment the units get).
        let fixed = try await DoctorCommand.parse(["--config", bad, "--env-file", envFile])
            .report(environment: [:], doctor: Self.healthyDoctor())
        #expect(try Self.check(fixed, "config").detail.hasPrefix("\(bad) + \(envFile): "))
    }

    @Test("ss output is parsed into sockets with their owners")
    func socketListing() {
        let output = """
            UNCONN 0      0        203.0.113.1:5555      0.0.0.0:*    users:(("fulcrum-health-",pid=812,fd=9))
            UNCONN 0      0            0.0.0.0:55555     0.0.0.0:*
            LISTEN 0      4096               *:5555            *:*
            """
        #expect(
            SocketListing.parse(output, port: 5555) == [
                BoundSocket(address: "203.0.113.1", port: 5555, process: "fulcrum-health-", pid: 812),
                BoundSocket(address: "*", port: 5555),
            ])
    }

    @Test("environment files: comments, quotes, export")
    func environmentFile() {
        let parsed = EnvironmentFile.parse(
            "# comment\n\nFULCRUM_A=1\nexport FULCRUM_B = 'two words'\n  FULCRUM_C=\"x=y\"\nnot a line\n")
        #expect(parsed == ["FULCRUM_A": "1", "FULCRUM_B": "two words", "FULCRUM_C": "x=y"])
    }
}
