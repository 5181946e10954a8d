#!/usr/bin/env python3
"""make bench-engine: Fulcrum's engine (amphora-agent) against HAProxy 2.6, side by side on 127.0.0.1.

Follows shared/reference/perf-method.md: nginx backends on :8081/:8082 (+ a 1 MiB file), HAProxy nbthread 1
configured like Octavia's template, the agent with one event loop and the equivalent config; wrk -t2 --latency;
targets alternated A B A B within each round; median of ROUNDS rounds; CPU us/request from /proc; peak RSS.
Every process it starts is stopped by PID. Not a test: it prints figures, it asserts nothing.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

ROUNDS = int(os.environ.get("ROUNDS", "3"))
DURATION = os.environ.get("DURATION", "5s")
AGENT = os.environ.get("AGENT", ".build-release-unchecked/release/amphora-agent")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PORTS = {"haproxy-http": 8090, "haproxy-tcp": 8091, "engine-http": 8092, "engine-tcp": 8093}


def ensure_packages():
    missing = [p for p in ("nginx", "haproxy", "wrk") if shutil.which(p if p != "nginx" else "nginx") is None
               and not os.path.exists("/usr/sbin/" + p)]
    if missing:
        print("installing:", " ".join(missing), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], check=True, env=env,
                       stdout=subprocess.DEVNULL)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def configs(work):
    os.makedirs(f"{work}/bulk", exist_ok=True)
    with open(f"{work}/bulk/1m.bin", "wb") as f:
        f.write(os.urandom(1 << 20))
    os.chmod(work, 0o755)
    write(f"{work}/nginx.conf", f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path {work}/tmp-body; proxy_temp_path {work}/tmp-proxy; fastcgi_temp_path {work}/tmp-fcgi;
  uwsgi_temp_path {work}/tmp-uwsgi; scgi_temp_path {work}/tmp-scgi;
  server {{ listen 127.0.0.1:8081; location / {{ return 200 "web1\\n"; }} location /bulk/ {{ alias {work}/bulk/; }} }}
  server {{ listen 127.0.0.1:8082; location / {{ return 200 "web2\\n"; }} location /bulk/ {{ alias {work}/bulk/; }} }}
}}
""")
    # Octavia's amphora haproxy template, reduced to what applies here; maxconn 4000 instead of 50000
    # because this machine's hard RLIMIT_NOFILE (20000) cannot hold 2 x 50000
    write(f"{work}/haproxy.cfg", f"""
global
    nbthread 1
    maxconn 4000
defaults
    retries 3
    option redispatch
    option splice-request
    option splice-response
    timeout connect 5s
    timeout client 50s
    timeout server 50s
frontend http_fe
    mode http
    option http-keep-alive
    maxconn 4000
    bind 127.0.0.1:{PORTS['haproxy-http']}
    default_backend http_be
backend http_be
    mode http
    option http-keep-alive
    http-reuse always
    balance roundrobin
    server web1 127.0.0.1:8081 weight 1
    server web2 127.0.0.1:8082 weight 1
frontend tcp_fe
    mode tcp
    maxconn 4000
    bind 127.0.0.1:{PORTS['haproxy-tcp']}
    default_backend tcp_be
backend tcp_be
    mode tcp
    balance roundrobin
    server web1 127.0.0.1:8081 weight 1
    server web2 127.0.0.1:8082 weight 1
""")
    members = [{"id": "web1", "address": "127.0.0.1", "port": 8081}, {"id": "web2", "address": "127.0.0.1", "port": 8082}]
    agent = {
        "agent": {"controllers": [], "heartbeat_key": "bench", "listener_bind_host": "127.0.0.1", "event_loops": 1},
        "amphora": {
            "generation": 1, "amphora_id": "bench", "vip": "127.0.0.1",
            "listeners": [
                {"id": "http", "protocol": "HTTP", "port": PORTS["engine-http"], "default_pool_id": "http_be"},
                {"id": "tcp", "protocol": "TCP", "port": PORTS["engine-tcp"], "default_pool_id": "tcp_be"},
            ],
            "pools": [
                {"id": "http_be", "protocol": "HTTP", "algorithm": "ROUND_ROBIN", "members": members},
                {"id": "tcp_be", "protocol": "TCP", "algorithm": "ROUND_ROBIN", "members": members},
            ],
        },
    }
    write(f"{work}/agent.json", json.dumps(agent))


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_port(port, timeout=10):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, conns, extra=()):
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{DURATION}", "--latency", *extra, url],
                         capture_output=True, text=True, timeout=120).stdout

    def find(pattern, default=None):
        m = re.search(pattern, out)
        return m.groups() if m else default

    requests = int(find(r"(\d+) requests in", ("0",))[0])
    rps = float(find(r"Requests/sec:\s+([\d.]+)", ("0",))[0])
    p99 = find(r"99%\s+([\d.]+(?:us|ms|s))")
    mib = find(r"Transfer/sec:\s+([\d.]+)(\w+)", ("0", "MB"))
    mibs = float(mib[0]) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}.get(mib[1], 1)
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = find(r"Non-2xx or 3xx responses: (\d+)")
    errors += int(non2xx[0]) if non2xx else 0
    if p99 is None or requests == 0:
        print("unexpected wrk output:\n" + out, file=sys.stderr)
        errors += 1
    return {"requests": requests, "rps": rps, "p99": to_ms(p99[0]) if p99 else float("nan"), "mibs": mibs,
            "errors": errors}


