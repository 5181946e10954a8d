import Crypto
import NIOSSL
import SwiftASN1
import X509

/// Octavia's `X-SSL-*` insert headers of a TERMINATED_HTTPS connection, with the values HAProxy's sample
/// fetches give them in Octavia's template: `ssl_c_verify` (0: verified, or no certificate — a certificate that
/// fails verification never gets this far, the handshake is refused), `ssl_c_used` (1/0), and, quoted (`%{+Q}`),
/// `ssl_c_s_dn`, `ssl_c_s_dn(cn)`, `ssl_c_i_dn` (one-line `/C=…/O=…/CN=…` form), `ssl_c_sha1,hex` (upper-case hex
/// of the DER certificate) and `ssl_c_notbefore`/`ssl_c_notafter` (ASN.1 `YYMMDDhhmmssZ`, or `YYYYMMDDhhmmssZ`
/// outside 1950–2049). Without a client certificate the quoted ones are `""`, which also overwrites whatever the
/// client sent under those names.
struct ClientCertificateHeaders: Sendable {
    /// Every header name this covers, in Octavia's order.
    static let names = [
        "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert", "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer",
        "X-SSL-Client-SHA1", "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After",
    ]

    /// Header name → value, for the headers that have one.
    private(set) var values: [(name: String, value: String)] = []

    /// The headers for a connection whose client presented `peer` (nil: none).
    init(peer: NIOSSLCertificate?) {
        values = [("X-SSL-Client-Verify", "0"), ("X-SSL-Client-Has-Cert", peer == nil ? "0" : "1")]
        var dn = "", cn = "", issuer = "", sha1 = "", notBefore = "", notAfter = ""
        if let peer, let der = try? peer.toDERBytes(), let certificate = try? Certificate(derEncoded: der) {
            dn = Self.oneLine(certificate.subject)
            cn =
                certificate.subject.lazy.flatMap { $0 }
                .first { $0.type == .RDNAttributeType.commonName }
                .flatMap { String($0.value) } ?? ""
            issuer = Self.oneLine(certificate.issuer)
            sha1 = Insecure.SHA1.hash(data: der).map { Self.hex($0) }.joined()
            notBefore = Self.asn1Time(Int64(peer.notValidBefore))
            notAfter = Self.asn1Time(Int64(peer.notValidAfter))
        }
        values += [
            ("X-SSL-Client-DN", Self.quoted(dn)), ("X-SSL-Client-CN", Self.quoted(cn)),
            ("X-SSL-Issuer", Self.quoted(issuer)), ("X-SSL-Client-SHA1", Self.quoted(sha1)),
            ("X-SSL-Client-Not-Before", Self.quoted(notBefore)), ("X-SSL-Client-Not-After", Self.quoted(notAfter)),
        ]
    }

    /// The value of `name`, if it has one.
    func value(_ name: String) -> String? { values.first { $0.name == name }?.value }

    /// What the SSL_* L7 rules see of a connection whose client presented `peer` (nil: none).
    static func l7Facts(peer: NIOSSLCertificate?) -> L7ClientCertificate {
        guard let peer, let der = try? peer.toDERBytes(), let certificate = try? Certificate(derEncoded: der) else {
            return L7ClientCertificate(presented: peer != nil)
        }
        return L7ClientCertificate(presented: true, verifyResult: 0, subject: fields(certificate.subject))
    }

    /// The attributes of `name` in certificate order, by OpenSSL short name.
    static func fields(_ name: DistinguishedName) -> [L7ClientCertificate.Field] {
        name.flatMap { rdn in
            rdn.map { .init(name: shortName($0.type), value: String($0.value) ?? "\($0.value)") }
        }
    }

    /// OpenSSL's one-line form HAProxy prints: `/` before every attribute, in certificate order.
    static func oneLine(_ name: DistinguishedName) -> String {
        fields(name).map { "/\($0.name)=\($0.value)" }.joined()
    }

    private static func shortName(_ type: ASN1ObjectIdentifier) -> String {
        switch type {
        case .RDNAttributeType.commonName: "CN"
        case .RDNAttributeType.countryName: "C"
        case .RDNAttributeType.localityName: "L"
        case .RDNAttributeType.stateOrProvinceName: "ST"
        case .RDNAttributeType.organizationName: "O"
        case .RDNAttributeType.organizationalUnitName: "OU"
        case .RDNAttributeType.streetAddress: "street"
        case .RDNAttributeType.domainComponent: "DC"
        case .RDNAttributeType.emailAddress: "emailAddress"
        default: "\(type)"
        }
    }

    /// `"value"` with `"` and `\` escaped, as HAProxy's `+Q` flag writes strings.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// Seconds since the epoch as ASN.1 UTCTime (`YYMMDDhhmmssZ`) for 1950–2049, else GeneralizedTime.
    static func asn1Time(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // civil date from days since 1970-01-01 (proleptic Gregorian)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let clock = two(month) + two(day) + two(time / 3_600) + two(time % 3_600 / 60) + two(time % 60) + "Z"
        return (1950..<2050).contains(year) ? two(year % 100) + clock : "\(year)" + clock
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
