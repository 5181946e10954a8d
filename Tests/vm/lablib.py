"""Helpers for the VM-level tests and benchmarks that run against a running `make demo` (etc/demo).

Everything here talks to the demo's fulcrum-api on 127.0.0.1 and to addresses inside the lab namespace (from
inside it). Every loop is bounded in count and time.
"""
import json
import signal
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

NS = "fulcrum-lab"
STATE = os.environ.get("FULCRUM_DEMO_STATE", "/var/lib/fulcrum-demo")


def demo_env():
    env = {}
    with open(os.path.join(STATE, "env")) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            env[key] = value
    return env["FULCRUM_URL"], env["FULCRUM_TOKEN"]


class API:
    def __init__(self):
        self.url, self.token = demo_env()
        if not self.url.startswith("http://127."):
            raise SystemExit(f"refusing a non-loopback API url {self.url}")

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("X-Auth-Token", self.token)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, (json.loads(text) if text else None)

    def get(self, path):
        status, body = self.call("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body}")
        return body

    def lb(self, lb_id):
        return self.get(f"/v2/lbaas/loadbalancers/{lb_id}")["loadbalancer"]

    def amphorae(self, lb_id):
        return self.get(f"/v2/octavia/amphorae?loadbalancer_id={lb_id}")["amphorae"]

    def live_amphorae(self, lb_id):
        return [a for a in self.amphorae(lb_id) if a["status"] not in ("DELETED",)]

    def stats(self, lb_id):
        return self.get(f"/v2/lbaas/loadbalancers/{lb_id}/stats")["stats"]

    def wait_active(self, lb_id, timeout=240, amphorae=None, exclude=()):
        """Waits until the LB is ACTIVE (and, if given, has `amphorae` ALLOCATED ones, none in `exclude`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lb = self.lb(lb_id)
            if lb["provisioning_status"] == "ERROR":
                raise RuntimeError(f"load balancer {lb_id} went ERROR")
            if lb["provisioning_status"] == "ACTIVE":
                if amphorae is None:
                    return time.monotonic()
                live = [a for a in self.live_amphorae(lb_id) if a["status"] == "ALLOCATED"]
                if len(live) == amphorae and not any(a["id"] in exclude for a in live):
                    return time.monotonic()
            time.sleep(0.25)
        raise RuntimeError(f"load balancer {lb_id} not ACTIVE within {timeout} s")


def graph_lb(name, flavor_id=None):
    """The body of a one-call create of `name` with an HTTP listener on 80 and a ROUND_ROBIN pool of web1/web2."""
    lb = {"name": name, "vip_subnet_id": "private-subnet",
          "listeners": [{"name": f"{name}-http", "protocol": "HTTP", "protocol_port": 80, "default_pool": {
              "name": f"{name}-pool", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
              "members": [{"address": "198.51.100.16", "protocol_port": 80},
                          {"address": "198.51.100.17", "protocol_port": 80}]}}]}
    if flavor_id:
        lb["flavor_id"] = flavor_id
    return {"loadbalancer": lb}


def lab(*command, check=True):
    return subprocess.run(["ip", "netns", "exec", NS, *command], capture_output=True, text=True, check=check)


def virsh(*args, check=True):
    return lab("virsh", "-c", "qemu:///system", *args, check=check)


def domain_macs(domain):
    out = virsh("domiflist", domain, check=False).stdout
    return {line.split()[-1].lower() for line in out.splitlines() if line.count(":") == 5}


def vip_holder(vip, amphorae):
    """The amphora whose VIP-subnet MAC the lab's neighbour table maps the VIP to (after traffic)."""
    lab("curl", "-s", "-o", "/dev/null", "--max-time", "2", f"http://{vip}/", check=False)
    out = lab("ip", "neigh", "show", vip, check=False).stdout.split()
    mac = out[out.index("lladdr") + 1].lower() if "lladdr" in out else None
    for amphora in amphorae:
        if mac and mac in domain_macs(amphora["compute_id"]):
            return amphora
    return None


CLIENT = r"""
import json, sys, time, urllib.request
url, interval, duration, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
end = time.monotonic() + duration
n = 0
while time.monotonic() < end and n < limit:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=0.5) as r:
            ok = r.status == 200
    except Exception:
        ok = False
    print(json.dumps([start, time.monotonic(), ok]), flush=True)
    n += 1
    time.sleep(max(0.0, interval - (time.monotonic() - start)))
"""


class Client:
    """A bounded HTTP client loop inside the lab namespace: one GET every `interval` s for `duration` s."""

    def __init__(self, vip, interval=0.05, duration=30.0):
        limit = int(duration / interval) + 10
        self.process = subprocess.Popen(
            ["ip", "netns", "exec", NS, "python3", "-c", CLIENT, f"http://{vip}/", str(interval), str(duration),
             str(limit)],
            stdout=subprocess.PIPE, text=True)

    def results(self, timeout=120):
        out, _ = self.process.communicate(timeout=timeout)
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def outage(results, since):
    """(seconds from `since` until the VIP answered again after its last failure, failed count after `since`)."""
    after = [r for r in results if r[0] >= since]
    failures = [r for r in after if not r[2]]
    if not failures:
        return 0.0, 0
    last_failure = max(r[0] for r in failures)
    recovered = [r for r in after if r[2] and r[0] > last_failure]
    end = recovered[0][1] if recovered else float("inf")
    return end - since, len(failures)


