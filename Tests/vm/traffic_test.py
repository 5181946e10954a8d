#!/usr/bin/env python3
"""Pool algorithm update and member admin-down on a real amphora (issue 6, acceptance 2), against a running
`make demo` (test-lb, HTTP listener on 80, pool test-lb-pool-http with web1/web2, ROUND_ROBIN).

Two bounded clients (at most 180 s) run inside the lab for the whole test: one keeps a single HTTP/1.1 connection and sends a GET
every 100 ms on it, the other opens a new connection for every GET (every 50 ms). Meanwhile:
1. ROUND_ROBIN → SOURCE_IP: after the LB is ACTIVE again every answer comes from one member (the clients share
   one source address); back to ROUND_ROBIN: both answer again.
2. web2 admin_state_up false: only web1 answers; true again: both answer.
Checks: no request failed on either client, the kept connection was never dropped (one local port throughout),
and each phase answered as its configuration says. Every loop is bounded in count and time.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import API, NS, Checks, fail  # noqa: E402

duration_limit = 180.0

CLIENT = r"""
import http.client, json, os, sys, time
vip, keep, interval, duration = sys.argv[1], sys.argv[2] == "keep", float(sys.argv[3]), float(sys.argv[4])
stop = sys.argv[5]
end = time.monotonic() + duration
connection = http.client.HTTPConnection(vip, 80, timeout=2) if keep else None
for _ in range(int(duration / interval) + 10):
    if time.monotonic() >= end or os.path.exists(stop):
        break
    start = time.monotonic()
    c = connection or http.client.HTTPConnection(vip, 80, timeout=2)
    try:
        c.request("GET", "/")
        response = c.getresponse()
        body = response.read().decode().strip()
        port = c.sock.getsockname()[1] if c.sock else None
        print(json.dumps([start, response.status, body, port]), flush=True)
    except Exception as error:
        print(json.dumps([start, 0, repr(error), None]), flush=True)
        c.close()
    if not keep:
        c.close()
    time.sleep(max(0.0, interval - (time.monotonic() - start)))
"""


class LabClient:
    """Runs until `stop` exists (at most `duration` s)."""

    def __init__(self, vip, keep, interval, duration, stop):
        self.process = subprocess.Popen(
            ["ip", "netns", "exec", NS, "python3", "-c", CLIENT, vip, "keep" if keep else "new", str(interval),
             str(duration), stop], stdout=subprocess.PIPE, text=True)

    def results(self):
        out, _ = self.process.communicate(timeout=duration_limit + 30)
        return [json.loads(line) for line in out.splitlines() if line.strip()]


def find(api, path, key, name):
    items = [item for item in api.get(f"{path}?name={name}")[key] if item["name"] == name]
    if len(items) != 1:
        fail(f"expected one {key} named {name}, found {len(items)}")
    return items[0]


def change(api, lb_id, path, body):
    status, answer = api.call("PUT", path, body)
    if status != 200:
        fail(f"PUT {path}: {status} {answer}")
    api.wait_active(lb_id, timeout=60)
    settled = time.monotonic() + 0.5  # the flow pushed the configuration before ACTIVE; a little margin
    time.sleep(2.5)
    return settled, time.monotonic()


def bodies(results, window):
    start, end = window
    return [r[2] for r in results if start <= r[0] < end and r[1] == 200]


def main():
    api = API()
    check = Checks("traffic test")
    lb = find(api, "/v2/lbaas/loadbalancers", "loadbalancers", "test-lb")
    pool = find(api, "/v2/lbaas/pools", "pools", "test-lb-pool-http")
    members = {m["address"]: m for m in api.get(f"/v2/lbaas/pools/{pool['id']}/members")["members"]}
    web2 = members.get("198.51.100.17") or fail("web2 is not a member of test-lb-pool-http")
    vip, lb_id = lb["vip_address"], lb["id"]
    pool_path = f"/v2/lbaas/pools/{pool['id']}"
    member_path = f"{pool_path}/members/{web2['id']}"

    stop = tempfile.mktemp(prefix="fulcrum-traffic-stop-")
    kept = LabClient(vip, keep=True, interval=0.1, duration=duration_limit, stop=stop)
    fresh = LabClient(vip, keep=False, interval=0.05, duration=duration_limit, stop=stop)
    time.sleep(2.0)
    phases = {"round robin": (time.monotonic() - 1.5, time.monotonic())}
    phases["source ip"] = change(api, lb_id, pool_path, {"pool": {"lb_algorithm": "SOURCE_IP"}})
    print("  pool algorithm ROUND_ROBIN → SOURCE_IP applied")
    phases["round robin again"] = change(api, lb_id, pool_path, {"pool": {"lb_algorithm": "ROUND_ROBIN"}})
    print("  pool algorithm SOURCE_IP → ROUND_ROBIN applied")
    phases["web2 admin down"] = change(api, lb_id, member_path, {"member": {"admin_state_up": False}})
    print("  web2 admin_state_up false applied")
    phases["web2 admin up"] = change(api, lb_id, member_path, {"member": {"admin_state_up": True}})
    print("  web2 admin_state_up true applied")
    open(stop, "w").close()
    try:
        kept_results, fresh_results = kept.results(), fresh.results()
    finally:
        os.unlink(stop)

    for name, results in (("kept connection", kept_results), ("new connection per request", fresh_results)):
        failed = [r for r in results if r[1] != 200]
        check(results and not failed, f"{name}: {len(results)} requests, {len(failed)} failed {failed[:3]}")
    ports = {r[3] for r in kept_results if r[1] == 200}
    check(len(ports) == 1, f"the kept connection was never dropped (local ports {sorted(ports)})")

    for name, window in phases.items():
        seen = bodies(fresh_results, window) + bodies(kept_results, window)
        counts = {body: seen.count(body) for body in sorted(set(seen))}
        if name == "source ip":
            check(len(counts) == 1 and len(seen) >= 5, f"{name}: one member answers every request {counts}")
        elif name == "web2 admin down":
            check(list(counts) == ["web1"] and len(seen) >= 5, f"{name}: only web1 answers {counts}")
        else:
            check(set(counts) == {"web1", "web2"} and min(counts.values()) >= 0.3 * len(seen),
                  f"{name}: web1 and web2 share the requests {counts}")
    check(api.lb(lb_id)["provisioning_status"] == "ACTIVE", "test-lb ACTIVE at the end")
    check.finish()


if __name__ == "__main__":
    main()
