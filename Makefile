# Fulcrum — build, test and run. `make test` works on a fresh Debian 12 machine as root.
SHELL := /bin/bash
.DEFAULT_GOAL := build

SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev pkg-config build-essential zlib1g-dev openssl
IMPORT_CHECK := --explicit-target-dependency-import-check error

.PHONY: deps build test demo bench-queue bench-engine lint format clean

# Installs the system packages Fulcrum needs, only those missing (apt-get update runs once, only then).
deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	else \
		echo "system packages present: $(SYSTEM_PACKAGES)"; \
	fi

build:
	$(SWIFT) build $(IMPORT_CHECK)

# --build-tests also builds the executables, which the process tests start.
test: deps
	$(SWIFT) build --build-tests $(IMPORT_CHECK)
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	$(SWIFT) test --skip-build

demo: deps build
	@echo "make demo arrives with the worker issue: it will bring up the lab, start the daemons and create a"
	@echo "load balancer on private-subnet (198.51.100.0/24). Nothing to run yet."

bench-queue:
	$(SWIFT) build -c release --product fulcrum-queue-probe
	.build/release/fulcrum-queue-probe bench

# The engine against HAProxy 2.6 on 127.0.0.1 (installs nginx, haproxy, wrk if missing); see README "Benchmarks".
bench-engine:
	$(SWIFT) build -c release --product amphora-agent --scratch-path .build-release
	python3 Benchmarks/bench-engine.py

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
