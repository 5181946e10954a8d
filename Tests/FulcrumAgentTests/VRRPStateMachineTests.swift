import FulcrumAgent
import FulcrumWire
import Testing

extension VRRPStateMachine {
    /// `advertReceived` with the 1 s interval the tests use.
    mutating func heard(
        _ sender: VRRPAddress, _ priority: UInt8, _ state: VRRPAdvert.State, at now: Duration
    )
        -> [Action]
    {
        advertReceived(from: sender, priority: priority, state: state, interval: .seconds(1), now: now)
    }
}

/// The state machine's rules, event by event, with time as plain `Duration`s (no clock, no sleeping).
@Suite("VRRP state machine")
struct VRRPStateMachineTests {
    static let me = VRRPAddress("10.0.0.11")!
    static let peer = VRRPAddress("10.0.0.12")!
    static let stranger = VRRPAddress("10.0.0.99")!
    static let second = Duration.seconds(1)

    static func machine(
        priority: UInt8 = 100, address: VRRPAddress = me, peers: [VRRPAddress] = [peer]
    )
        -> VRRPStateMachine
    {
        VRRPStateMachine(
            configuration: .init(
                address: address, priority: priority, peers: peers, advertInterval: second, garpCount: 3,
                garpInterval: .milliseconds(500)))
    }

    /// A started machine that has taken the VIP at `at`.
    static func master(priority: UInt8 = 100, address: VRRPAddress = me, at: Duration = .seconds(4)) -> VRRPStateMachine
    {
        var m = machine(priority: priority, address: address)
        _ = m.start(now: .zero)
        _ = m.tick(now: at)
        return m
    }

    static func ms(_ value: Int) -> Duration { .milliseconds(value) }

    @Test("starts as BACKUP and removes a VIP a previous process may have left")
    func start() {
        var m = Self.machine()
        #expect(m.state == .initial)
        #expect(m.tick(now: .seconds(10)).isEmpty)  // nothing happens before start
        #expect(m.start(now: .zero) == [.removeVIP])
        #expect(m.state == .backup)
        #expect(m.start(now: .zero).isEmpty)
    }

    @Test(
        "the master-down interval is 3 intervals plus (256 - priority)/256 of one",
        arguments: [(UInt8(100), 3609), (90, 3648), (255, 3003), (1, 3996)])
    func masterDown(priority: UInt8, expectedMs: Int) {
        let m = Self.machine(priority: priority)
        #expect(Int(m.masterDownInterval / .milliseconds(1)) == expectedMs)
    }

    @Test("a started node holds back for startupHold before it may take over; a MASTER heard meanwhile keeps it BACKUP")
    func startupHold() {
        var m = VRRPStateMachine(
            configuration: .init(
                address: Self.me, priority: 100, peers: [Self.peer], advertInterval: .milliseconds(200),
                startupHold: .seconds(2)))
        _ = m.start(now: .zero)
        #expect(m.tick(now: .milliseconds(1_900)).isEmpty && m.state == .backup)
        #expect(m.tick(now: .milliseconds(2_000)).contains(.addVIP))
        var heard = VRRPStateMachine(
            configuration: .init(
                address: Self.me, priority: 100, peers: [Self.peer], advertInterval: .milliseconds(200),
                startupHold: .seconds(2)))
        _ = heard.start(now: .zero)
        _ = heard.advertReceived(
            from: Self.peer, priority: 90, state: .master, interval: .milliseconds(200), now: .milliseconds(1_500))
        #expect(heard.tick(now: .milliseconds(2_100)).isEmpty && heard.state == .backup, "no preemption")
    }

