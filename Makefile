# Fulcrum — build, test and run. `make test` works on a fresh Debian 12 machine as root.
SHELL := /bin/bash
.DEFAULT_GOAL := build

SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev pkg-config build-essential zlib1g-dev python3-venv openssl systemd
IMPORT_CHECK := --explicit-target-dependency-import-check error
# The amphora agent's release builds (the image's and the benchmark's) drop Swift's run-time exclusivity checks:
# they cost about 7 % of the engine's CPU per proxied request (README "Engine against HAProxy"). Compile-time checks
# stay, and debug builds, so every test, keep the run-time ones.
AGENT_SWIFTFLAGS := -Xswiftc -enforce-exclusivity=unchecked
# make install: where the files go (DESTDIR for staging), and LAB=1 to enable the lab-mode drop-ins.
PREFIX ?= /usr/local
DESTDIR ?=
LAB ?= 0
# The lab (etc/lab), the libvirt adapter and the amphora image build need these as well.
LAB_PACKAGES := iproute2 iputils-ping libvirt-daemon-system libvirt-dev qemu-system-x86 busybox-static python3 curl cpio \
	kmod zstd lz4

.PHONY: deps lab-deps install-packages build test test-real-client openstack-client fuzz-api bench-api demo bench-queue \
	bench-health bench-engine bench-failover bench-create demo-down test-vm lint format clean image bench-boot lab-up lab-down dashboard-deps \
	test-dashboard install test-install

# Installs the system packages Fulcrum needs, only those missing (apt-get update runs once, only then).
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(SYSTEM_PACKAGES) $(LAB_PACKAGES)"

lab-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(LAB_PACKAGES)"

install-packages:
	@missing=""; \
	for pkg in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	else \
		echo "system packages present: $(PACKAGES)"; \
	fi

build:
	$(SWIFT) build $(IMPORT_CHECK)

# --build-tests also builds the executables, which the process tests start. The VM tier (root) boots `make image`.
test: deps image
	$(SWIFT) build --build-tests $(IMPORT_CHECK)
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory test-install
	$(MAKE) --no-print-directory test-real-client
	$(MAKE) --no-print-directory fuzz-api
	$(MAKE) --no-print-directory test-vm

# Release binaries, the amphora image (when `make image` built it), /etc/fulcrum/fulcrum.yaml (never overwritten),
# /var/lib/fulcrum and the systemd units: see etc/install.sh.
install:
	$(SWIFT) build -c release $(IMPORT_CHECK)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" LAB="$(LAB)" BIN="$$($(SWIFT) build -c release --show-bin-path)" \
		etc/install.sh

# etc/install.sh into temporary DESTDIRs with fake binaries, then `systemd-analyze verify` on the installed units.
test-install:
	@command -v systemd-analyze >/dev/null || $(MAKE) --no-print-directory install-packages PACKAGES=systemd
	Tests/install/install_test.sh

# The real-client acceptance test: a real fulcrum-api on 127.0.0.1 with a temp database, first the client's
# HTTP requests, then the real `openstack loadbalancer ...` commands when the client could be installed.
VENV := .venv-openstack
OPENSTACK := $(VENV)/bin/openstack

# Creates the virtualenv and pip-installs the OpenStack client only if it is not installed yet. An install
# that fails (registry unreachable) is reported, and test-real-client then skips only the client phase.
openstack-client:
	@if [ ! -x "$(OPENSTACK)" ]; then \
		{ [ -x "$(VENV)/bin/pip" ] || python3 -m venv "$(VENV)"; } && \
		"$(VENV)/bin/pip" install -q --retries 1 --timeout 30 python-openstackclient python-octaviaclient \
		|| echo "openstack-client: could not install python-openstackclient/python-octaviaclient"; \
	fi

test-real-client: openstack-client
	$(SWIFT) build --product fulcrum-queue-probe $(IMPORT_CHECK)
	python3 Tests/openstack-client/real_client_test.py --bin "$$($(SWIFT) build --show-bin-path)" \
		$$( [ -x "$(OPENSTACK)" ] && echo "--openstack $(OPENSTACK)" )

