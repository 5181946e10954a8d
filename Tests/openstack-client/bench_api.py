#!/usr/bin/env python3
"""`make bench-api`: request rates and latencies of a real fulcrum-api on 127.0.0.1 (temp database, release
build). Bounded: fixed request counts, a few threads, every request with a timeout. Prints one line per case."""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_client_test import ADMIN_TOKEN, Server  # noqa: E402


def measure(name, count, threads, call):
    latencies = []
    lock = threading.Lock()
    failures = [0]

    def worker(n):
        for i in range(n):
            start = time.perf_counter()
            ok = call(i)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures[0] += 1

    per_thread = count // threads
    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(per_thread,)) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=300)
    total = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
    print(
        f"{name:<34} {len(latencies):>5} requests  {len(latencies) / total:8.1f} req/s  "
        f"p50 {statistics.median(latencies) * 1000:6.2f} ms  p99 {p99 * 1000:6.2f} ms  failures {failures[0]}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="fulcrum-bench-")
    server = Server(os.path.abspath(args.bin), workdir)
    try:
        server.start()
        server.call("PUT", "/v2/lbaas/quotas/bench", body={"quota": {"loadbalancer": -1, "listener": -1}})
        body = {"loadbalancer": {"vip_subnet_id": "private-subnet", "project_id": "bench"}}
        ids = []

        def create(_):
            status, reply = server.call("POST", "/v2/lbaas/loadbalancers", body=body)
            if status == 201:
                ids.append(reply["loadbalancer"]["id"])
            return status == 201

        measure("POST loadbalancer (1 thread)", 200, 1, create)
        server.complete_all()
        measure(
            "GET loadbalancer (4 threads)", 2000, 4,
            lambda i: server.call("GET", f"/v2/lbaas/loadbalancers/{ids[i % len(ids)]}")[0] == 200,
        )
        measure(
            "GET loadbalancers?limit=50 (4 threads)", 400, 4,
            lambda i: server.call("GET", "/v2/lbaas/loadbalancers?limit=50")[0] == 200,
        )
        measure(
            "PUT loadbalancer name (1 thread)", 200, 1,
            lambda i: server.call("PUT", f"/v2/lbaas/loadbalancers/{ids[i]}", body={"loadbalancer": {"name": "n"}})[0]
            == 200,
        )
        measure("GET / unauthenticated (4 threads)", 2000, 4, lambda i: server.call("GET", "/", token=None)[0] == 200)
        return 0
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
