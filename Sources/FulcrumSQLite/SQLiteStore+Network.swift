public import FulcrumModel
public import FulcrumStore
import GRDB

extension SQLiteStore: NetworkStore {
    public func syncSubnets(_ subnets: [Subnet]) async throws {
        for subnet in subnets {
            let problems = subnet.problems()
            guard problems.isEmpty else {
                throw StoreError(.invalid, "Subnet \(subnet.name): \(problems.joined(separator: "; "))")
            }
        }
        let bodies = try subnets.map { ($0, try JSON.encode($0)) }
        try await database.immediateWrite { db in
            for (subnet, body) in bodies {
                try db.execute(
                    sql: """
                        INSERT INTO subnet (id, name, network_id, body) VALUES (?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET name = excluded.name, network_id = excluded.network_id, body = excluded.body
                        """,
                    arguments: [subnet.id, subnet.name, subnet.networkID, body])
            }
            let keep = Set(subnets.map(\.id))
            for id in try String.fetchAll(db, sql: "SELECT id FROM subnet") where !keep.contains(id) {
                let inUse =
                    try Row.fetchOne(db, sql: "SELECT 1 FROM ip_allocation WHERE subnet_id = ?", arguments: [id]) != nil
                if !inUse { try db.execute(sql: "DELETE FROM subnet WHERE id = ?", arguments: [id]) }
            }
        }
    }

    public func subnets() async throws -> [Subnet] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM subnet ORDER BY name").map {
                try JSON.decode(Subnet.self, from: $0)
            }
        }
    }

    public func allocateAddress(
        subnetID: String, ownerID: String, purpose: String, requested: IPv4Address?
    ) async throws -> IPv4Address {
        let now = clock.now()
        return try await database.immediateWrite { db in
            let ipam = IPAM(db: db, now: now)
            return try ipam.allocate(
                subnet: try ipam.subnet(subnetID), ownerID: ownerID, purpose: purpose, requested: requested)
        }
    }

    @discardableResult
    public func releaseAddresses(ownerID: String) async throws -> Int {
        try await database.immediateWrite { db in
            try db.execute(sql: "DELETE FROM ip_allocation WHERE owner_id = ?", arguments: [ownerID])
            return db.changesCount
        }
    }

    public func allocations(subnetID: String) async throws -> [AddressAllocation] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ip_allocation WHERE subnet_id = ? ORDER BY address", arguments: [subnetID]
            ).map { row in
                AddressAllocation(
                    subnetID: row["subnet_id"], address: IPv4Address(rawValue: UInt32(row["address"] as Int64)),
                    ownerID: row["owner_id"], purpose: row["purpose"])
            }
        }
    }
}
