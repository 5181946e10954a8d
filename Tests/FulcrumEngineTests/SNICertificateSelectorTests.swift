import Testing

@testable import FulcrumEngine

@Suite("SNI certificate selection (no I/O)")
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
}
