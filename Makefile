# Fulcrum — build, test and run. `make test` works on a fresh Debian 12 machine as root.
SHELL := /bin/bash
.DEFAULT_GOAL := build

SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev pkg-config build-essential zlib1g-dev
IMPORT_CHECK := --explicit-target-dependency-import-check error
# The lab (etc/lab), the libvirt adapter and the amphora image build need these as well.
LAB_PACKAGES := iproute2 iputils-ping libvirt-daemon-system libvirt-dev qemu-system-x86 busybox-static python3 curl cpio \
	kmod zstd

.PHONY: deps lab-deps install-packages build test demo bench-queue bench-health lint format clean image bench-boot lab-up lab-down

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

demo: deps build
	@echo "make demo arrives with the worker issue: it will bring up the lab, start the daemons and create a"
	@echo "load balancer on private-subnet (198.51.100.0/24). Nothing to run yet."

# Heartbeat load on a real fulcrum-health-manager (loopback, bounded); see README "Benchmarks".
bench-health:
	$(SWIFT) build -c release --product fulcrum-health-manager
	$(SWIFT) build -c release --product fulcrum
	$(SWIFT) build -c release --product fulcrum-bench
	Benchmarks/bench-health.sh

bench-queue:
	$(SWIFT) build -c release --product fulcrum-queue-probe
	.build/release/fulcrum-queue-probe bench

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