# The dashboard's headless-browser check needs Debian's chromium (installed only if missing).
DASHBOARD_PACKAGES := chromium

dashboard-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DASHBOARD_PACKAGES)"

# Loads URL/dashboard in headless chromium with TOKEN and checks the LB row and its status tree; e.g.
# make test-dashboard URL=http://127.0.0.1:9876 TOKEN=… LB=test-lb MEMBERS=198.51.100.16,198.51.100.17
# (OPERATING=ONLINE, SCREENSHOT=build/dashboard.png by default).
LB ?= test-lb
MEMBERS ?= 198.51.100.16,198.51.100.17
OPERATING ?= ONLINE
SCREENSHOT ?= build/dashboard.png

test-dashboard: dashboard-deps
	@[ -n "$(URL)" ] && [ -n "$(TOKEN)" ] || { echo "usage: make test-dashboard URL=http://127.0.0.1:PORT TOKEN=…"; exit 2; }
	@mkdir -p "$$(dirname "$(SCREENSHOT)")"
	@python3 Tests/dashboard/dashboard_test.py --url "$(URL)" --token "$(TOKEN)" --expect-lb "$(LB)" \
		--expect-members "$(MEMBERS)" --expect-operating "$(OPERATING)" --screenshot "$(SCREENSHOT)"

# Schemathesis fuzz of a real fulcrum-api from its /openapi.json: no generated request may get a 5xx.
# schemathesis comes from PyPI; if PyPI cannot be reached the fuzz run is reported as skipped (set
# FULCRUM_REQUIRE_FUZZ=1 to make that a failure), as the real-client test does.
fuzz-api:
	@[ -x "$(VENV)/bin/st" ] || { { [ -x "$(VENV)/bin/pip" ] || python3 -m venv "$(VENV)"; } && \
		"$(VENV)/bin/pip" install -q schemathesis; } || true
	$(SWIFT) build --build-tests $(IMPORT_CHECK)
	@if [ -x "$(VENV)/bin/st" ]; then \
		python3 Tests/openstack-client/fuzz_api.py --bin "$$($(SWIFT) build --show-bin-path)" --st "$(VENV)/bin/st"; \
	elif [ "$${FULCRUM_REQUIRE_FUZZ:-0}" = 1 ]; then echo "fuzz-api: schemathesis could not be installed"; exit 1; \
	else echo "fuzz-api: skipped (schemathesis could not be installed from PyPI)"; fi

# The LBaaS v2 walkthrough on real amphora VMs in the lab (root): see etc/demo.
demo: deps image
	$(SWIFT) build $(IMPORT_CHECK)
	etc/demo

# The walkthrough as a VM integration test: real amphora, round robin checked, stats non-zero, no secret on a
# command line, in a domain XML or in a log; then the VM tests of Tests/vm (dashboard, health, circuit breaker,
# failover, pool/member updates under traffic, a fault injected after each flow step through the worker's test hook
# FULCRUM_TEST_FAULT_FILE, and the chaos test); then everything is stopped and the lab taken down.
FAULT_FILE = $${FULCRUM_DEMO_STATE:-/var/lib/fulcrum-demo}/faults
VM_TESTS := health_test.py breaker_test.py failover_test.py traffic_test.py tls_test.py faults_test.py chaos_test.py
test-vm:
	CONCURRENT=1 FULCRUM_SPARE_POOL=1 FULCRUM_TEST_FAULT_FILE=$(FAULT_FILE) etc/demo
	$(MAKE) --no-print-directory test-dashboard URL=http://127.0.0.1:9876 SCREENSHOT=build/dashboard.png \
		TOKEN="$$(sed -n 's/^FULCRUM_TOKEN=//p' $${FULCRUM_DEMO_STATE:-/var/lib/fulcrum-demo}/env)" \
		|| { etc/demo down; exit 1; }
	@for test in $(VM_TESTS); do \
		start=$$(date +%s); echo "test-vm: Tests/vm/$$test"; \
		FULCRUM_SPARE_POOL=1 FULCRUM_TEST_FAULT_FILE=$(FAULT_FILE) python3 Tests/vm/$$test || { etc/demo down; exit 1; }; \
		echo "test-vm: Tests/vm/$$test passed in $$(( $$(date +%s) - start )) s"; \
	done
	etc/demo down
	@[ -z "$$(ip netns list)" ] || { echo "test-vm: namespaces left: $$(ip netns list)"; exit 1; }
	@echo "test-vm: 1 passed, 0 failed"

