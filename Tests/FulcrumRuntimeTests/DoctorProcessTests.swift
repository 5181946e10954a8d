import Foundation
import FulcrumSQLite
import Testing

/// The real `fulcrum doctor` binary against a broken setup: no image, libvirt on a socket that does not exist and
/// a database with only the first migration.
@Suite(
    "fulcrum doctor process",
    .enabled(if: BuiltExecutable.exists("fulcrum"), "build the executables first: swift build --build-tests")
)
struct DoctorProcessTests {
    @Test("`fulcrum doctor` prints one FAIL line per problem with its fix and exits 1")
    func brokenSetup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.file("fulcrum.db")
        try FulcrumDatabase.open(path: database).migrate(upTo: FulcrumDatabase.knownMigrations[0])
        let image = directory.file("image")
        try FileManager.default.createDirectory(atPath: image, withIntermediateDirectories: true)
        let config = try directory.write(
            "fulcrum.yaml",
            """
            database:
              path: \(database)
            amphora:
              image_dir: \(image)
            libvirt:
              uris: ["qemu:///system?socket=/nonexistent/sock"]
            """)

        let doctor = try ChildProcess(
            executable: "fulcrum",
            arguments: ["doctor", "--config", config, "--env-file", directory.file("none.env")], in: directory)
        #expect(await doctor.exitStatus(within: .seconds(30)) == 1)
        let lines = doctor.standardOutput.split(separator: "\n").map(String.init)
        let pending = FulcrumDatabase.knownMigrations.count - 1
        #expect(
            lines.contains {
                $0.hasPrefix("FAIL  database  \(database): outdated schema, \(pending) of ")
                    && $0.hasSuffix("run `fulcrum db upgrade`")
            }, "\(lines)")
        #expect(
            lines.contains(
                "FAIL  image     \(image): missing or empty vmlinuz, initrd.img, manifest.json: run `make image` "
                    + "(then `make install`) or set amphora.image_dir"), "\(lines)")
        #expect(
            lines.contains {
                $0.hasPrefix("FAIL  libvirt   qemu:///system?socket=/nonexistent/sock: cannot connect (")
                    && $0.contains("/nonexistent/sock") && $0.contains("libvirtd not running? start it")
            }, "\(lines)")
        #expect(lines.last?.contains(" failed, ") == true)
        #expect(doctor.standardError.isEmpty, "\(doctor.standardError)")
    }
}
