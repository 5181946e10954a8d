import FulcrumAgent
import FulcrumWire
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Two VIP owners on loopback addresses with recording actuators and 200 ms adverts (1 s where a test asserts that
/// nothing changed: on a starved machine 600 ms without an advert is a legitimate takeover). Waits are on
/// conditions with generous timeouts; no test asserts a tight timing.
@Suite("VIP ownership between two owners on loopback", .timeLimit(.minutes(2)))
struct VIPOwnerLoopbackTests {
    /// Each test uses its own pair of loopback addresses, so tests may run in parallel.
    static func pair(_ a: String, _ b: String, intervalMs: Int = 200) async throws -> (VRRPNode, VRRPNode) {
        let port = try await OwnerRunner.freePort(on: [a, b])
        return (
            VRRPNode(address: a, peer: b, priority: 100, port: port, intervalMs: intervalMs),
            VRRPNode(address: b, peer: a, priority: 90, port: port, intervalMs: intervalMs)
        )
    }

    /// What the pair looks like, for failure messages.
    static func describe(_ x: (VRRPNode, VIPOwner), _ y: (VRRPNode, VIPOwner)) -> Comment {
        let one = "\(x.0.address): \(x.1.status) \(x.0.vipChanges) \(x.0.runErrors.withLock { $0 })"
        let other = "\(y.0.address): \(y.1.status) \(y.0.vipChanges) \(y.0.runErrors.withLock { $0 })"
        return Comment(rawValue: one + "; " + other)
    }

    /// Exactly one of the two is MASTER and holds the VIP, and the other is BACKUP without it.
    static func oneMaster(_ x: (VRRPNode, VIPOwner), _ y: (VRRPNode, VIPOwner)) -> (VIPOwner, VRRPNode)? {
        let states = (x.1.status.state, y.1.status.state)
        let vip = VRRPNode.vip
        if states == (.master, .backup), x.0.actuator.holds(vip), !y.0.actuator.holds(vip) { return (x.1, x.0) }
        if states == (.backup, .master), y.0.actuator.holds(vip), !x.0.actuator.holds(vip) { return (y.1, y.0) }
        return nil
    }

    @Test("exactly one becomes MASTER; a crashed MASTER is replaced after missed adverts; restarted, it stays BACKUP")
    func failoverWithoutPreemption() async throws {
        let (a, b) = try await Self.pair("127.0.0.2", "127.0.0.3")
        let ownerA = try a.owner()
        let ownerB = try b.owner()
        try await withThrowingDiscardingTaskGroup { group in
            let killA = OwnerRunner.start(ownerA, of: a, in: &group)
            let killB = OwnerRunner.start(ownerB, of: b, in: &group)
            defer {
                killA.finish()
                killB.finish()
            }
            #expect(
                try await OwnerRunner.eventually { Self.oneMaster((a, ownerA), (b, ownerB)) != nil },
                Self.describe((a, ownerA), (b, ownerB)))
            // stable: after several more adverts there is still exactly one
            let accepted = ownerA.status.advertsAccepted + ownerB.status.advertsAccepted
            #expect(
                try await OwnerRunner.eventually {
                    ownerA.status.advertsAccepted + ownerB.status.advertsAccepted >= accepted + 5
                })
            let winner = try #require(Self.oneMaster((a, ownerA), (b, ownerB)))
            let (survivor, survivorOwner, killWinner) = winner.1 === a ? (b, ownerB, killA) : (a, ownerA, killB)
            // both may have taken the VIP at the very start (their deadlines are only 8 ms apart); the split brain
            // resolution then left it with one, which is all the check above requires

            // crash the MASTER: no resign, so the survivor waits for three missed adverts
            let crashed = ContinuousClock.now
            killWinner.finish()
            #expect(
                try await OwnerRunner.eventually {
                    survivorOwner.status.state == .master && survivor.actuator.holds(VRRPNode.vip)
                })
            #expect(ContinuousClock.now - crashed > .milliseconds(300))  // it did wait for missed adverts
            #expect(survivor.actuator.calls.contains(.gratuitousARP(VRRPNode.vip)))

            await winner.0.stop()  // returns once the crashed owner's run() has returned and its socket is closed

            // restart the old MASTER (a new boot): it hears the survivor and stays BACKUP, whatever its priority
            let restarted = try winner.1.owner()
            let before = winner.1.vipChanges.count
            let killRestarted = OwnerRunner.start(restarted, of: winner.1, in: &group)
            defer { killRestarted.finish() }
            #expect(try await OwnerRunner.eventually { restarted.status.advertsAccepted >= 8 })  // > 1.5 s of adverts
            #expect(winner.1.runErrors.withLock { $0 }.isEmpty)
            #expect(restarted.status.state == .backup)
            #expect(!winner.1.actuator.holds(VRRPNode.vip))
            #expect(winner.1.vipChanges.dropFirst(before) == [.remove(VRRPNode.vip)])
            #expect(survivorOwner.status.state == .master && survivor.actuator.holds(VRRPNode.vip))
        }
    }

    @Test("a MASTER whose engine stops serving resigns, the peer takes over, and back to health it stays BACKUP")
    func engineFault() async throws {
        let (a, b) = try await Self.pair("127.0.0.4", "127.0.0.5")
        let ownerA = try a.owner()
        let ownerB = try b.owner()
        try await withThrowingDiscardingTaskGroup { group in
            let killA = OwnerRunner.start(ownerA, of: a, in: &group)
            let killB = OwnerRunner.start(ownerB, of: b, in: &group)
            defer {
                killA.finish()
                killB.finish()
            }
            #expect(
                try await OwnerRunner.eventually { Self.oneMaster((a, ownerA), (b, ownerB)) != nil },
                Self.describe((a, ownerA), (b, ownerB)))
            let (masterOwner, master) = try #require(Self.oneMaster((a, ownerA), (b, ownerB)))
            let (peer, peerOwner) = master === a ? (b, ownerB) : (a, ownerA)

            master.healthy.store(false, ordering: .relaxed)
            #expect(
                try await OwnerRunner.eventually {
                    masterOwner.status.state == .fault && !masterOwner.status.engineServing
                        && peerOwner.status.state == .master && peer.actuator.holds(VRRPNode.vip)
                })
            #expect(!master.actuator.holds(VRRPNode.vip))

            master.healthy.store(true, ordering: .relaxed)
            #expect(try await OwnerRunner.eventually { masterOwner.status.state == .backup })
            let accepted = masterOwner.status.advertsAccepted
            // generous: a busy parallel suite can stall the shared cooperative pool for seconds
            #expect(
                try await OwnerRunner.eventually(seconds: 45) { masterOwner.status.advertsAccepted >= accepted + 8 })
            #expect(
                try await OwnerRunner.eventually {
                    masterOwner.status.state == .backup && !master.actuator.holds(VRRPNode.vip)
                        && peerOwner.status.state == .master && peer.actuator.holds(VRRPNode.vip)
                }, Self.describe((master, masterOwner), (peer, peerOwner)))
            #expect(masterOwner.status.resignTakeovers == 0, "back to health it does not take the VIP back")
        }
    }

    @Test("forged, truncated, foreign and replayed adverts change nothing and are counted")
    func forgedAdverts() async throws {
        // 1 s adverts: a takeover needs 3 s of silence, rare even in a busy parallel suite (see the end of the test)
        let (a, b) = try await Self.pair("127.0.0.6", "127.0.0.7", intervalMs: 1000)
        let ownerA = try a.owner()
        let ownerB = try b.owner()
        let attacker = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { attacker.close(promise: nil) }
        try await withThrowingDiscardingTaskGroup { group in
            let killA = OwnerRunner.start(ownerA, of: a, in: &group)
            let killB = OwnerRunner.start(ownerB, of: b, in: &group)
            defer {
                killA.finish()
                killB.finish()
            }
            #expect(
                try await OwnerRunner.eventually { Self.oneMaster((a, ownerA), (b, ownerB)) != nil },
                Self.describe((a, ownerA), (b, ownerB)))
            let (masterOwner, master) = try #require(Self.oneMaster((a, ownerA), (b, ownerB)))
            let (backup, backupOwner) = master === a ? (b, ownerB) : (a, ownerA)
            let target = try SocketAddress(ipAddress: backup.address, port: backup.port)

            // a resign "from the MASTER" under the wrong key: if believed, the BACKUP would take over at once
            let resign = VRRPAdvert(
                group: VRRPAddress(VRRPNode.vip)!, sender: VRRPAddress(master.address)!, priority: 0, state: .backup,
                advertIntervalMs: 1000, bootId: 7, sequence: 1_000_000)
            let forged = VRRPAdvertCodec(key: "guessed-key").seal(resign)
            // the right key, but from an address that is not a peer, and for another VIP
            var stranger = resign
            stranger.sender = VRRPAddress("127.0.0.99")!
            var otherGroup = resign
            otherGroup.group = VRRPAddress("127.0.0.101")!
            let codec = VRRPAdvertCodec(key: VRRPNode.key)
            // a genuine MASTER advert sent twice: the second is a replay
            var genuine = resign
            genuine.priority = 100
            genuine.state = .master
            let changes = backup.vipChanges.count
            let silentBefore = backupOwner.status.silentPeerTakeovers
            let datagrams = [
                forged, Array(forged.prefix(40)), [], codec.seal(stranger), codec.seal(otherGroup),
                codec.seal(genuine), codec.seal(genuine),
            ]
            for datagram in datagrams {
                try await attacker.writeAndFlush(
                    AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: datagram)))
            }
            #expect(
                try await OwnerRunner.eventually {
                    let status = backupOwner.status
                    return status.advertsRejected >= 3 && status.advertsIgnored >= 2 && status.advertsReplayed >= 1
                })
            // The BACKUP goes on accepting the MASTER's genuine adverts, unless the MASTER fell silent and it took
            // over: in a busy parallel suite the shared cooperative pool can stall both owners for seconds (seen on
            // 2-core CI runs). Such a takeover is legitimate, and with no preemption it may stick (when the BACKUP
            // has the higher priority). What must never happen is a takeover caused by the attacker's resign.
            let accepted = backupOwner.status.advertsAccepted
            #expect(
                try await OwnerRunner.eventually {
                    backupOwner.status.advertsAccepted >= accepted + 4
                        || backupOwner.status.silentPeerTakeovers > silentBefore
                })
            #expect(backupOwner.status.resignTakeovers == 0)
            #expect(
                try await OwnerRunner.eventually { Self.oneMaster((a, ownerA), (b, ownerB)) != nil },
                Self.describe((a, ownerA), (b, ownerB)))
            if backupOwner.status.silentPeerTakeovers == silentBefore {
                #expect(Self.oneMaster((a, ownerA), (b, ownerB))?.0 === masterOwner)
                #expect(backup.vipChanges.count == changes)
            }
        }
    }
}
