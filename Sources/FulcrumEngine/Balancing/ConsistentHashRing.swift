/// A consistent-hash ring (FNV-1a 64 with a final avalanche) with `weight × pointsPerWeight` points per member.
struct ConsistentHashRing: Sendable {
    static let pointsPerWeight = 40

    private var points: [(hash: UInt64, member: String)] = []

    init() {}

    init(members: [(id: String, weight: Int)]) {
        for (id, weight) in members {
            for replica in 0..<(max(weight, 1) * Self.pointsPerWeight) {
                points.append((Self.hash("\(id)#\(replica)"), id))
            }
        }
        points.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.member < $1.member) }
    }

    func member(for key: String) -> String? {
        guard !points.isEmpty else { return nil }
        let h = Self.hash(key)
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].hash < h { low = mid + 1 } else { high = mid }
        }
        return points[low == points.count ? 0 : low].member
    }

    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        // splitmix finaliser: FNV alone clusters short similar keys
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }
}
