#!/usr/bin/env python3
"""A lab member's HTTPS server (etc/lab member-add): answers "NAME\n" on every path over TLS with a self-signed
certificate; `/slow?seconds=N` (N ≤ 10) answers after N seconds, to hold a connection open (LEAST_CONNECTIONS).

    member-https.py NAME CERT KEY [PORT]
"""
import http.server
import ssl
import sys
import time
import urllib.parse


def main():
    name, cert, key = sys.argv[1:4]
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 443
    body = f"{name}\n".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/slow":
                seconds = urllib.parse.parse_qs(url.query).get("seconds", ["3"])[0]
                time.sleep(min(10.0, max(0.0, float(seconds))))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
