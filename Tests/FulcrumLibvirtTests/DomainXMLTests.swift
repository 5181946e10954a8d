import Foundation
import FulcrumDrivers
import Testing

@testable import FulcrumLibvirt

@Suite("Domain XML, secrets archive and placement (no libvirt needed)")
struct DomainXMLTests {
    let spec = AmphoraSpec(
        amphoraID: "amp-1", image: AmphoraImage(kernelPath: "/img/vmlinuz", initrdPath: "/img/initrd.img"),
        nics: [NICSpec(bridge: "fulcrum-mgmt"), NICSpec(bridge: "fulcrum-private", macAddress: "52:54:00:AA:00:01")],
        bootParameters: ["mgmt": "203.0.113.10/24", "controller": "203.0.113.1"],
        secrets: ["agent.key": Array("TOP-SECRET-KEY".utf8)], antiAffinityGroup: "lb-7")
    let paths = DomainXML.Paths(initrd: "/s/amp-1/initrd.img", consoleLog: "/s/amp-1/console.log", emulator: "/q")

    @Test("TCG domain: name, metadata, 128 MiB, cpu maximum, virtio-rng, NICs on bridges, console file, destroy")
    func tcg() {
        let xml = DomainXML.render(spec, type: .qemu, paths: paths)
        #expect(xml.contains("<domain type='qemu'>"))
        #expect(xml.contains("<name>fulcrum-amphora-amp-1</name>"))
        #expect(xml.contains("<fulcrum:id>amp-1</fulcrum:id><fulcrum:group>lb-7</fulcrum:group>"))
        #expect(xml.contains("<memory unit='MiB'>128</memory>") && xml.contains("<vcpu>1</vcpu>"))
        #expect(
            xml.contains("<cpu mode='maximum' check='none'/>") && xml.contains("<tb-cache unit='MiB'>32</tb-cache>"))
        #expect(xml.contains("<rng model='virtio'>"))
        #expect(
            DomainXML.attributeValues(in: xml, element: "source", attribute: "bridge") == [
                "fulcrum-mgmt", "fulcrum-private",
            ])
        #expect(DomainXML.attributeValues(in: xml, element: "mac", attribute: "address")[1] == "52:54:00:aa:00:01")
        #expect(xml.contains("<source path='/s/amp-1/console.log' append='off'/>"))
        for event in ["poweroff", "reboot", "crash"] { #expect(xml.contains("<on_\(event)>destroy</on_\(event)>")) }
        #expect(xml.contains("<initrd>/s/amp-1/initrd.img</initrd>"))
        #expect(!xml.contains("TOP-SECRET") && !xml.contains("agent.key"))
    }

    @Test("KVM domain uses host-passthrough and no TCG cache")
    func kvm() {
        let xml = DomainXML.render(spec, type: .kvm, paths: paths)
        #expect(xml.contains("<domain type='kvm'>") && xml.contains("host-passthrough") && !xml.contains("tb-cache"))
    }

    @Test("the command line carries id and sorted boot parameters, never secrets; values are XML-escaped")
    func commandLine() {
        #expect(
            DomainXML.commandLine(spec)
                == "console=ttyS0 quiet panic=-1 fulcrum.id=amp-1 fulcrum.controller=203.0.113.1 fulcrum.mgmt=203.0.113.10/24"
        )
        #expect(DomainXML.escape("a<b&'c'") == "a&lt;b&amp;&apos;c&apos;")
    }

    @Test("secrets archive: newc entries, trailer last, 4-byte aligned, in front of the base image")
    func archive() {
        let cpio = SecretsArchive.cpio(["b.pem": [1, 2, 3], "a.key": Array("k".utf8)])
        let text = String(decoding: cpio, as: UTF8.self)
        #expect(cpio.count % 4 == 0)
        #expect(text.hasPrefix("070701"))
        let order = ["secrets\0", "secrets/a.key\0", "secrets/b.pem\0", "TRAILER!!!\0"].map {
            text.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil })
        #expect(zip(order, order.dropFirst()).allSatisfy { $0! < $1! })
        // the secrets first (the LZ4 legacy base has no end marker), then the base byte for byte
        let base: [UInt8] = [0x02, 0x21, 0x4c, 0x18, 0x01]
        let initrd = SecretsArchive.initrd(base: base, secrets: ["a.key": [1]])
        #expect(Array(initrd.prefix(6)) == Array("070701".utf8))
        #expect(Array(initrd.suffix(base.count)) == base)
        #expect((initrd.count - base.count) % 4 == 0)
    }

    @Test("placement: least loaded wins; anti-affinity prefers another host but is soft")
    func placement() {
        let hosts: [HostPlacement.Candidate] = [
            .init(uri: "a", amphorae: 1, antiAffinityGroups: []),
            .init(uri: "b", amphorae: 3, antiAffinityGroups: ["lb-7"]),
            .init(uri: "c", amphorae: 0, antiAffinityGroups: ["lb-7"]),
        ]
        #expect(HostPlacement.choose(hosts, group: nil, policy: .leastLoaded) == 2)
        #expect(HostPlacement.choose(hosts, group: "lb-7", policy: .leastLoaded) == 0)
        #expect(HostPlacement.choose(hosts, group: nil, policy: .first) == 0)
        #expect(HostPlacement.choose([hosts[2]], group: "lb-7", policy: .leastLoaded) == 0)
        #expect(HostPlacement.choose([], group: nil, policy: .first) == nil)
    }

    @Test("libvirt error numbers map to ComputeError codes")
    func errorMapping() {
        #expect(LibvirtConnection.code(forLibvirtError: 42, fallback: .operationFailed) == .notFound)  // NO_DOMAIN
        #expect(LibvirtConnection.code(forLibvirtError: 27, fallback: .operationFailed) == .invalidSpec)  // XML_ERROR
        #expect(LibvirtConnection.code(forLibvirtError: 1, fallback: .operationFailed) == .operationFailed)
    }
}
