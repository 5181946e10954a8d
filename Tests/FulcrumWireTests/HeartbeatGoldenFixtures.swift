import FoundationEssentials

/// Datagrams produced at authoring time by Octavia's own algorithm
/// (`octavia/amphorae/backends/health_daemon/status_message.py` `wrap_envelope`: `zlib.compress(json.dumps(msg)
/// .encode("utf-8"), 9)` + `hmac.new(key, payload, sha256).hexdigest()`, or `.digest()` for the legacy form)
/// with CPython 3.11 and zlib 1.2.13, the message dicts built in `health_daemon.build_stats_message`'s insertion
/// order. Key: `insecure-heartbeat-key`. The generator script is kept in `Tests/FulcrumWireTests/golden.py`.
enum HeartbeatGoldenFixtures {
    static let key = "insecure-heartbeat-key"

    static let octaviaHex = decode(
        "eNqdkU1PwzAMhv9KlTOW8p1mZ+A0bbtMnNPEFRNbC21BSFP/O067LyEOEz4ktvXmzRPnyHaJLQoWXBQoawWcAnReyrzwawj2ULAeP0huHaX7XT9gg11PjSPjFQ8CbQQbHIJOyoOvTQmqEkFGkTiSQRb2Qxg+8xm23jytJk/qzCbDN23G0mXU7nIh5JTHtmmyRFM+tMO59FRiNyHxcaTC1Rpl8gFEVBVoNDWUwVbgI0/T+wLXvyiet8vlHxQXgtvrDZ/RbhCEVNpYV3ou5JXGjRPOe9vuZ88ok0JdGyAaBzqWCTzyGmg4lYo6GeR28Y8ZbjeZ/YCH6vwR4hQgKUArpaDUWoO5xGRyOnmHWmb14/pldadeZX3TFvEV4xubB/GFHXXV+APrBZ6FOTQ2ZWFhZmM4ZTAzZjQ2ZWZkOGQzYjM2ZDRlZjlkNGNiMDFiY2MzNTA4MTQ5ODhlZTFmNmFjNWM2ZDRhOWJmMw=="
    )

    static let octaviaLegacyRaw = decode(
        "eNqdkU1PwzAMhv9KlTOW8p1mZ+A0bbtMnNPEFRNbC21BSFP/O067LyEOEz4ktvXmzRPnyHaJLQoWXBQoawWcAnReyrzwawj2ULAeP0huHaX7XT9gg11PjSPjFQ8CbQQbHIJOyoOvTQmqEkFGkTiSQRb2Qxg+8xm23jytJk/qzCbDN23G0mXU7nIh5JTHtmmyRFM+tMO59FRiNyHxcaTC1Rpl8gFEVBVoNDWUwVbgI0/T+wLXvyiet8vlHxQXgtvrDZ/RbhCEVNpYV3ou5JXGjRPOe9vuZ88ok0JdGyAaBzqWCTzyGmg4lYo6GeR28Y8ZbjeZ/YCH6vwR4hQgKUArpaDUWoO5xGRyOnmHWmb14/pldadeZX3TFvEV4xubB/GFHXXV+APrBZ6FlG6q/I4D9G79jTs21O+dTLAbzDUIFJiO4fasXG1Km/M="
    )

    static let fulcrumHex = decode(
        "eNqdkk1PwzAMhv/KlDOW8uGkKWfgNG27TBxRmrhiYmuhLQhp2n/HafclxGHCh9S23rx54nQvNkncz0QooiJdG5AcgHnxeZGXUOJuJnr6YLnznG43/UANdT039kJWMihyEVwoCDCZEsraejCVCjqqJIkNsrAfwvCZ94jl6nExenJnMhm++WMdH8btLhdKj3lsmyZLkPOhHU5lySV1I5I8HLgoaiSdygAqmgqQbA0+uArKKNN4vyDxF8XTej7/g+JMcH28lRPaFYLSBq0rfCmVvtAUhxHnvW23k2fUyRDWFpimAIw+QUmyBh5OZSImS9Ld/2OG61Vm39GuOj2EOgZoDkBjDHhEBHuO0eS48wa1zuqH5fPiRr3J+qadxVeKb2IaxBd13DWcVW07vEz/XC1JJR0NVBgsYOk8+KJw4KxFdtZaKSkOP9bvqucyZDE4NzYxODhkOTE1ZTY0OWVlNmE5ZmI2ZjVkZmJiZjczZTM1ZDIyMGUyYzEwNGNlNDAwMmI2YzZlNmNmMDll"
    )

    private static func decode(_ base64: String) -> [UInt8] {
        Array(Data(base64Encoded: base64)!)
    }
}
