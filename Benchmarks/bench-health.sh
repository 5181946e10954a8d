#!/usr/bin/env bash
# make bench-health: a real fulcrum-health-manager (release build) on 127.0.0.1 receives heartbeats from
# simulated amphorae at rising rates; prints sent/accepted/dropped per step and SQLite transactions per second.
# Loopback only, every loop bounded (rates x step seconds), the manager stopped by PID.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
AMPHORAE=${AMPHORAE:-500}
RATES=${RATES:-"2000 5000 10000 15000 20000"}
STEP_SECONDS=${STEP_SECONDS:-5}
KEY=bench-heartbeat-key-0123456789
BIN=.build/release
work=$(mktemp -d /tmp/fulcrum-bench-health.XXXXXX)
manager=""
cleanup() {
    if [ -n "$manager" ] && kill -0 "$manager" 2>/dev/null; then kill -TERM "$manager"; wait "$manager" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "seeding $AMPHORAE amphorae (each: LB, listener, pool, 2 members) ..."
cat > "$work/fulcrum.yaml" <<YAML
database:
  path: $work/fulcrum.db
health_manager:
  bind_addresses: ["127.0.0.1:0"]
  heartbeat_key: $KEY
  heartbeat_timeout_seconds: 60
  heartbeat_interval_seconds: 10
  flush_interval_ms: 100
  metrics_address: "127.0.0.1:0"
YAML
"$BIN/fulcrum" db upgrade --config "$work/fulcrum.yaml" >/dev/null
"$BIN/fulcrum-bench" health --db "$work/fulcrum.db" --amphorae "$AMPHORAE" --seed-only

"$BIN/fulcrum-health-manager" --config "$work/fulcrum.yaml" 2> "$work/manager.log" &
manager=$!
for _ in $(seq 1 100); do grep -q "serving metrics" "$work/manager.log" && break; sleep 0.1; done
udp=$(grep "listening for heartbeats" "$work/manager.log" | sed -E 's/.*address=127\.0\.0\.1:([0-9]+).*/\1/' | head -1)
metrics=$(grep "serving metrics" "$work/manager.log" | sed -E 's/.*address=127\.0\.0\.1:([0-9]+).*/\1/' | head -1)
echo "health manager pid $manager, udp port $udp, metrics port $metrics"
# shellcheck disable=SC2086
"$BIN/fulcrum-bench" health --db "$work/fulcrum.db" --amphorae "$AMPHORAE" --key "$KEY" --udp-port "$udp" \
    --metrics-port "$metrics" --rates $RATES --step-seconds "$STEP_SECONDS"
echo "manager peak RSS: $(grep VmHWM /proc/$manager/status | awk '{print $2, $3}')"
