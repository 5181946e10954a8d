import HTTPTypes
import Hummingbird
import NIOCore

/// The "Load Balancers" panel at `/dashboard`: an HTML shell, a script and a style sheet, compiled into the
/// module from `Dashboard/Assets` (SwiftPM `embedInCode`, so there is no build step and nothing to install
/// beside the binary).
///
/// The assets are public: the page holds no data. Its script asks for a token and calls the v2 API with
/// `X-Auth-Token` like any other client. The dashboard is not part of the Octavia API, so it is not in the
/// OpenAPI document.
struct DashboardController {
    /// One served file.
    struct Asset: Sendable {
        var path: String
        var contentType: String
        var bytes: [UInt8]
    }

    static let assets = [
        Asset(path: "/dashboard", contentType: "text/html; charset=utf-8", bytes: PackageResources.dashboard_html),
        Asset(
            path: "/dashboard/dashboard.js", contentType: "text/javascript; charset=utf-8",
            bytes: PackageResources.dashboard_js),
        Asset(
            path: "/dashboard/dashboard.css", contentType: "text/css; charset=utf-8",
            bytes: PackageResources.dashboard_css),
    ]

    /// Same-origin scripts, styles and API calls only; no inline code, no framing, and no form submission, so
    /// a token typed into the login form can never be sent in a query string.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }

    func register(on router: Router<APIRequestContext>) {
        for asset in Self.assets {
            let headers = Self.headers(contentType: asset.contentType)
            let body = ByteBuffer(bytes: asset.bytes)
            router.get(RouterPath(asset.path)) { _, _ in
                Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
            }
        }
    }
}
