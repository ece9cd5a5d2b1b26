# Kindling: build, run, test and install. `make help` lists the targets.
SHELL := /bin/bash
PREFIX ?= $(HOME)/.local
SWIFT ?= swift
# System packages: to build (libsystemd via pkg-config), and to run the end-to-end tests
# (a real systemd user manager, util-linux for setpriv).
BUILD_PACKAGES := libsystemd-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) systemd util-linux procps
WERROR := -Xswiftc -warnings-as-errors

.PHONY: help deps test-deps build run test unit-test e2e-test release install uninstall lint format clean

help:
	@echo "make run        build and start kindlingd in the foreground (built-in defaults)"
	@echo "make test       install test prerequisites, build with warnings as errors, run all tests"
	@echo "make install    release build into $(PREFIX)/bin and install the systemd user service"
	@echo "make uninstall  remove the service and the binaries (your journal is kept)"
	@echo "make lint       check formatting with swift format"

deps:
	@scripts/ensure-packages $(BUILD_PACKAGES)

test-deps:
	@scripts/ensure-packages $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

run: build
	@echo "Starting kindlingd in the foreground (Ctrl-C stops it). Talk to it with: $$($(SWIFT) build --show-bin-path)/kindling status"
	@$$($(SWIFT) build --show-bin-path)/kindlingd

test: test-deps
	$(SWIFT) build --build-tests $(WERROR)
	KINDLING_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

install: release
	@bin="$$($(SWIFT) build -c release --show-bin-path)"; \
	install -d "$(PREFIX)/bin" && \
	install -s -m 0755 "$$bin/kindlingd" "$$bin/kindling" "$(PREFIX)/bin/" && \
	echo "Installed kindlingd and kindling into $(PREFIX)/bin" && \
	"$(PREFIX)/bin/kindling" install

uninstall:
	-"$(PREFIX)/bin/kindling" uninstall
	rm -f "$(PREFIX)/bin/kindlingd" "$(PREFIX)/bin/kindling"

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build
