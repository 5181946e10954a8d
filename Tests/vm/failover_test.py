#!/usr/bin/env python3
"""ACTIVE_STANDBY failover on real amphora VMs (issue 8, acceptance 1, 2 and 5), against a running `make demo`.

1. Creates `ha-lb` (flavor active-standby) with an HTTP listener and web1/web2, in one graph call.
2. MASTER destroyed (virsh destroy = virDomainDestroy) while a client inside the lab sends a GET every 50 ms:
   prints the time until the VIP answers again (bar 2 s), the failed requests (bar < 2 % of the window, none after
   the takeover), the time until housekeeping rebuilt the pair (bar 60 s); checks the LB ends ACTIVE with a MASTER
   and a BACKUP, the same VIP and growing statistics.
3. The same with the BACKUP (the amphora not holding the VIP) destroyed: no failed request at all.
4. Failover API: `PUT /loadbalancers/{id}/failover` on ha-lb and on test-lb (SINGLE), and
   `PUT /octavia/amphorae/{id}/failover` on one ha-lb amphora and on test-lb's: each ends ACTIVE with new
   amphorae, and test-lb's VIP serves web1 and web2 afterwards.
`--runs N --bench` repeats step 2 and 3 and prints medians (make bench-failover). Exit status 0 only if all hold.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import API, Checks, Client, fail, graph_lb, lab, median, outage, vip_holder, virsh  # noqa: E402

check = Checks("failover test")


def create_ha_lb(api, name):
    status, body = api.call("POST", "/v2/lbaas/loadbalancers", graph_lb(name, flavor_id="active-standby"))
    if status != 201:
        fail(f"create {name}: {status} {body}")
    lb = body["loadbalancer"]
    started = time.monotonic()
    api.wait_active(lb["id"], amphorae=2)
    print(f"  {name} ({lb['id']}) ACTIVE with two amphorae in {time.monotonic() - started:.1f} s, VIP {lb['vip_address']}")
    return lb


def destroy_and_measure(api, lb, which):
    """Destroys the VIP holder (`which` = master) or the other one (backup); returns the measurements."""
    live = api.live_amphorae(lb["id"])
    holder = vip_holder(lb["vip_address"], live)
    if holder is None:
        fail("no amphora holds the VIP")
    victim = holder if which == "master" else next(a for a in live if a["id"] != holder["id"])
    stats_before = api.stats(lb["id"])["total_connections"]
    client = Client(lb["vip_address"], interval=0.05, duration=12.0)
    time.sleep(3.0)
    destroyed_at = time.monotonic()
    virsh("destroy", victim["compute_id"])
    print(f"  destroyed the {which.upper()} {victim['id']} (role {victim['role']}, {victim['compute_id']})")
    try:
        results = client.results(timeout=60)
    finally:
        client.stop()
    rebuilt_at = api.wait_active(lb["id"], timeout=180, amphorae=2, exclude={victim["id"]})
    takeover, failed = outage(results, destroyed_at)
    window = [r for r in results]
    after_takeover = [r for r in results if r[0] > destroyed_at + takeover]
    measured = {
        "takeover": takeover, "failed": failed, "requests": len(window),
        "failed_after_takeover": sum(1 for r in after_takeover if not r[2]),
        "rebuild": rebuilt_at - destroyed_at,
    }
    print(f"  VIP answered again after {takeover:.2f} s; {failed} of {len(window)} requests failed "
          f"({100.0 * failed / max(1, len(window)):.1f} %); pair rebuilt after {measured['rebuild']:.1f} s")
    live = api.live_amphorae(lb["id"])
    check(api.lb(lb["id"])["provisioning_status"] == "ACTIVE", "LB ACTIVE")
    check(sorted(a["role"] for a in live) == ["BACKUP", "MASTER"], "one MASTER and one BACKUP amphora")
    check(all(a["status"] == "ALLOCATED" for a in live), "both amphorae ALLOCATED")
    check(api.lb(lb["id"])["vip_address"] == lb["vip_address"], "VIP unchanged")
    for _ in range(20):
        if api.stats(lb["id"])["total_connections"] > stats_before:
            break
        time.sleep(1)
    check(api.stats(lb["id"])["total_connections"] > stats_before, "statistics continue across the failover")
    return measured


def wait_spare(api, timeout=120):
    """A READY spare (the demo keeps FULCRUM_SPARE_POOL of them), or None when the pool is disabled."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spares = [a for a in api.get("/v2/octavia/amphorae")["amphorae"]
                  if a["status"] == "READY" and not a.get("loadbalancer_id")]
        if spares:
            return spares[0]
        if os.environ.get("FULCRUM_SPARE_POOL", "0") == "0":
            return None
        time.sleep(1)
    fail(f"no READY spare within {timeout} s")


