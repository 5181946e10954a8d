/// The per-amphora secrets archive: an uncompressed `newc` cpio holding `/secrets/<name>` (0600), put in front of
/// the base initramfs (Linux unpacks concatenated archives in order and skips zero padding between them). In front,
/// not behind: the base is compressed with LZ4 in the legacy format, the fastest to unpack under TCG, and that
/// format has no end marker, so it must run to the end of the file.
enum SecretsArchive {
    /// The cpio bytes for `files` (name → contents), entries sorted by name, ending with the trailer.
    static func cpio(_ files: [String: [UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        var inode: UInt32 = 1
        append(&out, name: "secrets", mode: 0o040700, inode: inode, data: [])
        for name in files.keys.sorted() {
            inode += 1
            append(&out, name: "secrets/" + name, mode: 0o100600, inode: inode, data: files[name] ?? [])
        }
        append(&out, name: "TRAILER!!!", mode: 0, inode: 0, data: [])
        return out
    }

    /// The secrets archive (its length a multiple of 4), then `base`.
    static func initrd(base: [UInt8], secrets: [String: [UInt8]]) -> [UInt8] {
        cpio(secrets) + base
    }

    private static func append(_ out: inout [UInt8], name: String, mode: UInt32, inode: UInt32, data: [UInt8]) {
        let nameBytes = Array(name.utf8) + [0]
        let fields: [UInt32] = [
            inode, mode, 0, 0, mode & 0o040000 != 0 ? 2 : 1, 0, UInt32(data.count), 0, 0, 0, 0,
            UInt32(nameBytes.count), 0,
        ]
        out += Array("070701".utf8)
        for field in fields { out += hex8(field) }
        out += nameBytes
        pad(&out)
        out += data
        pad(&out)
    }

    private static func pad(_ out: inout [UInt8]) {
        out += [UInt8](repeating: 0, count: (4 - out.count % 4) % 4)
    }

    private static func hex8(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return (0..<8).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xf)] }
    }
}
