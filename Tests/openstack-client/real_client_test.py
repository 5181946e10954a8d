#!/usr/bin/env python3
"""Acceptance test against a real fulcrum-api process on 127.0.0.1 with a temp SQLite database.

Phase 1 (always): the HTTP requests the OpenStack client makes, sent with urllib.
Phase 2: the real `openstack loadbalancer ...` commands (python-openstackclient + python-octaviaclient), when
`--openstack PATH` names the client; `fulcrum-queue-probe complete-all` stands in for the worker between steps.
Every loop is bounded; the server is stopped by its PID. Exit status 0 only if every check passed.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ADMIN_TOKEN = "real-client-admin-token"
CHECKS = {"passed": 0, "failed": 0}


def check(condition, what):
    if condition:
        CHECKS["passed"] += 1
        print(f"  ok   {what}")
    else:
        CHECKS["failed"] += 1
        print(f"  FAIL {what}")
    return condition


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, bin_dir, workdir, subnet=("198.51.100.0/24", "198.51.100.1", "198.51.100.10", "198.51.100.250")):
        cidr, gateway, first, last = subnet
        self.bin_dir = bin_dir
        self.workdir = workdir
        self.port = free_port()
        self.db = os.path.join(workdir, "fulcrum.db")
        self.config = os.path.join(workdir, "fulcrum.yaml")
        with open(self.config, "w") as f:
            f.write(
                f"""database:
  path: {self.db}
api:
  host: 127.0.0.1
  port: {self.port}
  metrics_address: ""
auth:
  strategy: token
  admin_token: {ADMIN_TOKEN}
subnets:
  names: [private-subnet]
  private-subnet:
    cidr: {cidr}
    gateway: {gateway}
    allocation_start: {first}
    allocation_end: {last}
    bridge: fulcrum-private