def failover_api(api, lb_id, amphora_count):
    before = {a["id"] for a in api.live_amphorae(lb_id)}
    status, body = api.call("PUT", f"/v2/lbaas/loadbalancers/{lb_id}/failover")
    check(status == 202, f"PUT loadbalancers/{lb_id}/failover → 202 ({status})")
    started = time.monotonic()
    api.wait_active(lb_id, timeout=300, amphorae=amphora_count, exclude=before)
    check(True, f"load-balancer failover ACTIVE with {amphora_count} new amphorae in {time.monotonic() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--bench", action="store_true", help="print medians only; skip the failover-API phase")
    args = parser.parse_args()
    api = API()
    lb = create_ha_lb(api, "ha-lb")
    masters, backups = [], []
    for run in range(args.runs):
        print(f"\nrun {run + 1}: MASTER destroyed")
        m = destroy_and_measure(api, lb, "master")
        check(m["takeover"] <= 2.0, f"VIP takeover {m['takeover']:.2f} s ≤ 2 s")
        check(m["failed"] < 0.02 * m["requests"], f"failed requests {m['failed']} < 2 % of {m['requests']}")
        check(m["failed_after_takeover"] == 0, "no failed request after the takeover")
        check(m["rebuild"] <= 60.0, f"pair rebuilt in {m['rebuild']:.1f} s ≤ 60 s")
        masters.append(m)
        print(f"\nrun {run + 1}: BACKUP destroyed")
        b = destroy_and_measure(api, lb, "backup")
        check(b["failed"] == 0, f"no client-visible failure ({b['failed']} failed of {b['requests']})")
        check(b["rebuild"] <= 60.0, f"pair rebuilt in {b['rebuild']:.1f} s ≤ 60 s")
        backups.append(b)
    print("\nfailover summary (median of %d): VIP takeover %.2f s, failed requests %s, MASTER rebuild %.1f s, "
          "BACKUP rebuild %.1f s" % (
              args.runs, median([m["takeover"] for m in masters]), [m["failed"] for m in masters],
              median([m["rebuild"] for m in masters]), median([b["rebuild"] for b in backups])))
    if not args.bench:
        print("\nfailover API")
        failover_api(api, lb["id"], 2)
        amphora = api.live_amphorae(lb["id"])[0]
        status, _ = api.call("PUT", f"/v2/octavia/amphorae/{amphora['id']}/failover")
        check(status == 202, f"PUT octavia/amphorae/{amphora['id']}/failover → 202 ({status})")
        api.wait_active(lb["id"], timeout=300, amphorae=2, exclude={amphora["id"]})
        check(True, "amphora failover ACTIVE with a replacement")
        single = next(x for x in api.get("/v2/lbaas/loadbalancers?name=test-lb")["loadbalancers"])
        spare = wait_spare(api)
        failover_api(api, single["id"], 1)
        replacement = api.live_amphorae(single["id"])[0]
        if spare is not None:
            check(replacement["id"] == spare["id"], f"the STANDALONE replacement is the READY spare {spare['id']}")
        status, _ = api.call("PUT", f"/v2/octavia/amphorae/{replacement['id']}/failover")
        check(status == 202, f"PUT octavia/amphorae/{replacement['id']}/failover (SINGLE) → 202 ({status})")
        api.wait_active(single["id"], timeout=300, amphorae=1, exclude={replacement["id"]})
        check(True, "STANDALONE amphora failover ACTIVE with a replacement")
        answers = [lab("curl", "-s", "--max-time", "5", f"http://{single['vip_address']}/", check=False).stdout.strip()
                   for _ in range(4)]
        check(sorted(answers) == ["web1", "web1", "web2", "web2"],
              f"test-lb's VIP serves web1 and web2 after the failover: {answers}")
        status, _ = api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb['id']}?cascade=true")
        check(status == 204, "ha-lb deleted")
    check.finish()


if __name__ == "__main__":
    main()