    @Test("a BACKUP that hears nothing takes over exactly at its deadline: VIP, gratuitous ARP, advert")
    func takeover() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        #expect(m.takeoverDeadline == m.masterDownInterval)
        #expect(m.tick(now: m.masterDownInterval - .nanoseconds(1)).isEmpty)
        #expect(m.state == .backup)
        #expect(m.tick(now: m.masterDownInterval) == [.addVIP, .sendGratuitousARP, .sendAdvert(.master, priority: 90)])
        #expect(m.state == .master)
        #expect(m.takeoverDeadline == nil)
    }

    @Test("a MASTER advertises every interval and repeats gratuitous ARP garpCount times, garpInterval apart")
    func advertAndGARP() {
        var m = Self.master(at: .seconds(4))
        let advert = VRRPStateMachine.Action.sendAdvert(.master, priority: 100)
        #expect(m.tick(now: Self.ms(4400)).isEmpty)
        #expect(m.tick(now: Self.ms(4500)) == [.sendGratuitousARP])
        #expect(m.tick(now: Self.ms(4999)).isEmpty)
        #expect(m.tick(now: Self.ms(5000)) == [.sendGratuitousARP, advert])
        #expect(m.tick(now: Self.ms(5600)).isEmpty)  // three in all
        #expect(m.tick(now: Self.ms(6000)) == [advert])
        #expect(m.tick(now: Self.ms(7100)) == [advert])
    }

    @Test("the next deadline is the takeover, the next advert or gratuitous ARP, or none")
    func nextDeadline() {
        var m = Self.machine(priority: 90)
        #expect(m.nextDeadline == nil)
        _ = m.start(now: .zero)
        #expect(m.nextDeadline == m.masterDownInterval)
        _ = m.tick(now: .seconds(4))
        #expect(m.nextDeadline == Self.ms(4500))  // gratuitous ARP before the advert at 5 s
        _ = m.tick(now: Self.ms(4500))
        _ = m.tick(now: Self.ms(5000))
        #expect(m.nextDeadline == Self.ms(6000))  // all three sent
        _ = m.engineHealthChanged(false, now: Self.ms(5100))
        #expect(m.nextDeadline == nil)
    }

    @Test("garpCount 0 sends no gratuitous ARP, 1 sends exactly one")
    func garpCounts() {
        for count in [0, 1] {
            var m = VRRPStateMachine(
                configuration: .init(
                    address: Self.me, priority: 100, peers: [Self.peer], advertInterval: Self.second,
                    garpCount: count, garpInterval: Self.ms(100)))
            _ = m.start(now: .zero)
            let taken = m.tick(now: .seconds(4))
            #expect(taken.filter { $0 == .sendGratuitousARP }.count == count)
            #expect(m.tick(now: Self.ms(4300)).isEmpty)
        }
    }

    @Test("a BACKUP hearing MASTER adverts stays BACKUP; its deadline restarts from each advert")
    func backupHearsMaster() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        for t in stride(from: 1000, through: 10_000, by: 1000) {
            #expect(m.heard(Self.peer, 100, .master, at: Self.ms(t)).isEmpty)
            #expect(m.tick(now: Self.ms(t + 500)).isEmpty)
        }
        #expect(m.state == .backup)
        #expect(m.takeoverDeadline == Self.ms(10_000) + m.masterDownInterval)
        #expect(m.tick(now: Self.ms(13_600)).isEmpty)
        #expect(m.tick(now: Self.ms(10_000) + m.masterDownInterval).first == .addVIP)  // three adverts missed
    }

    @Test("no preemption: a priority-100 node that starts while a priority-90 MASTER advertises stays BACKUP")
    func noPreemption() {
        var m = Self.machine(priority: 100)
        _ = m.start(now: .zero)
        for t in stride(from: 500, through: 20_000, by: 1000) {
            #expect(m.heard(Self.peer, 90, .master, at: Self.ms(t)).isEmpty)
            #expect(m.tick(now: Self.ms(t + 900)).isEmpty)
        }
        #expect(m.state == .backup)
    }

    @Test("a BACKUP uses the longer interval a MASTER announces for its deadline")
    func announcedInterval() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        _ = m.advertReceived(from: Self.peer, priority: 100, state: .master, interval: .seconds(2), now: .zero)
        #expect(m.masterDownInterval == .seconds(6) + m.skew)
        #expect(m.tick(now: .seconds(5)).isEmpty)
    }

    @Test("adverts from strangers, from itself, and BACKUP-state adverts change nothing")
    func ignored() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        #expect(!m.isPeer(Self.stranger) && !m.isPeer(Self.me) && m.isPeer(Self.peer))
        #expect(m.heard(Self.stranger, 255, .master, at: .seconds(3)).isEmpty)
        #expect(m.heard(Self.stranger, 0, .backup, at: .seconds(3)).isEmpty)
        #expect(m.heard(Self.me, 0, .backup, at: .seconds(3)).isEmpty)
        #expect(m.heard(Self.peer, 100, .backup, at: .seconds(3)).isEmpty)
        #expect(m.state == .backup)
        #expect(m.takeoverDeadline == m.masterDownInterval)  // not refreshed by any of them
    }

    @Test(
        "split brain: higher priority keeps the VIP, equal priority goes to the lower address",
        arguments: [
            // (my priority, my address, peer priority, peer address, I keep the VIP)
            (UInt8(100), "10.0.0.11", UInt8(90), "10.0.0.12", true),
            (90, "10.0.0.11", 100, "10.0.0.12", false),
            (100, "10.0.0.12", 90, "10.0.0.11", true),
            (100, "10.0.0.11", 100, "10.0.0.12", true),
            (100, "10.0.0.12", 100, "10.0.0.11", false),
            (100, "10.0.0.9", 100, "10.0.0.10", true),  // numeric, not textual: 9 < 10
            (100, "10.0.0.10", 100, "10.0.0.9", false),
        ])
    func splitBrain(myPriority: UInt8, myAddress: String, peerPriority: UInt8, peerAddress: String, keep: Bool) {
        let mine = VRRPAddress(myAddress)!
        let theirs = VRRPAddress(peerAddress)!
        var m = VRRPStateMachine(
            configuration: .init(address: mine, priority: myPriority, peers: [theirs], advertInterval: Self.second))
        _ = m.start(now: .zero)
        _ = m.tick(now: .seconds(4))
        #expect(m.state == .master)
        let actions = m.advertReceived(
            from: theirs, priority: peerPriority, state: .master, interval: Self.second, now: Self.ms(4200))
        if keep {
            #expect(actions == [.sendAdvert(.master, priority: myPriority), .sendGratuitousARP])
            #expect(m.state == .master)
            #expect(m.tick(now: Self.ms(5100)).contains(.sendAdvert(.master, priority: myPriority)) == false)
            #expect(m.tick(now: Self.ms(5200)).contains(.sendAdvert(.master, priority: myPriority)))
        } else {
            #expect(actions == [.removeVIP])
            #expect(m.state == .backup)
            #expect(m.takeoverDeadline == Self.ms(4200) + m.masterDownInterval)
        }
    }

    @Test("both sides of a split brain reach the same verdict")
    func splitBrainBothSides() {
        var a = Self.master(priority: 100, address: Self.me)
        var b = VRRPStateMachine(
            configuration: .init(address: Self.peer, priority: 100, peers: [Self.me], advertInterval: Self.second))
        _ = b.start(now: .zero)
        _ = b.tick(now: .seconds(4))
        _ = a.heard(Self.peer, 100, .master, at: .seconds(5))
        _ = b.heard(Self.me, 100, .master, at: .seconds(5))
        #expect(a.state == .master && b.state == .backup)
    }

    @Test("an unhealthy MASTER goes to FAULT, removes the VIP and resigns with priority 0; healthy again it is BACKUP")
    func faultAndRecovery() {
        var m = Self.master(at: .seconds(4))
        #expect(m.engineHealthChanged(true, now: .seconds(5)).isEmpty)  // no change, no action
        #expect(m.engineHealthChanged(false, now: .seconds(5)) == [.removeVIP, .sendAdvert(.backup, priority: 0)])
        #expect(m.state == .fault)
        #expect(m.tick(now: .seconds(60)).isEmpty)  // no adverts, no takeover, no more gratuitous ARP
        #expect(m.heard(Self.peer, 0, .backup, at: .seconds(60)).isEmpty)
        #expect(m.engineHealthChanged(true, now: .seconds(61)).isEmpty)
        #expect(m.state == .backup)
        // no preemption after recovery: the peer's adverts keep it BACKUP
        _ = m.heard(Self.peer, 90, .master, at: .seconds(62))
        #expect(m.tick(now: .seconds(64)).isEmpty)
        #expect(m.state == .backup)
    }

    @Test("an unhealthy BACKUP goes to FAULT and never takes over; an unhealthy start begins in FAULT")
    func faultyBackup() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        #expect(m.engineHealthChanged(false, now: .seconds(1)).isEmpty)
        #expect(m.state == .fault)
        #expect(m.tick(now: .seconds(100)).isEmpty)
        #expect(m.heard(Self.peer, 0, .backup, at: .seconds(100)).isEmpty)
        var unhealthy = Self.machine()
        #expect(unhealthy.engineHealthChanged(false, now: .zero).isEmpty)
        #expect(unhealthy.start(now: .zero) == [.removeVIP])
        #expect(unhealthy.state == .fault)
        #expect(unhealthy.tick(now: .seconds(100)).isEmpty)
    }

    @Test("a resign advert makes a BACKUP take over at once, without waiting three intervals")
    func resign() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        _ = m.heard(Self.peer, 100, .master, at: .seconds(1))
        let actions = m.heard(Self.peer, 0, .backup, at: Self.ms(1200))
        #expect(actions == [.addVIP, .sendGratuitousARP, .sendAdvert(.master, priority: 90)])
        #expect(m.state == .master)
        // a MASTER ignores a resign
        #expect(m.heard(Self.peer, 0, .backup, at: Self.ms(1300)).isEmpty)
    }

    @Test("a config change keeps a MASTER's VIP and advertises the new priority at once")
    func configChangeMaster() {
        var m = Self.master(at: .seconds(4))
        var new = m.configuration
        new.priority = 90
        new.peers = [Self.stranger]
        new.advertInterval = .milliseconds(200)
        #expect(m.configChanged(new, now: Self.ms(4100)) == [.sendAdvert(.master, priority: 90)])
        #expect(m.state == .master)
        #expect(m.configChanged(new, now: Self.ms(4150)).isEmpty)  // the same again
        #expect(m.tick(now: Self.ms(4300)).contains(.sendAdvert(.master, priority: 90)))  // new interval
        #expect(m.isPeer(Self.stranger) && !m.isPeer(Self.peer))
    }

    @Test("a config change on a BACKUP changes its deadline and its peers, and takes nothing")
    func configChangeBackup() {
        var m = Self.machine(priority: 90)
        _ = m.start(now: .zero)
        var new = m.configuration
        new.advertInterval = .milliseconds(200)
        #expect(m.configChanged(new, now: Self.ms(100)).isEmpty)
        #expect(m.state == .backup)
        #expect(m.takeoverDeadline == m.masterDownInterval)
        #expect(m.tick(now: Self.ms(730)).first == .addVIP)  // 3 × 200 ms + skew 129.6 ms
    }

    @Test("stop: a MASTER releases the VIP and resigns; a BACKUP just stops")
    func stop() {
        var master = Self.master()
        #expect(master.stop() == [.removeVIP, .sendAdvert(.backup, priority: 0)])
        #expect(master.state == .initial)
        #expect(master.tick(now: .seconds(100)).isEmpty)
        var backup = Self.machine()
        _ = backup.start(now: .zero)
        #expect(backup.stop().isEmpty)
    }
}
