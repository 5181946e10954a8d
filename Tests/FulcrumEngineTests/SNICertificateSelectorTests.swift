import Testing

@testable import FulcrumEngine

@Suite("SNI certificate selection and X-SSL value formats (no I/O)")
struct SNICertificateSelectorTests {
    static let selector = SNICertificateSelector(names: [
        ["default.example"], ["a.example", "A.Example"], ["*.w.example"], ["x.w.example"],
        ["a.example", "*.A.example"],
    ])

    @Test(
        "exact names win over wildcards, a wildcard covers one label, the earlier certificate wins, else the default",
        arguments: [
            ("a.example", 1), ("A.EXAMPLE.", 1), ("x.w.example", 3), ("y.w.example", 2), ("w.example", 0),
            ("z.y.w.example", 0), ("b.a.example", 4), ("unknown.example", 0), ("", 0), ("default.example", 0),
        ] as [(String, Int)])
    func select(name: String, index: Int) {
        #expect(Self.selector.select(name) == index)
    }

    @Test("no SNI name gets the default certificate")
    func noName() {
        #expect(Self.selector.select(nil) == 0)
        #expect(SNICertificateSelector(names: []).select("a.example") == 0)
    }

    @Test(
        "certificate dates print as ASN.1 UTCTime within 1950–2049, else GeneralizedTime",
        arguments: [
            (0, "700101000000Z"), (1_700_000_000, "231114221320Z"), (951_782_400, "000229000000Z"),
            (2_524_607_999, "491231235959Z"), (2_524_608_000, "20500101000000Z"), (-631_152_001, "19491231235959Z"),
        ] as [(Int64, String)])
    func asn1Time(seconds: Int64, text: String) {
        #expect(ClientCertificateHeaders.asn1Time(seconds) == text)
    }

    @Test("quoted values escape quotes and backslashes as HAProxy's +Q does")
    func quoting() {
        #expect(ClientCertificateHeaders.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(ClientCertificateHeaders.quoted("") == #""""#)
    }

    @Test("without a client certificate Has-Cert is 0 and the certificate fields are empty")
    func noCertificate() {
        let headers = ClientCertificateHeaders(peer: nil)
        #expect(headers.value("X-SSL-Client-Verify") == "0")
        #expect(headers.value("X-SSL-Client-Has-Cert") == "0")
        #expect(headers.value("X-SSL-Client-CN") == #""""#)
        #expect(headers.values.map(\.name) == ClientCertificateHeaders.names)
    }
}
