#!/usr/bin/env python3
"""Housekeeping's circuit breaker on real VMs (issue 8, acceptance 3), against a running `make demo`.

Restarts fulcrum-housekeeping (by its PID from the demo's pids file, inside the lab namespace) with
`max_rebuilds: 1`, creates two SINGLE load balancers, destroys both amphorae at once (virsh destroy): one rebuild
starts, the other is held and `fulcrum_housekeeping_circuit_breaker_open` is 1. Then housekeeping is restarted with
`max_rebuilds: 4` (the operator raises the threshold): the held one is rebuilt; that housekeeping keeps running
for the rest of the demo (its PID replaces the old one in the pids file). Every wait is bounded.
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import API, Checks, fail, lab, restart_daemon, virsh  # noqa: E402

check = Checks("breaker test")


def restart_housekeeping(max_rebuilds):
    """Restarts fulcrum-housekeeping (by PID, same environment) with the given circuit-breaker threshold."""
    process = restart_daemon("fulcrum-housekeeping", {
        "FULCRUM_HOUSEKEEPING_MAX_REBUILDS": str(max_rebuilds), "FULCRUM_HOUSEKEEPING_MAX_REBUILD_PERCENT": "100"})
    time.sleep(1.0)
    return process


def metric(name):
    out = lab("curl", "-s", "--max-time", "2", "http://127.0.0.1:9104/metrics", check=False).stdout
    for line in out.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.split()[-1])
    return None


def main():
    api = API()
    created = []
    for name in ("breaker-1", "breaker-2"):
        status, body = api.call("POST", "/v2/lbaas/loadbalancers",
                                {"loadbalancer": {"name": name, "vip_subnet_id": "private-subnet"}})
        if status != 201:
            fail(f"create {name}: {status} {body}")
        created.append(body["loadbalancer"]["id"])
    for lb_id in created:
        api.wait_active(lb_id, timeout=240, amphorae=1)
    process = restart_housekeeping(1)
    victims = [api.live_amphorae(lb_id)[0] for lb_id in created]
    # "At once": housekeeping is paused (SIGSTOP, by PID) while both VMs are destroyed, so one scan sees both.
    os.kill(process.pid, signal.SIGSTOP)
    try:
        for victim in victims:
            virsh("destroy", victim["compute_id"])
    finally:
        os.kill(process.pid, signal.SIGCONT)
    print(f"  destroyed {[v['id'] for v in victims]} at once; housekeeping max_rebuilds 1")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and metric("fulcrum_housekeeping_circuit_breaker_open") != 1:
        time.sleep(1)
    check(metric("fulcrum_housekeeping_circuit_breaker_open") == 1, "circuit breaker open (alert metric 1)")
    check(metric("fulcrum_housekeeping_rebuilds_held") == 1, "one rebuild held")
    # The one that started finishes; the other stays un-rebuilt while the breaker is open.
    time.sleep(20)
    rebuilt = [lb_id for lb_id, victim in zip(created, victims)
               if api.lb(lb_id)["provisioning_status"] == "ACTIVE"
               and any(a["id"] != victim["id"] and a["status"] == "ALLOCATED" for a in api.live_amphorae(lb_id))]
    check(len(rebuilt) == 1, f"exactly one load balancer rebuilt while the breaker is open ({len(rebuilt)})")
    restart_housekeeping(4)
    print("  housekeeping restarted with max_rebuilds 4")
    held = [lb_id for lb_id in created if lb_id not in rebuilt]
    started = time.monotonic()
    for lb_id, victim in zip(created, victims):
        if lb_id in held:
            api.wait_active(lb_id, timeout=120, amphorae=1, exclude={victim["id"]})
    check(True, f"the held amphora rebuilt {time.monotonic() - started:.1f} s after the threshold was raised")
    check(metric("fulcrum_housekeeping_circuit_breaker_open") == 0, "circuit breaker closed")
    for lb_id in created:
        api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb_id}?cascade=true")
    check.finish()


if __name__ == "__main__":
    main()
