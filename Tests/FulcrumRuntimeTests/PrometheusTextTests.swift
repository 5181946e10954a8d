import CoreMetrics
import FulcrumTestSupport
import Prometheus
import Testing

/// The strict exposition-format checker every `/metrics` test relies on: it must accept what Prometheus accepts
/// and refuse the mistakes a hand-written exposition makes.
@Suite("Prometheus text checker")
struct PrometheusTextTests {
    @Test("a well-formed exposition parses, with histogram samples grouped under their family")
    func accepts() throws {
        let text = """
            # HELP fulcrum_x_total Things, with a \\\\ and a \\n in the help.
            # TYPE fulcrum_x_total counter
            fulcrum_x_total{kind="a",note="say \\"hi\\"\\n"} 3
            fulcrum_x_total{kind="b",} 0 1700000000000
            # A free comment.
            # TYPE fulcrum_up gauge
            fulcrum_up 1.5e0

            # TYPE fulcrum_d_seconds histogram
            fulcrum_d_seconds_bucket{le="0.1"} 1
            fulcrum_d_seconds_bucket{le="+Inf"} 2
            fulcrum_d_seconds_sum 0.35
            fulcrum_d_seconds_count 2
            untyped_thing NaN

            """
        let parsed = try PrometheusText(parsing: text)
        #expect(parsed.families.map(\.name) == ["fulcrum_x_total", "fulcrum_up", "fulcrum_d_seconds", "untyped_thing"])
        #expect(parsed.family("fulcrum_x_total")?.help == "Things, with a \\ and a \n in the help.")
        #expect(parsed.value("fulcrum_x_total", ["kind": "a", "note": "say \"hi\"\n"]) == 3)
        #expect(parsed.value("fulcrum_up") == 1.5)
        #expect(parsed.family("fulcrum_d_seconds")?.samples.count == 4)
        #expect(parsed.sum("fulcrum_x_total") == 3)
        #expect(parsed.family("untyped_thing")?.type == "untyped")
    }

    @Test(
        "format violations are refused",
        arguments: [
            "fulcrum_x 1",  // no final newline
            "9bad_name 1\n",
            "fulcrum_x{9a=\"1\"} 1\n",
            "fulcrum_x{a=\"1\",a=\"2\"} 1\n",
            "fulcrum_x{__name__=\"1\"} 1\n",
            "fulcrum_x{a=1} 1\n",
            "fulcrum_x{a=\"\\t\"} 1\n",
            "fulcrum_x{a=\"1\" 1\n",
            "fulcrum_x one\n",
            "fulcrum_x 1 soon\n",
            "fulcrum_x 1 2 3\n",
            "fulcrum_x1\n",
            "fulcrum_x 1\nfulcrum_x 2\n",
            "# TYPE fulcrum_x counter\n# TYPE fulcrum_x gauge\nfulcrum_x 1\n",
            "# TYPE fulcrum_x meter\n",
            "fulcrum_x 1\n# TYPE fulcrum_x gauge\n",
            "fulcrum_x 1\nfulcrum_y 1\nfulcrum_x{a=\"b\"} 1\n",
            "# TYPE fulcrum_x counter\nfulcrum_x -1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n",
            "# TYPE h histogram\nh_bucket 1\n",
        ])
    func refuses(text: String) {
        #expect(throws: PrometheusTextError.self) { try PrometheusText(parsing: text) }
    }

    @Test("swift-prometheus's own output (what every daemon's MetricsServer serves) passes")
    func registryOutput() throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "fulcrum_test_total", dimensions: [("kind", "a\"b")], factory: factory).increment(by: 2)
        CoreMetrics.Timer(label: "fulcrum_test_duration_seconds", dimensions: [("flow", "x")], factory: factory)
            .recordMilliseconds(30)
        Gauge(label: "fulcrum_test_depth", dimensions: [("state", "queued")], factory: factory).record(4)
        Meter(label: "fulcrum_test_in_flight", factory: factory).increment()
        let parsed = try PrometheusText(parsing: String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(parsed.value("fulcrum_test_total", ["kind": "a\"b"]) == 2)
        #expect(parsed.value("fulcrum_test_duration_seconds_count", ["flow": "x"]) == 1)
        #expect(parsed.value("fulcrum_test_depth", ["state": "queued"]) == 4)
        #expect(parsed.value("fulcrum_test_in_flight") == 1)
    }
}