# ACTIVE_STANDBY failover timings on real VMs (median of 3): VIP takeover and rebuild; see README "Benchmarks".
bench-failover: deps image
	$(SWIFT) build $(IMPORT_CHECK)
	etc/demo
	python3 Tests/vm/failover_test.py --runs 3 --bench || { etc/demo down; exit 1; }
	etc/demo down

# SINGLE load balancer POST → ACTIVE with a spare pool of 2 vs cold boot, same run; see README "Benchmarks".
bench-create: deps image
	$(SWIFT) build $(IMPORT_CHECK)
	FULCRUM_SPARE_POOL=2 etc/demo
	python3 Benchmarks/bench-create.py || { etc/demo down; exit 1; }
	etc/demo down

# Stops the demo's daemons by PID and takes the lab down.
demo-down:
	etc/demo down

# Heartbeat load on a real fulcrum-health-manager (loopback, bounded); see README "Benchmarks".
bench-health:
	$(SWIFT) build -c release --product fulcrum-health-manager
	$(SWIFT) build -c release --product fulcrum
	$(SWIFT) build -c release --product fulcrum-bench
	Benchmarks/bench-health.sh

# API latencies and rates of a release fulcrum-api on 127.0.0.1 with 1,000 load balancers in its store: GET list with
# wrk (installed if missing), POST listener with a python3 keep-alive client; see README "Benchmarks". Built in
# .build-release (as bench-engine does) so a debug build or test run in .build is not blocked meanwhile.
bench-api:
	@command -v wrk >/dev/null || $(MAKE) --no-print-directory install-packages PACKAGES=wrk
	$(SWIFT) build -c release --product fulcrum-api --scratch-path .build-release
	$(SWIFT) build -c release --product fulcrum --scratch-path .build-release
	$(SWIFT) build -c release --product fulcrum-queue-probe --scratch-path .build-release
	python3 Tests/openstack-client/bench_api.py \
		--bin "$$($(SWIFT) build -c release --scratch-path .build-release --show-bin-path)"

bench-queue:
	$(SWIFT) build -c release --product fulcrum-queue-probe
	.build/release/fulcrum-queue-probe bench

# The engine against HAProxy 2.6 on 127.0.0.1 (installs nginx, haproxy, wrk if missing); see README "Benchmarks".
bench-engine:
	$(SWIFT) build -c release --product amphora-agent --scratch-path .build-release-unchecked $(AGENT_SWIFTFLAGS)
	python3 Benchmarks/bench-engine.py

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

# The amphora image (kernel, initramfs, manifest) under build/image/; rebuilds only what changed.
image: lab-deps
	images/amphora/build

# 5 amphora boots in the lab (root): median and max from virDomainCreateXML to ready (console marker, ping).
bench-boot: image
	$(SWIFT) build --build-tests $(IMPORT_CHECK)
	FULCRUM_BENCH_BOOT=1 $(SWIFT) test --skip-build --filter BootBenchmark 2>&1 | grep -E "bench-boot|passed|failed"

# Bring the lab network namespace (bridges, libvirtd) up or down: etc/lab up|down|status.
lab-up: lab-deps
	etc/lab up

lab-down:
	etc/lab down

clean:
	rm -rf .build build
