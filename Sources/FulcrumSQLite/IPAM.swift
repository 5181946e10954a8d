import Foundation
import FulcrumModel
import FulcrumStore
import GRDB

/// Address allocation inside the caller's transaction. The `ip_allocation` primary key
/// (subnet, address) makes a double hand-out impossible even across processes.
struct IPAM {
    let db: Database
    let now: Date

    /// A configured subnet by id or name.
    func subnet(_ idOrName: String) throws -> Subnet {
        guard
            let body = try String.fetchOne(
                db, sql: "SELECT body FROM subnet WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                arguments: [idOrName, idOrName, idOrName])
        else {
            throw StoreError(.invalid, "Subnet \(idOrName) could not be found.")
        }
        return try JSON.decode(Subnet.self, from: body)
    }

    func allocate(subnet: Subnet, ownerID: String, purpose: String, requested: IPv4Address?) throws -> IPv4Address {
        let address: IPv4Address
        if let requested {
            guard subnet.cidr.contains(requested), requested != subnet.gateway,
                requested != subnet.cidr.networkAddress, requested != subnet.cidr.broadcastAddress
            else {
                throw StoreError(
                    .invalid,
                    "IP address \(requested) is not a valid address on subnet \(subnet.name) (\(subnet.cidr)).")
            }
            let taken = try Row.fetchOne(
                db, sql: "SELECT 1 FROM ip_allocation WHERE subnet_id = ? AND address = ?",
                arguments: [subnet.id, Int64(requested.rawValue)])
            guard taken == nil else {
                throw StoreError(
                    .addressUnavailable, "IP address \(requested) is already allocated on subnet \(subnet.name).")
            }
            address = requested
        } else {
            // The lowest free address of the range, the gateway counting as used.
            var used = Set(
                try Int64.fetchAll(
                    db,
                    sql: "SELECT address FROM ip_allocation WHERE subnet_id = ? AND address BETWEEN ? AND ?",
                    arguments: [
                        subnet.id, Int64(subnet.allocationStart.rawValue), Int64(subnet.allocationEnd.rawValue),
                    ]))
            if let gateway = subnet.gateway { used.insert(Int64(gateway.rawValue)) }
            var candidate = Int64(subnet.allocationStart.rawValue)
            while used.contains(candidate) { candidate += 1 }
            guard candidate <= Int64(subnet.allocationEnd.rawValue) else {
                throw StoreError(.addressUnavailable, "No more IP addresses available on subnet \(subnet.name).")
            }
            address = IPv4Address(rawValue: UInt32(candidate))
        }
        try db.execute(
            sql:
                "INSERT INTO ip_allocation (subnet_id, address, owner_id, purpose, allocated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [subnet.id, Int64(address.rawValue), ownerID, purpose, now.storage])
        return address
    }
}
