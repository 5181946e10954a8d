import Foundation
public import FulcrumDrivers

/// Renders and reads the libvirt domain XML of an amphora (pure, tested without libvirt).
public enum DomainXML {
    /// XML namespace of the Fulcrum `<metadata>` element.
    public static let metadataNamespace = "urn:fulcrum:amphora:1"

    /// Domain type: `kvm` (hardware) or `qemu` (TCG).
    public enum DomainType: String, Sendable {
        case kvm, qemu
    }

    /// The per-amphora facts that go into the XML besides the spec.
    public struct Paths: Sendable {
        /// The per-amphora initramfs (base + secrets).
        public var initrd: String
        /// Serial console output file.
        public var consoleLog: String
        /// The qemu binary.
        public var emulator: String

        /// Creates the paths.
        public init(initrd: String, consoleLog: String, emulator: String) {
            self.initrd = initrd
            self.consoleLog = consoleLog
            self.emulator = emulator
        }
    }

    /// The kernel command line: console, quiet, panic=-1 and `fulcrum.id` plus the spec's boot parameters,
    /// sorted. Never secrets.
    public static func commandLine(_ spec: AmphoraSpec) -> String {
        var parts = ["console=ttyS0", "quiet", "panic=-1", "fulcrum.id=\(spec.amphoraID)"]
        for key in spec.bootParameters.keys.sorted() where key != "id" {
            parts.append("fulcrum.\(key)=\(spec.bootParameters[key] ?? "")")
        }
        return parts.joined(separator: " ")
    }

    /// The MAC of every NIC of `spec`, derived where the spec leaves it out.
    public static func macAddresses(_ spec: AmphoraSpec) -> [String] {
        spec.nics.enumerated().map { index, nic in
            (nic.macAddress ?? MACAddress.derived(amphoraID: spec.amphoraID, index: index)).lowercased()
        }
    }

    /// The transient domain for `spec`.
    public static func render(_ spec: AmphoraSpec, type: DomainType, paths: Paths) -> String {
        let name = ComputeInstance.name(for: spec.amphoraID)
        let group = spec.antiAffinityGroup.map { "<fulcrum:group>\(escape($0))</fulcrum:group>" } ?? ""
        let accelerator =
            type == .qemu
            ? "<tcg><tb-cache unit='MiB'>32</tb-cache></tcg>" : ""
        let cpu = type == .qemu ? "<cpu mode='maximum' check='none'/>" : "<cpu mode='host-passthrough' check='none'/>"
        let interfaces = zip(spec.nics, macAddresses(spec)).map { nic, mac in interface(bridge: nic.bridge, mac: mac) }
        return """
            <domain type='\(type.rawValue)'>
              <name>\(escape(name))</name>
              <metadata>
                <fulcrum:amphora xmlns:fulcrum='\(metadataNamespace)'>\
            <fulcrum:id>\(escape(spec.amphoraID))</fulcrum:id>\(group)</fulcrum:amphora>
              </metadata>
              <memory unit='MiB'>\(spec.memoryMiB)</memory>
              <vcpu>\(spec.vcpus)</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <kernel>\(escape(spec.image.kernelPath))</kernel>
                <initrd>\(escape(paths.initrd))</initrd>
                <cmdline>\(escape(commandLine(spec)))</cmdline>
              </os>
              <features><acpi/><apic/>\(accelerator)</features>
              \(cpu)
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>destroy</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <emulator>\(escape(paths.emulator))</emulator>
                <controller type='usb' model='none'/>
            \(interfaces.joined(separator: "\n"))
                <serial type='file'>
                  <source path='\(escape(paths.consoleLog))' append='off'/>
                  <target port='0'/>
                </serial>
                <console type='file'>
                  <source path='\(escape(paths.consoleLog))' append='off'/>
                  <target type='serial' port='0'/>
                </console>
                <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
                <memballoon model='none'/>
              </devices>
            </domain>
            """
    }

    /// A virtio NIC on `bridge` (also the device XML for hot-plug).
    public static func interface(bridge: String, mac: String) -> String {
        """
            <interface type='bridge'>
              <source bridge='\(escape(bridge))'/>
              <mac address='\(escape(mac))'/>
              <model type='virtio'/>
            </interface>
        """
    }

    /// Values of `attribute` on every `<element …>` in `xml`, in order (enough for libvirt's own output).
    static func attributeValues(in xml: String, element: String, attribute: String) -> [String] {
        var values: [String] = []
        var rest = xml[...]
        while let start = rest.range(of: "<\(element) ") {
            let tail = rest[start.upperBound...]
            guard let end = tail.firstIndex(of: ">") else { break }
            let tag = tail[..<end]
            for quote in ["'", "\""] {
                if let attr = tag.range(of: "\(attribute)=\(quote)") {
                    let valueStart = attr.upperBound
                    if let valueEnd = tag[valueStart...].firstIndex(of: Character(quote)) {
                        values.append(String(tag[valueStart..<valueEnd]))
                        break
                    }
                }
            }
            rest = tail[end...]
        }
        return values
    }

    /// The text of the first `<tag>…</tag>` in `xml`.
    static func elementText(in xml: String, tag: String) -> String? {
        guard let open = xml.range(of: "<\(tag)>"), let close = xml[open.upperBound...].range(of: "</\(tag)>") else {
            return nil
        }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
