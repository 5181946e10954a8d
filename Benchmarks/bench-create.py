#!/usr/bin/env python3
"""make bench-create: SINGLE load balancer POST → ACTIVE on real amphora VMs, with a spare pool vs cold boot.

Runs against a demo started with FULCRUM_SPARE_POOL=2 (make bench-create does that). Each of 5 cycles waits until
two spares are READY, creates two load balancers one after the other (each takes a spare), then a third one at
once (the pool is empty: it boots a VM), and deletes all three. Prints the median POST → ACTIVE time of the spare
path and of the cold path, measured in the same run. Loops are bounded; the API is on 127.0.0.1.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "vm"))
from lablib import API, fail, median  # noqa: E402


def ready_spares(api):
    return [a for a in api.get("/v2/octavia/amphorae")["amphorae"]
            if a["status"] == "READY" and not a.get("loadbalancer_id")]


def create(api, name):
    started = time.monotonic()
    status, body = api.call("POST", "/v2/lbaas/loadbalancers",
                            {"loadbalancer": {"name": name, "vip_subnet_id": "private-subnet"}})
    if status != 201:
        fail(f"create {name}: {status} {body}")
    lb_id = body["loadbalancer"]["id"]
    return lb_id, api.wait_active(lb_id, timeout=240) - started


def main():
    api = API()
    spare_times, cold_times = [], []
    for cycle in range(1, 6):
        deadline = time.monotonic() + 300
        while len(ready_spares(api)) < 2:
            if time.monotonic() > deadline:
                fail("the spare pool did not refill to 2 within 300 s (is FULCRUM_SPARE_POOL=2 set?)")
            time.sleep(1)
        created = []
        for index in (1, 2):
            lb_id, seconds = create(api, f"bench-{cycle}-{index}")
            created.append(lb_id)
            spare_times.append(seconds)
            print(f"cycle {cycle}: load balancer {index} (spare) ACTIVE in {seconds:.2f} s")
        lb_id, seconds = create(api, f"bench-{cycle}-3")
        created.append(lb_id)
        cold_times.append(seconds)
        print(f"cycle {cycle}: load balancer 3 (cold boot, pool empty) ACTIVE in {seconds:.2f} s")
        for lb_id in created:
            api.call("DELETE", f"/v2/lbaas/loadbalancers/{lb_id}?cascade=true")
    ratio = median(cold_times) / max(median(spare_times), 1e-9)
    print(f"\nbench-create: SINGLE POST → ACTIVE median: spare pool {median(spare_times):.2f} s "
          f"(n={len(spare_times)}), cold boot {median(cold_times):.2f} s (n={len(cold_times)}), {ratio:.1f}× faster")


if __name__ == "__main__":
    main()
