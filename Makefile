# Kindling: build, run, test and install. `make help` lists the targets.
SHELL := /bin/bash
PREFIX ?= $(HOME)/.local
SWIFT ?= swift
# System packages: to build (libsystemd, libical and libargon2 via pkg-config; SQLCipher 4,
# which scripts/ensure-sqlcipher takes from Debian's backports, with OpenSSL's libcrypto), and
# to run the end-to-end tests
# (a real systemd user manager, util-linux for setpriv; a private desktop for the
# notification tests: bus, X server, dunst, a real screen locker and python3-gi for a
# stand-in logind (discreet when locked),
# screenshots, gdbus as a test client, and the font and icons dunst draws with;
# yad and zenity draw the answer window and xdotool types into it;
# xfce4-notifyd with xfconf as a second server, with xdotool to see its windows;
# dconf-service and dconf-cli for GNOME's do-not-disturb setting;
# gnome-keyring as the Secret Service the journal's key is kept in;
# headless chromium draws `kindling report`'s page; the manual tests check the pages with
# mandoc and man-db, and run each completion script in bash (with bash-completion), zsh and fish).
BUILD_PACKAGES := libsystemd-dev libical-dev libpipewire-0.3-dev libargon2-dev pkg-config libssl-dev
TEST_PACKAGES := $(BUILD_PACKAGES) systemd util-linux procps \
	dbus-daemon dbus-bin xvfb dunst mate-screensaver imagemagick libglib2.0-bin fonts-dejavu-core adwaita-icon-theme python3 \
	python3-gi chromium mandoc man-db bash-completion zsh fish xfce4-notifyd xfconf xdotool dconf-service dconf-cli zenity yad \
	pipewire pipewire-bin wireplumber pipewire-pulse pulseaudio-utils gnome-keyring sqlite3 keyutils
WERROR := -Xswiftc -warnings-as-errors
# Every import must be a dependency Package.swift declares (DESIGN.md's layering): an
# undeclared edge fails the build instead of working by accident.
WERROR += --explicit-target-dependency-import-check error
# Each test run's own record (xunit), summed up by scripts/test-summary after the run: `swift
# test` drops lines of the test output it relays, its summary line among them.
RESULTS := .build/test-results
# make deb: dpkg-deb and dpkg-shlibdeps (dpkg-dev), lintian; make package-test: debootstrap.
DEB_PACKAGES := $(BUILD_PACKAGES) dpkg-dev lintian debootstrap
# make bench: the peers Kindling is compared with, the benchmark's tools and a C compiler.
BENCH_PACKAGES := $(BUILD_PACKAGES) systemd procps remind at hyperfine gcc libc6-dev python3

.PHONY: help deps test-deps build run test release deb package-test install uninstall man bench bench-journal bench-programs bench-calendar bench-encryption torture lint format clean

help:
	@echo "make run        build and start kindlingd in the foreground (built-in defaults)"
	@echo "make test       install test prerequisites, build with warnings as errors, run all tests"
	@echo "make deb        build dist/kindling_VERSION_ARCH.deb and check it with lintian"
	@echo "make package-test  make deb, then install and run it in a fresh Debian 12 tree (root)"
	@echo "make install    release build into $(PREFIX)/bin and install the systemd user service"
	@echo "make uninstall  remove the service and the binaries (your journal is kept)"
	@echo "make man        regenerate man/kindling.1, kindlingd.1 and kindling.toml.5 (commands' help, config)"
	@echo "make lint       check formatting with swift format"
	@echo "make torture    the long attacks (faults, hostile clients, fuzzers; root, under 15 min)"
	@echo "make bench      Kindling next to systemd timers, remind and atd (root, ~5 min): one table + JSON"
	@echo "make bench-calendar  the calendar at 5,000 events and the break after each session (~3 min)"
	@echo "make bench-encryption  the journal at 100,000 entries, plaintext then encrypted (~3 min)"

deps:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	@scripts/ensure-sqlcipher

test-deps:
	@scripts/ensure-packages $(TEST_PACKAGES)
	@scripts/ensure-sqlcipher