TESTS = [
    ("keep-alive 64", "http", 64, (), "/"),
    ("keep-alive 256", "http", 256, (), "/"),
    ("Connection: close 64", "http", 64, ("-H", "Connection: close"), "/"),
    ("TCP mode keep-alive 64", "tcp", 64, (), "/"),
    ("1 MiB bodies 16", "http", 16, (), "/bulk/1m.bin"),
]


def main():
    ensure_packages()
    if not os.path.exists(AGENT):
        raise SystemExit(f"{AGENT} missing: run `make bench-engine`")
    work = tempfile.mkdtemp(prefix="fulcrum-bench-")
    configs(work)
    procs = {}
    try:
        procs["nginx"] = subprocess.Popen(["nginx", "-p", work, "-c", f"{work}/nginx.conf"], stderr=subprocess.DEVNULL)
        procs["haproxy"] = subprocess.Popen(["haproxy", "-db", "-f", f"{work}/haproxy.cfg"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs["engine"] = subprocess.Popen([AGENT, "--config", f"{work}/agent.json", "--log-level", "warning"])
        for port in (8081, 8082, *PORTS.values()):
            wait_port(port)
        for target in ("haproxy", "engine"):  # warm-up
            wrk(f"http://127.0.0.1:{PORTS[target + '-http']}/", 64)
        results = {}
        for name, mode, conns, extra, path in TESTS:
            for round_ in range(ROUNDS):
                order = ("haproxy", "engine") if round_ % 2 == 0 else ("engine", "haproxy")
                for target in order:
                    pid = procs[target].pid
                    before = cpu_ticks(pid)
                    r = wrk(f"http://127.0.0.1:{PORTS[f'{target}-{mode}']}{path}", conns, extra)
                    r["cpu_us"] = (cpu_ticks(pid) - before) / CLK_TCK * 1e6 / max(r["requests"], 1)
                    results.setdefault((name, target), []).append(r)
                    print(f"{name:24} {target:8} round {round_ + 1}: {r['rps']:9.0f} req/s  p99 {r['p99']:7.2f} ms  "
                          f"{r['cpu_us']:6.1f} us/req  {r['mibs']:8.1f} MiB/s  errors {r['errors']}", flush=True)
        rss = {t: peak_rss_mib(procs[t].pid) for t in ("haproxy", "engine")}
    finally:
        for name, proc in procs.items():  # stop exactly what we started, by PID
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)

    def med(name, target, key):
        return statistics.median(r[key] for r in results[(name, target)])

    print(f"\nmedian of {ROUNDS} rounds, wrk -t2 -d{DURATION} --latency, HAProxy nbthread 1 vs engine 1 event loop")
    print("| test | engine req/s | HAProxy req/s | req/s ratio | p99 ratio | CPU µs/req engine / HAProxy | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, *_ in TESTS:
        e, h = (lambda k: med(name, "engine", k)), (lambda k: med(name, "haproxy", k))
        errors = sum(r["errors"] for t in ("engine", "haproxy") for r in results[(name, t)])
        extra = f" ({e('mibs'):.0f} vs {h('mibs'):.0f} MiB/s)" if "MiB" in name else ""
        print(f"| {name}{extra} | {e('rps'):.0f} | {h('rps'):.0f} | {e('rps') / h('rps'):.2f}× | "
              f"{e('p99') / h('p99'):.2f}× | {e('cpu_us'):.1f} / {h('cpu_us'):.1f} = {e('cpu_us') / h('cpu_us'):.2f}× "
              f"| {errors} |")
    print(f"| peak RSS MiB | {rss['engine']:.1f} | {rss['haproxy']:.1f} | {rss['engine'] / rss['haproxy']:.2f}× | | | |")


if __name__ == "__main__":
    main()
