import Foundation
import FulcrumDrivers

/// The per-amphora files on the compute host: `<state>/<id>/initrd.img` (base image + secrets, 0600) and
/// `console.log` (written by libvirt). Blocking file I/O: call only on the thread pool.
struct AmphoraFiles: Sendable {
    let directory: String
    var initrd: String { directory + "/initrd.img" }
    var consoleLog: String { directory + "/console.log" }
    private let stateDirectory: String

    init(stateDirectory: String, amphoraID: String) {
        self.stateDirectory = stateDirectory
        self.directory = stateDirectory + "/" + amphoraID
    }

    /// Writes the per-amphora initramfs: the secrets archive, then the image's base initramfs (SecretsArchive).
    func write(image: AmphoraImage, secrets: [String: [UInt8]]) throws {
        let manager = FileManager.default
        guard manager.isReadableFile(atPath: image.kernelPath) else {
            throw ComputeError(.fileError, "kernel \(image.kernelPath) is not readable")
        }
        guard let base = manager.contents(atPath: image.initrdPath) else {
            throw ComputeError(.fileError, "initramfs \(image.initrdPath) is not readable")
        }
        do {
            // qemu runs as another user: directories traversable (0711) but not listable; files 0600 (libvirt
            // hands them to qemu while the domain runs).
            for path in [stateDirectory, directory] {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                try manager.setAttributes([.posixPermissions: 0o711], ofItemAtPath: path)
            }
            let bytes = SecretsArchive.initrd(base: Array(base), secrets: secrets)
            guard manager.createFile(atPath: initrd, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
            else { throw ComputeError(.fileError, "cannot write \(initrd)") }
        } catch let error as ComputeError {
            throw error
        } catch {
            throw ComputeError(.fileError, "cannot prepare \(directory)", underlying: "\(error)")
        }
    }

    /// Removes the directory; absent is fine.
    func remove() throws {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw ComputeError(.fileError, "cannot remove \(directory)", underlying: "\(error)")
        }
    }
}