build: deps
	$(SWIFT) build

run: build
	@echo "Starting kindlingd in the foreground (Ctrl-C stops it). Talk to it with: $$($(SWIFT) build --show-bin-path)/kindling status"
	@$$($(SWIFT) build --show-bin-path)/kindlingd

# The end-to-end suites that work with the journal through the daemon and the CLI run a second
# time on encrypted journals: each sandbox brings an unlocked gnome-keyring, so the daemon's first
# start encrypts the new journal, and a daemon that says plaintext fails the test. (The suites left
# out read or write the journal file itself, or run on a desktop bus of their own; the encryption
# suites test encrypted files.)
ENCRYPTED_PASS = EndToEndTests\.(CLITests|JournalCommandTests|ViewCommandTests|ProgramCommandTests|ReportCommandTests|BackupCommandTests|ImportAttackTests|HostileTextTests|LargeTextTests|EditSafetyTests|StorageFailureTests|FileSecurityTests|InteractiveRespondTests|StoppedDaemonTests|PeerCredentialTests|UntrustedSocketTests|ProcessSafetyTests|ConfigFaultTests|OutputPathTests|CalendarTests)

test: test-deps
	$(SWIFT) build --build-tests $(WERROR)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/main*.xml $(RESULTS)/encrypted*.xml
	KINDLING_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test --skip-build --skip TortureTests \
		--xunit-output $(RESULTS)/main.xml; status=$$?; \
		scripts/test-summary "make test, main run" $(RESULTS)/main-swift-testing.xml && exit $$status
	KINDLING_TEST_JOURNAL=encrypted KINDLING_BIN_DIR="$$($(SWIFT) build --show-bin-path)" \
		$(SWIFT) test --skip-build --filter '$(ENCRYPTED_PASS)' --xunit-output $(RESULTS)/encrypted.xml; status=$$?; \
		scripts/test-summary "make test, encrypted journals" $(RESULTS)/encrypted-swift-testing.xml && exit $$status
	@if [ "$${CI:-}" = true ] || [ "$${KINDLING_PACKAGE_TEST:-}" = 1 ]; then $(MAKE) package-test; \
	else echo "Not run here: make package-test (CI runs it; KINDLING_PACKAGE_TEST=1 make test does too)"; fi

