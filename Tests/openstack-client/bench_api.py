#!/usr/bin/env python3
"""`make bench-api`: latencies and rates of a real release fulcrum-api on 127.0.0.1 with a temp database.

1. Seeds --lbs load balancers (1,000) through the API (POST, 4 keep-alive threads) and moves them to ACTIVE with
   `fulcrum-queue-probe complete-all`, the worker stand-in of the real-client test.
2. GET /v2/lbaas/loadbalancers with wrk (--latency, --duration seconds per case): the default page (no limit:
   every load balancer, 1,000 in one response) on 1 and on 4 connections, and ?limit=50 on 4 connections.
3. POST /v2/lbaas/listeners, each on its own ACTIVE load balancer (a listener create puts its LB in
   PENDING_UPDATE), a fixed count on 1 and on 4 keep-alive threads.
4. The other cases of the earlier bench: GET one LB, PUT an LB's name, GET / unauthenticated.

Bounded: fixed counts or durations, every request and subprocess with a timeout; the server is stopped by PID.
Prints one line per case with p50, p99 (nearest rank), req/s and failures; exits 1 if any request failed.
"""
import argparse
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_client_test import ADMIN_TOKEN, Server  # noqa: E402

# RFC 2544's benchmarking range: 4,000 allocatable addresses, enough for --lbs up to 4,000 (IPAM only; no traffic).
BENCH_SUBNET = ("198.18.0.0/20", "198.18.0.1", "198.18.0.10", "198.18.15.250")
FAILED = [0]


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def report(name, latencies_ms, seconds, failures, tool):
    latencies_ms.sort()
    FAILED[0] += failures
    print(
        f"{name:<44} {len(latencies_ms):>6} req  {len(latencies_ms) / seconds:8.1f} req/s  "
        f"p50 {percentile(latencies_ms, 0.50):7.2f} ms  p99 {percentile(latencies_ms, 0.99):7.2f} ms  "
        f"failures {failures}  ({tool})",
        flush=True,
    )


class Connection:
    """One keep-alive HTTP/1.1 connection to the server (http.client), reopened if the server closed it."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, token=ADMIN_TOKEN):
        headers = {"Accept": "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read()
                return response.status, (json.loads(text) if text else None)
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def measure(name, port, count, threads, call):
    """`count` calls of `call(connection, i)` (True when the reply was the expected one) over `threads` threads,
    each with its own keep-alive connection; thread t makes calls i = t, t + threads, t + 2 * threads, …"""
    latencies = []
    failures = [0]
    lock = threading.Lock()

    def worker(first):
        connection = Connection(port)
        for i in range(first, count, threads):
            start = time.perf_counter()
            ok = call(connection, i)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                failures[0] += 0 if ok else 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=600)
    report(name, latencies, time.perf_counter() - started, failures[0], f"python http.client, {threads} thread(s)")


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(name, url, connections, duration):
    """wrk -t1/-t2 -cN -dD --latency with the admin token: p50, p99, req/s and non-2xx responses as failures."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency",
               "-H", f"X-Auth-Token: {ADMIN_TOKEN}", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    requests = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not (p50 and p99 and requests and rate):
        print(f"{name}: unexpected wrk output:\n{out}", file=sys.stderr)
        FAILED[0] += 1
        return
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    failures = (int(non2xx.group(1)) if non2xx else 0) + errors
    FAILED[0] += failures
    print(
        f"{name:<44} {int(requests.group(1)):>6} req  {float(rate.group(1)):8.1f} req/s  "
        f"p50 {to_ms(p50.group(1)):7.2f} ms  p99 {to_ms(p99.group(1)):7.2f} ms  "
        f"failures {failures}  (wrk -t{threads} -c{connections} -d{duration}s)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="directory of the release fulcrum, fulcrum-api, queue probe")
    parser.add_argument("--lbs", type=int, default=1000, help="load balancers in the store (default 1000)")
    parser.add_argument("--posts", type=int, default=300, help="listener creates per case (default 300)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk case (default 10)")
    args = parser.parse_args()
    if args.lbs < 2 * args.posts + 200:
        parser.error("--lbs must be at least 2 * --posts + 200 (each listener create and PUT needs its own LB)")
    if shutil.which("wrk") is None:
        parser.error("wrk is missing (make bench-api installs it)")
    workdir = tempfile.mkdtemp(prefix="fulcrum-bench-")
    server = Server(os.path.abspath(args.bin), workdir, subnet=BENCH_SUBNET)
    try:
        server.start()
        admin = Connection(server.port)
        status, _ = admin.call("PUT", "/v2/lbaas/quotas/bench", {"quota": {"loadbalancer": -1, "listener": -1}})
        if status != 202:
            raise RuntimeError(f"quota update answered {status}")
        print(f"fulcrum-api at {server.url}, database {server.db}", flush=True)

        ids = [None] * args.lbs
        body = {"loadbalancer": {"vip_subnet_id": "private-subnet", "project_id": "bench"}}

        def create(connection, i):
            status, reply = connection.call("POST", "/v2/lbaas/loadbalancers", body)
            if status == 201:
                ids[i] = reply["loadbalancer"]["id"]
            return status == 201

        measure(f"seed: POST loadbalancer ×{args.lbs}", server.port, args.lbs, 4, create)
        started = time.perf_counter()
        server.complete_all()
        status, listed = admin.call("GET", "/v2/lbaas/loadbalancers")
        active = sum(1 for lb in listed["loadbalancers"] if lb["provisioning_status"] == "ACTIVE")
        print(f"seed: {active} of {len(listed['loadbalancers'])} load balancers ACTIVE after complete-all "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
        if None in ids or active != args.lbs:
            raise RuntimeError("seeding failed")

        url = f"{server.url}/v2/lbaas/loadbalancers"
        wrk(f"GET loadbalancers (all {args.lbs}, no limit)", url, 1, args.duration)
        wrk(f"GET loadbalancers (all {args.lbs}, no limit)", url, 4, args.duration)
        wrk("GET loadbalancers?limit=50", url + "?limit=50", 4, args.duration)
        wrk("GET loadbalancers/{id}", f"{url}/{ids[0]}", 4, args.duration)

        def listener(offset):
            def call(connection, i):
                body = {"listener": {"loadbalancer_id": ids[offset + i], "protocol": "HTTP", "protocol_port": 80}}
                return connection.call("POST", "/v2/lbaas/listeners", body)[0] == 201

            return call

        measure("POST listener (each on its own ACTIVE LB)", server.port, args.posts, 1, listener(0))
        measure("POST listener (each on its own ACTIVE LB)", server.port, args.posts, 4, listener(args.posts))
        rest = 2 * args.posts
        measure(
            "PUT loadbalancer name", server.port, 200, 1,
            lambda c, i: c.call("PUT", f"/v2/lbaas/loadbalancers/{ids[rest + i]}", {"loadbalancer": {"name": "n"}})[0]
            == 200,
        )
        wrk("GET / (version document)", server.url + "/", 4, args.duration)
        return 1 if FAILED[0] else 0
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
