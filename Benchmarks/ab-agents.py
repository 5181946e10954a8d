#!/usr/bin/env python3
"""Two amphora-agent builds against each other (not against HAProxy): the same nginx members and agent config as
bench-engine.py, each build started in turn (A B / B A), one warm-up and one measured wrk run of HTTP keep-alive
with 64 connections per round; prints req/s and CPU µs per request per run and the medians. Every process it
starts is stopped by PID. Usage (after `make bench-engine` and a plain release build into .build-release):

    python3 Benchmarks/ab-agents.py .build-release/release/amphora-agent \\
        .build-release-unchecked/release/amphora-agent

Environment: ROUNDS (default 6), DURATION (wrk, default 5s).
"""
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_engine", os.path.join(HERE, "bench-engine.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def main():
    if len(sys.argv) != 3 or not all(os.path.exists(path) for path in sys.argv[1:]):
        raise SystemExit(__doc__)
    bench.ensure_packages()
    agents = {"A": sys.argv[1], "B": sys.argv[2]}
    rounds = int(os.environ.get("ROUNDS", "6"))
    work = tempfile.mkdtemp(prefix="fulcrum-ab-")
    bench.configs(work)
    port = bench.PORTS["engine-http"]
    results = {name: [] for name in agents}
    nginx = subprocess.Popen(["nginx", "-p", work, "-c", f"{work}/nginx.conf"], stderr=subprocess.DEVNULL)
    try:
        for port_ in (8081, 8082):
            bench.wait_port(port_)
        for round_ in range(rounds):
            for name in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                agent = subprocess.Popen([agents[name], "--config", f"{work}/agent.json", "--log-level", "warning"])
                try:
                    bench.wait_port(port)
                    bench.wrk(f"http://127.0.0.1:{port}/", 64)  # warm-up
                    before = bench.cpu_ticks(agent.pid)
                    run = bench.wrk(f"http://127.0.0.1:{port}/", 64)
                    cpu = (bench.cpu_ticks(agent.pid) - before) / bench.CLK_TCK * 1e6 / max(run["requests"], 1)
                    results[name].append((run["rps"], cpu))
                    print(f"{name} round {round_ + 1}: {run['rps']:9.0f} req/s  {cpu:6.1f} us/req  "
                          f"errors {run['errors']}", flush=True)
                finally:
                    agent.terminate()
                    agent.wait(timeout=10)
                time.sleep(0.5)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    for name, rows in results.items():
        print(f"{name} {agents[name]}: median {statistics.median(r for r, _ in rows):.0f} req/s, "
              f"{statistics.median(c for _, c in rows):.1f} us/req")


if __name__ == "__main__":
    main()