# kindling is linked as a static PIE (see staticCLI in Package.swift): most of its start-up
# was the dynamic loader, and it runs on every shell prompt that shows `pending --short`.
# A static PIE must carry no run path, hence --disable-local-rpath; kindlingd needs none
# either, as the Swift runtime is linked in (--static-swift-stdlib).
release: deps
	KINDLING_STATIC_CLI=1 $(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath

# The Debian package (scripts/build-deb), and that package installed into a debootstrapped
# Debian 12 and run there (scripts/package-test; root; only the first run downloads Debian).
deb: release
	@scripts/ensure-packages $(DEB_PACKAGES)
	@scripts/ensure-sqlcipher
	scripts/build-deb "$$($(SWIFT) build -c release --show-bin-path)"

package-test: deb
	scripts/package-test

install: release
	@bin="$$($(SWIFT) build -c release --show-bin-path)"; \
	install -d "$(PREFIX)/bin" && \
	install -s -m 0755 "$$bin/kindlingd" "$$bin/kindling" "$(PREFIX)/bin/" && \
	echo "Installed kindlingd and kindling into $(PREFIX)/bin" && \
	install -d "$(PREFIX)/share/man/man1" "$(PREFIX)/share/man/man5" "$(PREFIX)/share/bash-completion/completions" \
		"$(PREFIX)/share/zsh/site-functions" "$(PREFIX)/share/fish/vendor_completions.d" && \
	install -m 0644 man/kindling.1 man/kindlingd.1 "$(PREFIX)/share/man/man1/" && \
	install -m 0644 man/kindling.toml.5 "$(PREFIX)/share/man/man5/" && \
	"$(PREFIX)/bin/kindling" completions bash > "$(PREFIX)/share/bash-completion/completions/kindling" && \
	"$(PREFIX)/bin/kindling" completions zsh > "$(PREFIX)/share/zsh/site-functions/_kindling" && \
	"$(PREFIX)/bin/kindling" completions fish > "$(PREFIX)/share/fish/vendor_completions.d/kindling.fish" && \
	echo "Installed the man pages and bash, zsh and fish completions under $(PREFIX)/share" && \
	"$(PREFIX)/bin/kindling" install

uninstall:
	-"$(PREFIX)/bin/kindling" uninstall
	rm -f "$(PREFIX)/bin/kindlingd" "$(PREFIX)/bin/kindling" \
		"$(PREFIX)/share/man/man1/kindling.1" "$(PREFIX)/share/man/man1/kindlingd.1" \
		"$(PREFIX)/share/man/man5/kindling.toml.5" \
		"$(PREFIX)/share/bash-completion/completions/kindling" "$(PREFIX)/share/zsh/site-functions/_kindling" \
		"$(PREFIX)/share/fish/vendor_completions.d/kindling.fish"

# The man pages: the commands' own help (`--experimental-dump-help`, what swift-argument-parser's
# generate-manual plugin reads) and Config/kindling.toml, then the hand-written sections in
# man/sections/. ManualTests fails when the committed pages differ from a fresh run.
man: build
	scripts/gen-man "$$($(SWIFT) build --show-bin-path)"

# Kindling measured next to systemd timers, remind and atd (issue 7): prints one table, writes
# Benchmarks/results/latest.md and latest.json. Runs as root (a private systemd --user, atd).
bench: release
	@scripts/ensure-packages $(BENCH_PACKAGES)
	@scripts/ensure-sqlcipher
	KINDLING_BIN_DIR="$$($(SWIFT) build -c release --show-bin-path)" python3 Benchmarks/bench.py
	KINDLING_BIN_DIR="$$($(SWIFT) build -c release --show-bin-path)" python3 Benchmarks/calendar_scale.py
	KINDLING_BIN_DIR="$$($(SWIFT) build -c release --show-bin-path)" python3 Benchmarks/encryption_scale.py

# Issue 19's figures (the journal at 100,000 entries, plaintext and then encrypted, in one run),
# ~3 min: results in Benchmarks/results/encryption.md.
bench-encryption: release
	KINDLING_BIN_DIR="$$($(SWIFT) build -c release --show-bin-path)" python3 Benchmarks/encryption_scale.py

# Issue 17's figures (a calendar of 5,000 events; the break after each session), ~3 min:
# a release build, then Benchmarks/calendar_scale.py; results in Benchmarks/results/calendar.md.
bench-calendar: release
	KINDLING_BIN_DIR="$$($(SWIFT) build -c release --show-bin-path)" python3 Benchmarks/calendar_scale.py

# The journal at 100,000 entries (issue 4's figures): a release build, then Benchmarks/journal_scale.py.
bench-journal: release
	python3 Benchmarks/journal_scale.py 100000

# `kindling program check` of a 200-step program (issue 16's figure): a release build, then
# Benchmarks/program_check.py.
bench-programs: release
	python3 Benchmarks/program_check.py 51

# Issue 8's long part: Tests/TortureTests against a real kindlingd, then each libFuzzer target in
# Fuzz/ for FUZZ_SECONDS on its corpus. The fuzz package has a scratch folder of its own: its
# builds are instrumented (-sanitize=fuzzer,address) and must never replace the normal ones.
# SwiftPM does not notice files added to a path dependency, so its cached build plan goes first.
FUZZ_SECONDS ?= 60
FUZZ_BUILD := .build-fuzz
torture: test-deps
	$(SWIFT) build --build-tests $(WERROR)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/torture*.xml
	KINDLING_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test --skip-build --filter TortureTests \
		--xunit-output $(RESULTS)/torture.xml; status=$$?; \
		scripts/test-summary "make torture" $(RESULTS)/torture-swift-testing.xml && exit $$status
	rm -f $(FUZZ_BUILD)/release.yaml $(FUZZ_BUILD)/release/description.json
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) -c release \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	scripts/fuzz $(FUZZ_BUILD)/release $(FUZZ_SECONDS)

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build