"""
            )
        self.process = None
        self.log = open(os.path.join(workdir, "fulcrum-api.log"), "w")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def run_tool(self, *args):
        return subprocess.run(
            [os.path.join(self.bin_dir, args[0]), *args[1:]], capture_output=True, text=True, timeout=60
        )

    def start(self):
        upgrade = self.run_tool("fulcrum", "db", "upgrade", "--config", self.config)
        if upgrade.returncode != 0:
            raise RuntimeError(f"db upgrade failed: {upgrade.stderr}")
        self.process = subprocess.Popen(
            [os.path.join(self.bin_dir, "fulcrum-api"), "--config", self.config],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        for _ in range(300):  # at most 30 s
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.process.poll() is not None:
                raise RuntimeError("fulcrum-api exited early; see its log")
            time.sleep(0.1)
        raise RuntimeError("fulcrum-api did not answer within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()

    def complete_all(self):
        result = self.run_tool("fulcrum-queue-probe", "complete-all", "--db", self.db)
        if result.returncode != 0:
            raise RuntimeError(f"complete-all failed: {result.stderr}")

    def token(self, project, role):
        result = self.run_tool("fulcrum", "token-create", "--config", self.config, "--project", project, "--role", role)
        if result.returncode != 0:
            raise RuntimeError(f"token-create failed: {result.stderr}")
        return result.stdout.strip()

    def call(self, method, path, token=ADMIN_TOKEN, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if token:
            request.add_header("X-Auth-Token", token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text else None)


def wire_phase(server):
    print("phase 1: the client's HTTP requests against the real server")
    status, versions = server.call("GET", "/", token=None)
    check(status == 200 and versions["versions"][-1]["id"] == "v2.30", "GET / version document, v2.30 CURRENT")
    check(server.call("GET", "/v2/lbaas/loadbalancers", token=None)[0] == 401, "no token → 401")
    check(server.call("GET", "/v2/lbaas/loadbalancers", token="wrong")[0] == 401, "unknown token → 401")
    status, subnets = server.call("GET", "/v2.0/subnets")
    check(status == 200 and [s["name"] for s in subnets["subnets"]] == ["private-subnet"], "GET /v2.0/subnets")
    status, _ = server.call("GET", "/v3/projects/project-a")
    check(status == 403, "identity look-up → 403 (client falls back to the id)")
    member = server.token("project-a", "member")
    observer = server.token("project-a", "observer")
    other = server.token("project-b", "member")
    status, body = server.call(
        "POST", "/v2.0/lbaas/loadbalancers", member, {"loadbalancer": {"name": "wire-lb", "vip_subnet_id": "private-subnet"}}
    )
    check(status == 201 and body["loadbalancer"]["provisioning_status"] == "PENDING_CREATE", "POST LB → 201 PENDING_CREATE")
    lb = body["loadbalancer"]["id"]
    check(server.call("PUT", f"/v2/lbaas/loadbalancers/{lb}", member, {"loadbalancer": {"name": "x"}})[0] == 409, "PUT while PENDING → 409")
    server.complete_all()
    status, body = server.call("GET", f"/v2/lbaas/loadbalancers/{lb}", member)
    check(status == 200 and body["loadbalancer"]["provisioning_status"] == "ACTIVE", "worker stand-in → ACTIVE")
    check(server.call("GET", f"/v2/lbaas/loadbalancers/{lb}", other)[0] == 404, "other project → 404")
    check(server.call("DELETE", f"/v2/lbaas/loadbalancers/{lb}", observer)[0] == 403, "observer write → 403")
    check(server.call("DELETE", f"/v2/lbaas/loadbalancers/{lb}", member)[0] == 204, "DELETE → 204")
    server.complete_all()
    check(server.call("GET", f"/v2/lbaas/loadbalancers/{lb}", member)[0] == 404, "deleted LB → 404")


def openstack_phase(server, openstack):
    print("phase 2: the real openstack client")
    base = [openstack, "--os-auth-type", "admin_token", "--os-token", ADMIN_TOKEN, "--os-endpoint", server.url]

    def run(*args, want_json=True):
        command = base + list(args) + (["-f", "json"] if want_json else [])
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        shown = " ".join(args)
        if result.returncode != 0:
            check(False, f"openstack {shown}: exit {result.returncode}: {result.stderr.strip()[-400:]}")
            return None
        check(True, f"openstack {shown}")
        return json.loads(result.stdout) if want_json and result.stdout.strip() else result.stdout

    lb = run("loadbalancer", "create", "--name", "test-lb", "--vip-subnet-id", "private-subnet")
    if lb is None:
        return
    check(lb["provisioning_status"] == "PENDING_CREATE", "created LB is PENDING_CREATE")
    check(lb["vip_address"] == "198.51.100.10", "VIP allocated on private-subnet")
    server.complete_all()
    shown = run("loadbalancer", "show", "test-lb")
    check(shown and shown["provisioning_status"] == "ACTIVE", "loadbalancer show: ACTIVE")
    listener = run("loadbalancer", "listener", "create", "--name", "l1", "--protocol", "HTTP", "--protocol-port", "80", "test-lb")
    server.complete_all()
    pool = run("loadbalancer", "pool", "create", "--name", "p1", "--protocol", "HTTP", "--lb-algorithm", "ROUND_ROBIN", "--listener", "l1")
    server.complete_all()
    member = run("loadbalancer", "member", "create", "--address", "198.51.100.20", "--protocol-port", "8080", "p1")
    server.complete_all()
    monitor = run("loadbalancer", "healthmonitor", "create", "--delay", "5", "--timeout", "3", "--max-retries", "2", "--type", "HTTP", "p1")
    server.complete_all()
    check(all([listener, pool, member, monitor]), "listener, pool, member, health monitor created")
    status = run("loadbalancer", "status", "show", "test-lb", want_json=False)
    if status:
        tree = json.loads(status)
        listeners = tree["loadbalancer"]["listeners"]
        check(listeners and listeners[0]["pools"][0]["members"][0]["address"] == "198.51.100.20", "status tree has the member")
    stats = run("loadbalancer", "stats", "show", "test-lb")
    check(stats is not None and "bytes_in" in stats, "stats show has bytes_in")
    listed = run("loadbalancer", "list")
    check(listed is not None and [row["name"] for row in listed] == ["test-lb"], "loadbalancer list shows test-lb")
    listeners = run("loadbalancer", "listener", "list", "--loadbalancer", "test-lb")
    check(listeners is not None and [row["name"] for row in listeners] == ["l1"], "listener list --loadbalancer")
    members = run("loadbalancer", "member", "list", "p1")
    check(members is not None and [row["address"] for row in members] == ["198.51.100.20"], "member list p1")
    run("loadbalancer", "set", "--description", "updated", "test-lb", want_json=False)
    server.complete_all()
    run("loadbalancer", "failover", "test-lb", want_json=False)
    server.complete_all()
    shown = run("loadbalancer", "show", "test-lb")
    check(shown and shown["description"] == "updated" and shown["provisioning_status"] == "ACTIVE", "set + failover")
    run("loadbalancer", "quota", "set", "--loadbalancer", "5", "project-q", want_json=False)
    quota = run("loadbalancer", "quota", "show", "project-q")
    check(quota is not None and quota.get("load_balancer", quota.get("loadbalancer")) == 5, "quota show: 5 load balancers")
    run("loadbalancer", "delete", "--cascade", "test-lb", want_json=False)
    server.complete_all()
    remaining = run("loadbalancer", "list")
    check(remaining == [], "loadbalancer list is empty after delete --cascade")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="directory with fulcrum, fulcrum-api, fulcrum-queue-probe")
    parser.add_argument("--openstack", help="path of the openstack client; phase 2 is skipped without it")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="fulcrum-real-client-")
    server = Server(os.path.abspath(args.bin), workdir)
    try:
        server.start()
        wire_phase(server)
        if args.openstack:
            openstack_phase(server, args.openstack)
        elif os.environ.get("FULCRUM_REQUIRE_OPENSTACK_CLIENT") == "1":
            check(False, "the openstack client is required (FULCRUM_REQUIRE_OPENSTACK_CLIENT=1) but not installed")
        else:
            print("phase 2 SKIPPED: the openstack client is not installed (PyPI unreachable?)")
    except Exception as error:  # noqa: BLE001 - reported as a failed check
        check(False, f"unexpected error: {error}")
    finally:
        server.stop()
        if CHECKS["failed"]:
            print(open(os.path.join(workdir, "fulcrum-api.log")).read()[-4000:])
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"real-client: {CHECKS['passed']} passed, {CHECKS['failed']} failed")
    return 1 if CHECKS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
