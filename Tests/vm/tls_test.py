#!/usr/bin/env python3
"""TERMINATED_HTTPS on a real amphora, against a running `make demo` (its worker reads TLS containers from
$STATE/certificates, the demo's `certificates.container_dir`).

Writes two containers (self-signed www.fulcrum.test and api.fulcrum.test, each NAME.pem with chain and key), creates
a TERMINATED_HTTPS listener on test-lb:8443 whose default container is named by a Barbican-style URL and whose SNI
container is `api`, with an HTTP pool of web1/web2, then from inside the lab: curl verifying each name against its
own certificate (so the amphora served the right one for the SNI name) gets web1 and web2; a listener naming a
missing container goes ERROR and can be deleted. Cleans up what it created. Every wait is bounded.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lablib import API, STATE, Checks, fail, lab, wait_status  # noqa: E402

NAMES = {"www": "www.fulcrum.test", "api": "api.fulcrum.test"}


def write_containers(directory):
    os.makedirs(directory, mode=0o700, exist_ok=True)
    for name, host in NAMES.items():
        key, cert = os.path.join(directory, f"{name}.key"), os.path.join(directory, f"{name}.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        bundle = open(cert).read() + open(key).read()
        path = os.path.join(directory, f"{name}.pem")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(bundle)
        os.unlink(key)


def create(api, path, key, body):
    status, reply = api.call("POST", path, {key: body})
    if status != 201:
        fail(f"POST {path}: {status} {reply}")
    return reply[key]


def main():
    api = API()
    check = Checks("tls test")
    lbs = [lb for lb in api.get("/v2/lbaas/loadbalancers?name=test-lb")["loadbalancers"] if lb["name"] == "test-lb"]
    if len(lbs) != 1:
        fail("the demo's test-lb is missing")
    lb = lbs[0]
    directory = os.path.join(STATE, "certificates")
    write_containers(directory)
    listener = create(api, "/v2/lbaas/listeners", "listener", {
        "name": "test-lb-tls", "loadbalancer_id": lb["id"], "protocol": "TERMINATED_HTTPS", "protocol_port": 8443,
        "default_tls_container_ref": "https://barbican.example/v1/containers/www", "sni_container_refs": ["api"]})
    wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE"}, timeout=120)
    pool = create(api, "/v2/lbaas/pools", "pool", {
        "name": "test-lb-pool-tls", "listener_id": listener["id"], "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"})
    wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE"}, timeout=120)
    for address in ("198.51.100.16", "198.51.100.17"):
        create(api, f"/v2/lbaas/pools/{pool['id']}/members", "member", {"address": address, "protocol_port": 80})
        wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE"}, timeout=120)
    status = api.get(f"/v2/lbaas/listeners/{listener['id']}")["listener"]["provisioning_status"]
    check(status == "ACTIVE", f"TERMINATED_HTTPS listener on 8443 {status}")

    vip = lb["vip_address"]
    for name, host in NAMES.items():
        answers = []
        for _ in range(4):
            out = lab("curl", "-s", "--max-time", "5", "--cacert", os.path.join(directory, f"{name}.crt"),
                      "--resolve", f"{host}:8443:{vip}", f"https://{host}:8443/", check=False)
            answers.append(out.stdout.strip() if out.returncode == 0 else f"curl exit {out.returncode}")
        check(sorted(set(answers)) == ["web1", "web2"],
              f"https://{host}:8443/ verified against its own certificate ({'default' if name == 'www' else 'SNI'}): "
              f"{answers}")
    out = lab("curl", "-s", "--max-time", "5", "--cacert", os.path.join(directory, "www.crt"),
              "--resolve", f"{NAMES['api']}:8443:{vip}", f"https://{NAMES['api']}:8443/", check=False)
    check(out.returncode != 0, f"the api name is not served the www certificate (curl exit {out.returncode})")

    broken = create(api, "/v2/lbaas/listeners", "listener", {
        "name": "test-lb-tls-broken", "loadbalancer_id": lb["id"], "protocol": "TERMINATED_HTTPS",
        "protocol_port": 8444, "default_tls_container_ref": "no-such-container"})
    final = wait_status(api, f"/v2/lbaas/listeners/{broken['id']}", "listener", {"ACTIVE", "ERROR"}, timeout=240)
    lb_status = wait_status(api, f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer", {"ACTIVE", "ERROR"}, timeout=120)
    check(final == "ERROR" and lb_status == "ACTIVE",
          f"a listener naming a missing container: listener {final}, LB {lb_status}")
    api.call("DELETE", f"/v2/lbaas/listeners/{broken['id']}")
    check(wait_status(api, f"/v2/lbaas/listeners/{broken['id']}", "listener", {"DELETED", "ERROR"}, timeout=120) == "DELETED",
          "  deleted")

    api.call("DELETE", f"/v2/lbaas/pools/{pool['id']}")
    wait_status(api, f"/v2/lbaas/pools/{pool['id']}", "pool", {"DELETED"}, timeout=120)
    api.call("DELETE", f"/v2/lbaas/listeners/{listener['id']}")
    check(wait_status(api, f"/v2/lbaas/listeners/{listener['id']}", "listener", {"DELETED"}, timeout=120) == "DELETED",
          "TLS listener and pool deleted")
    check.finish()


if __name__ == "__main__":
    main()
