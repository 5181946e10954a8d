import FulcrumModel
import Testing

@Suite("Textual IP addresses and CIDRs")
struct IPAddressTextTests {
    @Test(
        "valid addresses",
        arguments: [
            "0.0.0.0", "10.1.2.3", "255.255.255.255", "::", "::1", "2001:db8::", "fe80::1:2",
            "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4",
        ])
    func validAddress(_ text: String) {
        #expect(IPAddressText.isValid(text))
    }

    @Test(
        "invalid addresses",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.-1", ":", ":::", "1::2::3", "12345::", "g::1",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "fe80::1%eth0", " 10.0.0.1",
        ])
    func invalidAddress(_ text: String) {
        #expect(!IPAddressText.isValid(text))
    }

    @Test(
        "CIDRs",
        arguments: [
            ("10.0.0.0/8", true), ("10.0.0.1/8", true), ("10.0.0.1", true), ("0.0.0.0/0", true), ("1.2.3.4/32", true),
            ("1.2.3.4/33", false), ("1.2.3.4/", false), ("1.2.3.4/-1", false), ("1.2.3.4/8/8", false),
            ("2001:db8::/32", true), ("::/0", true), ("::1/128", true), ("::1/129", false), ("nope/8", false),
        ])
    func cidr(_ text: String, _ valid: Bool) {
        #expect(IPAddressText.isCIDR(text) == valid)
    }
}