def median(values):
    return statistics.median(values) if values else float("nan")


def fail(message):
    print(f"FAIL {message}")
    sys.exit(1)


class Checks:
    """Counts and prints checks; `finish` prints the summary and exits non-zero if any failed."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def __call__(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
        print(f"  {'ok  ' if condition else 'FAIL'} {what}", flush=True)
        return condition

    def finish(self):
        print(f"\n{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def daemon_pid(name):
    """The PID of the demo's daemon `name` (e.g. fulcrum-worker), from the demo's pids file."""
    for pid in open(os.path.join(STATE, "pids")).read().split():
        try:
            argv = open(f"/proc/{pid}/cmdline").read().split("\0")
        except OSError:
            continue
        if any(os.path.basename(arg) == name for arg in argv):
            return int(pid)
    return None


def process_environment(pid):
    """The environment a running process was started with (root reads /proc/PID/environ)."""
    raw = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    return dict(item.decode().partition("=")[::2] for item in raw if b"=" in item)


def start_daemon(name, environment, in_lab=True):
    """Starts the demo's daemon `name` (inside the lab namespace unless `in_lab` is false, as for fulcrum-api) with
    `environment`; records its PID."""
    binary = subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True, text=True,
                            check=True).stdout.strip() + "/" + name
    log = open(os.path.join(STATE, name.replace("fulcrum-", "") + ".log"), "a")
    command = [binary, "--config", os.path.join(STATE, "fulcrum.yaml")]
    process = subprocess.Popen((["ip", "netns", "exec", NS] if in_lab else []) + command,
                               env=environment, stderr=log, stdout=subprocess.DEVNULL)
    with open(os.path.join(STATE, "pids"), "a") as pids:
        pids.write(f" {process.pid}\n")
    return process


def stop_daemon(pid, sig=signal.SIGTERM, timeout=10.0):
    """Signals `pid`, waits (bounded) for it to go, and drops it from the demo's pids file."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
        try:
            os.waitpid(pid, os.WNOHANG)  # reaps it when this process started it
        except ChildProcessError:
            pass
        time.sleep(0.05)
    pids = [p for p in open(os.path.join(STATE, "pids")).read().split() if p != str(pid)]
    open(os.path.join(STATE, "pids"), "w").write(" ".join(pids) + "\n")


def restart_daemon(name, overrides=None, sig=signal.SIGTERM, in_lab=True):
    """Stops the demo's daemon `name` by PID (SIGTERM, or SIGKILL for a crash) and starts it again with the
    environment it had (secrets included, never on a command line) plus `overrides`."""
    pid = daemon_pid(name)
    if pid is None:
        raise RuntimeError(f"{name} is not running")
    environment = process_environment(pid)
    environment.update(overrides or {})
    stop_daemon(pid, sig)
    return start_daemon(name, environment, in_lab)


def wait_status(api, path, key, statuses, timeout=240):
    """Polls `path` (bounded) until the object's provisioning_status (DELETED for a 404) is one of `statuses`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = api.call("GET", path)
        current = "DELETED" if status == 404 else body[key]["provisioning_status"]
        if current in statuses:
            return current
        time.sleep(0.5)
    fail(f"{path} not {statuses} within {timeout} s")


def wait_api(api, seconds=10.0):
    """Waits (bounded) until a restarted fulcrum-api answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            api.get("/v2/lbaas/loadbalancers?limit=1")
            return
        except OSError:
            time.sleep(0.1)
    fail("the restarted API does not answer")


def database():
    """The demo's SQLite database, read-only."""
    import sqlite3
    return sqlite3.connect(f"file:{os.path.join(STATE, 'fulcrum.db')}?mode=ro", uri=True, timeout=10)


def allocations():
    """(subnet, address, owner, purpose) of every allocated address."""
    with database() as db:
        return db.execute("SELECT subnet_id, address, owner_id, purpose FROM ip_allocation").fetchall()


def amphora_domains():
    """Names of the amphora domains libvirt knows in the lab (running or not)."""
    out = virsh("list", "--all", "--name", check=False).stdout
    return {line.strip() for line in out.splitlines() if line.strip().startswith("fulcrum-amphora-")}


def amphora_rows():
    """id → (status, load balancer id, compute id) of every amphora row."""
    with database() as db:
        rows = db.execute("SELECT id, status, load_balancer_id, compute_id FROM amphora").fetchall()
    return {row[0]: row[1:] for row in rows}


def orphans():
    """(amphora domains without a live amphora row, ALLOCATED/READY rows without a domain). A row is live unless
    DELETED; booting rows may not have a domain yet, so only ALLOCATED and READY ones must have one."""
    domains = amphora_domains()
    rows = amphora_rows()
    live = {"fulcrum-amphora-" + amphora for amphora, row in rows.items() if row[0] != "DELETED"}
    serving = {"fulcrum-amphora-" + amphora for amphora, row in rows.items() if row[0] in ("ALLOCATED", "READY")}
    return sorted(domains - live), sorted(serving - domains)
