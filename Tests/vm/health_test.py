#!/usr/bin/env python3
"""Operating status from real heartbeats (issue 7, acceptance 4), against a running `make demo`.

test-lb has an HTTP health monitor (delay 5 s, max_retries 2, max_retries_down 3 by default). web2's server is
stopped (`etc/lab member-stop web2`: the address stays, connections are refused): within a bounded wait (the time
is printed next to the issue's bound delay × max_retries_down + one heartbeat interval) the status tree shows web2
ERROR and its pool and the load balancer DEGRADED, and the VIP answers only web1; web2 is started again (`etc/lab member-add web2 198.51.100.17`): everything returns to ONLINE. Statistics
grow meanwhile. Every loop is bounded; traffic only from inside the lab.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import API, lab  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CHECKS = {"passed": 0, "failed": 0}


def check(condition, what):
    CHECKS["passed" if condition else "failed"] += 1
    print(f"  {'ok  ' if condition else 'FAIL'} {what}")
    return condition


def statuses(api, lb_id):
    tree = api.get(f"/v2/lbaas/loadbalancers/{lb_id}/status")["statuses"]["loadbalancer"]
    pool = tree["listeners"][0]["pools"][0]
    members = {m["address"]: m["operating_status"] for m in pool["members"]}
    return tree["operating_status"], pool["operating_status"], members


def wait_for(api, lb_id, want, timeout=90):
    started = time.monotonic()
    seen = None
    while time.monotonic() - started < timeout:
        seen = statuses(api, lb_id)
        if want(seen):
            return time.monotonic() - started, seen
        time.sleep(1)
    return None, seen


def main():
    api = API()
    lb = api.get("/v2/lbaas/loadbalancers?name=test-lb")["loadbalancers"][0]
    vip = lb["vip_address"]
    before = api.stats(lb["id"])["total_connections"]
    _, seen = wait_for(api, lb["id"], lambda s: s[0] == "ONLINE", timeout=60)
    check(seen[0] == "ONLINE" and set(seen[2].values()) == {"ONLINE"}, f"test-lb ONLINE with both members: {seen}")

    # A settled lab: no amphora booting (a spare refilling the pool keeps a core busy under TCG, which slowed the
    # amphora's checks to 36-38 s in test-vm against 10-12 s on a settled lab).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and any(
            a["status"] in ("PENDING_CREATE", "BOOTING") for a in api.get("/v2/octavia/amphorae")["amphorae"]):
        time.sleep(1)
    time.sleep(3)
    pool = api.get("/v2/lbaas/pools?name=test-lb-pool-http")["pools"][0]
    monitor = api.get(f"/v2/lbaas/healthmonitors/{pool['healthmonitor_id']}")["healthmonitor"]
    bound = monitor["delay"] * monitor["max_retries_down"] + 2 + 5  # demo heartbeat interval 2 s
    subprocess.run([os.path.join(ROOT, "etc", "lab"), "member-stop", "web2"], check=True, capture_output=True)
    print(f"  web2's server stopped (etc/lab member-stop web2); bound {bound} s")
    took, seen = wait_for(api, lb["id"], lambda s: s[2].get("198.51.100.17") == "ERROR" and s[1] == "DEGRADED"
                          and s[0] == "DEGRADED")
    check(took is not None, f"web2 ERROR, pool DEGRADED, LB DEGRADED after {took or 0:.0f} s: {seen}")
    # Measured, not asserted (DESIGN: no timed assertions): the bound is delay × max_retries_down + one
    # heartbeat interval; this run's figure is printed next to it (see the issue note: currently above it).
    print(f"  info web2 ERROR after {took or 0:.0f} s; bound delay × max_retries_down + heartbeat = {bound - 5} s")
    answers = {lab("curl", "-s", "--max-time", "3", f"http://{vip}/", check=False).stdout.strip() for _ in range(4)}
    check(answers == {"web1"}, f"the VIP answers only web1: {sorted(answers)}")

    subprocess.run([os.path.join(ROOT, "etc", "lab"), "member-add", "web2", "198.51.100.17"], check=True,
                   capture_output=True)
    print("  web2 started again (etc/lab member-add web2 198.51.100.17)")
    took, seen = wait_for(api, lb["id"], lambda s: s[0] == "ONLINE" and set(s[2].values()) == {"ONLINE"})
    check(took is not None, f"web2, pool and LB ONLINE again after {took or 0:.0f} s: {seen}")
    for _ in range(15):
        if api.stats(lb["id"])["total_connections"] > before:
            break
        time.sleep(1)
    check(api.stats(lb["id"])["total_connections"] > before, "statistics grew")
    print(f"\nhealth test: {CHECKS['passed']} passed, {CHECKS['failed']} failed")
    sys.exit(1 if CHECKS["failed"] else 0)


if __name__ == "__main__":
    main()
