#!/usr/bin/env python3
"""A flow failure injected after each step, on real amphora VMs (issue 6, acceptance 2), against a running
`make demo` whose worker was started with FULCRUM_TEST_FAULT_FILE (make test-vm sets it).

The test names one step in that file at a time (the worker reads it at every step) and checks Octavia's revert
statuses and that nothing leaked:
- loadbalancer.create, each step of a cold build (housekeeping is restarted without a spare pool and the spares are
  used up first): the LB ends ERROR, its amphorae are DELETED, no domain of theirs exists, only the VIP is still
  allocated; deleting the ERROR LB (fault file empty) frees the VIP.
- listener.create and member.create on test-lb, each step: the new object ends ERROR, its parents ACTIVE, the VIP
  still serves; the ERROR object can be deleted.
- loadbalancer.delete: the LB ends ERROR; a second delete removes it and everything it had.
The API is restarted first with one attempt per task (a retry would repeat the same fault). At the end no orphan
domain exists and the worker log shows every fault was reached. Every wait is bounded.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import (API, STATE, Checks, allocations, amphora_domains, amphora_rows, fail, lab,  # noqa: E402
                    orphans, restart_daemon, wait_api, wait_status)

FAULTS = os.environ.get("FULCRUM_TEST_FAULT_FILE", os.path.join(STATE, "faults"))
CREATE_STEPS = ["loadbalancer.id", "amphora.create.standalone", "amphora.certificate.standalone",
                "amphora.boot.standalone", "amphora.wait.standalone", "amphora.acquire.standalone", "amphorae.build",
                "amphora.configure"]
CHILD_STEPS = ["loadbalancer.id", "amphora.configure", "operating.activation"]
DELETE_STEPS = ["amphora.delete"]


def inject(step):
    with open(FAULTS, "w") as f:
        f.write(f"{step}\n" if step else "")


def injected_count():
    with open(os.path.join(STATE, "worker.log"), errors="replace") as log:
        return log.read().count("fault injected after step")


def use_up_spares(api, check):
    """Restarts housekeeping without a spare pool, waits for spare builds to end, and has every READY spare taken
    by a throw-away load balancer, so that creates boot cold."""
    restart_daemon("fulcrum-housekeeping", {"FULCRUM_HOUSEKEEPING_SPARE_POOL_SIZE": "0"})
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        spares = [a for a in api.get("/v2/octavia/amphorae")["amphorae"]
                  if not a.get("loadbalancer_id") and a["status"] not in ("DELETED", "ERROR")]
        if not any(a["status"] != "READY" for a in spares):
            break
        time.sleep(1)
    taken = []
    for spare in spares:
        status, body = api.call("POST", "/v2/lbaas/loadbalancers",
                                {"loadbalancer": {"name": f"spare-taker-{len(taken)}", "vip_subnet_id": "private-subnet"}})
        if status != 201:
            fail(f"spare taker: {status} {body}")
        taken.append(body["loadbalancer"]["id"])
    for lb_id in taken:
        api.wait_active(lb_id)
        api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb_id}?cascade=true")
    for lb_id in taken:
        wait_status(api, f"/v2/lbaas/loadbalancers/{lb_id}", "loadbalancer", {"DELETED"})
    left = [a for a in api.get("/v2/octavia/amphorae")["amphorae"]
            if not a.get("loadbalancer_id") and a["status"] not in ("DELETED", "ERROR")]
    check(not left, f"no spare left ({len(spares)} used up)")


def lb_create_faults(api, check):
    for step in CREATE_STEPS:
        inject(step)
        status, body = api.call("POST", "/v2/lbaas/loadbalancers",
                                {"loadbalancer": {"name": "fault-lb", "vip_subnet_id": "private-subnet"}})
        if status != 201:
            fail(f"create fault-lb: {status} {body}")
        lb = body["loadbalancer"]
        final = wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE", "ERROR"})
        inject(None)
        rows = {amphora: row for amphora, row in amphora_rows().items() if row[1] == lb["id"]}
        live = [amphora for amphora, row in rows.items() if row[0] != "DELETED"]
        domains = {d for d in amphora_domains() if d.removeprefix("fulcrum-amphora-") in rows}
        held = [(a[2], a[3]) for a in allocations() if a[2] in rows or a[2] == lb["id"]]
        check(final == "ERROR" and not live and not domains and held == [(lb["id"], "vip")],
              f"create, fault after {step}: LB {final}, {len(rows)} amphora rows all DELETED ({live}), "
              f"domains {sorted(domains)}, allocations {held}")
        api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb['id']}?cascade=true")
        gone = wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"DELETED", "ERROR"})
        left = [a for a in allocations() if a[2] == lb["id"]]
        check(gone == "DELETED" and not left, f"  the ERROR LB deleted, its VIP released ({left})")


def child_faults(api, check, lb, pool):
    vip = lb["vip_address"]
    for step in CHILD_STEPS:
        inject(step)
        status, body = api.call("POST", "/v2/lbaas/listeners", {"listener": {
            "name": "fault-listener", "loadbalancer_id": lb["id"], "protocol": "HTTP", "protocol_port": 8080}})
        if status != 201:
            fail(f"create fault-listener: {status} {body}")
        path = f"/v2/lbaas/listeners/{body['listener']['id']}"
        final = wait_status(api, path, "listener", {"ACTIVE", "ERROR"})
        inject(None)
        lb_status = wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE", "ERROR"}, 60)
        answer = lab("curl", "-s", "--max-time", "5", f"http://{vip}/", check=False).stdout.strip()
        check(final == "ERROR" and lb_status == "ACTIVE" and answer in ("web1", "web2"),
              f"listener create, fault after {step}: listener {final}, LB {lb_status}, VIP answers {answer!r}")
        api.call("DELETE", path)
        check(wait_status(api, path, "listener", {"DELETED", "ERROR"}, 60) == "DELETED", "  the ERROR listener deleted")

        inject(step)
        status, body = api.call("POST", f"/v2/lbaas/pools/{pool['id']}/members", {"member": {
            "name": "fault-member", "address": "198.51.100.18", "protocol_port": 80}})
        if status != 201:
            fail(f"create fault-member: {status} {body}")
        path = f"/v2/lbaas/pools/{pool['id']}/members/{body['member']['id']}"
        final = wait_status(api, path, "member", {"ACTIVE", "ERROR"})
        inject(None)
        pool_status = api.get(f"/v2/lbaas/pools/{pool['id']}")["pool"]["provisioning_status"]
        lb_status = wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE", "ERROR"}, 60)
        check(final == "ERROR" and pool_status == "ACTIVE" and lb_status == "ACTIVE",
              f"member create, fault after {step}: member {final}, pool {pool_status}, LB {lb_status}")
        api.call("DELETE", path)
        check(wait_status(api, path, "member", {"DELETED", "ERROR"}, 60) == "DELETED", "  the ERROR member deleted")


def lb_delete_faults(api, check):
    for step in DELETE_STEPS:
        status, body = api.call("POST", "/v2/lbaas/loadbalancers",
                                {"loadbalancer": {"name": "fault-delete-lb", "vip_subnet_id": "private-subnet"}})
        if status != 201:
            fail(f"create fault-delete-lb: {status} {body}")
        lb_id = body["loadbalancer"]["id"]
        api.wait_active(lb_id)
        inject(step)
        api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb_id}?cascade=true")
        final = wait_status(api, f"/v2/lbaas/loadbalancers/{lb_id}", "loadbalancer", {"DELETED", "ERROR"})
        inject(None)
        check(final == "ERROR", f"delete, fault after {step}: LB {final}")
        api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb_id}?cascade=true")
        final = wait_status(api, f"/v2/lbaas/loadbalancers/{lb_id}", "loadbalancer", {"DELETED", "ERROR"})
        rows = {amphora for amphora, row in amphora_rows().items() if row[1] == lb_id and row[0] != "DELETED"}
        left = [a for a in allocations() if a[2] == lb_id or a[2] in rows]
        check(final == "DELETED" and not rows and not left,
              f"  deleted again: LB {final}, live amphorae {sorted(rows)}, allocations {left}")


def main():
    api = API()
    check = Checks("faults test")
    if not os.path.isdir(os.path.dirname(FAULTS)):
        fail(f"no directory for {FAULTS}")
    inject(None)
    lbs = [lb for lb in api.get("/v2/lbaas/loadbalancers?name=test-lb")["loadbalancers"] if lb["name"] == "test-lb"]
    pools = [p for p in api.get("/v2/lbaas/pools?name=test-lb-pool-http")["pools"] if p["name"] == "test-lb-pool-http"]
    if len(lbs) != 1 or len(pools) != 1:
        fail("the demo's test-lb / test-lb-pool-http are missing")
    before = injected_count()
    # One attempt per task: a retry would only repeat the same injected fault (and boot another VM for nothing).
    restart_daemon("fulcrum-api", {"FULCRUM_QUEUE_MAX_ATTEMPTS": "1"}, in_lab=False)
    wait_api(api)
    try:
        use_up_spares(api, check)
        lb_create_faults(api, check)
        child_faults(api, check, lbs[0], pools[0])
        lb_delete_faults(api, check)
    finally:
        inject(None)
    expected = (len(CREATE_STEPS) + 2 * len(CHILD_STEPS) + len(DELETE_STEPS))
    reached = injected_count() - before
    check(reached >= expected, f"the worker log shows {reached} injected faults (≥ {expected}: one per case)")
    extra, missing = orphans()
    check(not extra and not missing, f"no orphan domain {extra}, no amphora without its domain {missing}")
    check.finish()


if __name__ == "__main__":
    main()
