import Foundation

extension Doctor {
    /// The database exists and every migration this build knows has been applied (and no unknown one).
    func databaseCheck(_ database: DatabaseConfig) async -> DoctorCheck {
        let path = database.path
        switch await schema.inspect(database) {
        case .missing:
            return DoctorCheck("database", .fail, "\(path) does not exist: run `fulcrum db upgrade`")
        case .unreadable(let reason):
            return DoctorCheck(
                "database", .fail, "\(path) cannot be opened (\(reason)): check database.path and its permissions")
        case .applied(let applied):
            let unknown = applied.filter { !knownMigrations.contains($0) }
            if !unknown.isEmpty {
                return DoctorCheck(
                    "database", .fail,
                    "\(path) was migrated by a newer Fulcrum (unknown migration(s): "
                        + "\(unknown.joined(separator: ", "))): install the newer binaries")
            }
            let pending = knownMigrations.filter { !applied.contains($0) }
            guard pending.isEmpty else {
                return DoctorCheck(
                    "database", .fail,
                    "\(path): outdated schema, \(pending.count) of \(knownMigrations.count) migration(s) pending "
                        + "(\(pending.joined(separator: ", "))): run `fulcrum db upgrade`")
            }
            return DoctorCheck("database", .ok, "\(path): schema current (\(knownMigrations.count) migrations)")
        }
    }

    /// The files of the amphora image the worker boots: kernel, initramfs and the manifest that describes them.
    func imageCheck(directory: String) -> DoctorCheck {
        let fix = "run `make image` (then `make install`) or set amphora.image_dir"
        let names = ["vmlinuz", "initrd.img", "manifest.json"]
        let missing = names.filter { (host.fileSize(atPath: directory + "/" + $0) ?? 0) == 0 }
        guard missing.isEmpty else {
            return DoctorCheck(
                "image", .fail, "\(directory): missing or empty \(missing.joined(separator: ", ")): \(fix)")
        }
        guard let data = host.contents(atPath: directory + "/manifest.json"),
            let manifest = try? JSONDecoder().decode(ImageManifest.self, from: data)
        else {
            return DoctorCheck("image", .fail, "\(directory)/manifest.json is not a valid image manifest: \(fix)")
        }
        for name in ["vmlinuz", "initrd.img"] {
            guard let expected = manifest.files?[name]?.size else { continue }
            let actual = host.fileSize(atPath: directory + "/" + name) ?? 0
            if actual != expected {
                return DoctorCheck(
                    "image", .fail,
                    "\(directory)/\(name) is \(actual) bytes but manifest.json says \(expected): copy the image again "
                        + "(`make install`) or \(fix)")
            }
        }
        var facts = ["image \(manifest.imageVersion ?? "unknown")"]
        if let kernel = manifest.kernelVersion { facts.append("kernel \(kernel)") }
        if let agent = manifest.agentVersion { facts.append("agent \(agent)") }
        return DoctorCheck(
            "image", .ok, "\(directory): vmlinuz, initrd.img, manifest.json (\(facts.joined(separator: ", ")))")
    }
}

/// The parts of `images/amphora/build`'s manifest.json that doctor reads.
struct ImageManifest: Decodable {
    struct File: Decodable {
        var size: Int?
    }

    var imageVersion: String?
    var kernelVersion: String?
    var agentVersion: String?
    var files: [String: File]?

    enum CodingKeys: String, CodingKey {
        case imageVersion = "image_version"
        case kernelVersion = "kernel_version"
        case agentVersion = "agent_version"
        case files
    }
}
