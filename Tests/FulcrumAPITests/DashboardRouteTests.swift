import FulcrumAPITypes
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Dashboard")
struct DashboardRouteTests {
    /// Status, headers and text of `GET path` without a token, as a browser asks for a page.
    struct Fetched {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
    }

    func fetch(_ api: APIClient, _ path: String, accept: String) async throws -> Fetched {
        try await api.client.execute(uri: path, method: .get, headers: [.accept: accept]) { response in
            Fetched(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    @Test("GET /dashboard is an HTML page without a token that loads the script and the style sheet")
    func page() async throws {
        try await APIHarness().run { api in
            let page = try await fetch(
                api, "/dashboard", accept: "text/html,application/xhtml+xml,application/xml;q=0.9")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.hasPrefix("<!doctype html>"))
            #expect(page.text.contains(#"<script src="/dashboard/dashboard.js" defer></script>"#))
            #expect(page.text.contains(#"<link rel="stylesheet" href="/dashboard/dashboard.css">"#))
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("form-action 'none'"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test("the script and the style sheet are served with their content types, without a token")
    func assets() async throws {
        try await APIHarness().run { api in
            let script = try await fetch(api, "/dashboard/dashboard.js", accept: "*/*")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("X-Auth-Token"))
            let style = try await fetch(api, "/dashboard/dashboard.css", accept: "text/css,*/*;q=0.1")
            #expect(style.status == .ok)
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
            #expect(style.text.contains(".badge"))
        }
    }

    @Test("the script keeps the token in sessionStorage and renders the DOM hooks the browser test checks")
    func scriptContract() async throws {
        try await APIHarness().run { api in
            let script = try await fetch(api, "/dashboard/dashboard.js", accept: "*/*").text
            #expect(script.contains("sessionStorage"))
            #expect(!script.contains("localStorage"))
            for hook in ["'data-lb-name'", "'data-operating-status'", "'data-member-address'", "'status-tree'"] {
                #expect(script.contains(hook), "dashboard.js no longer renders \(hook)")
            }
        }
    }

    @Test("the API still needs a token and JSON; the dashboard is not in the OpenAPI document")
    func apiUnchanged() async throws {
        try await APIHarness().run { api in
            #expect(try await api.get("/v2/lbaas/loadbalancers", token: nil).status == .unauthorized)
            let html = try await fetch(api, "/v2/lbaas/loadbalancers", accept: "text/html")
            #expect(html.status == .unauthorized || html.status == .notAcceptable)
            let document = try await api.get("/openapi.json", token: nil)
            let paths = try #require(document["paths"]?.objectValue)
            #expect(!paths.keys.contains { $0.contains("dashboard") })
        }
    }
}
