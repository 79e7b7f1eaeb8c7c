#!/usr/bin/env bash
# strace's own test suite as tstrace's oracle (issue 12, item 8). Fetches strace 6.1's source as
# Debian bookworm publishes it (a private apt configuration with a deb-src line, under
# build/strace-suite/apt: the machine's own apt sources and state are never touched), unpacks it
# with dpkg-source into build/strace-suite/strace-6.1, configures it and builds the test programs
# statically for x86_64 (`make -C tests check TESTS=`: every check_PROGRAMS, nothing run), then
# hands over to scripts/strace-suite-run.mjs, which runs the selected tests through strace's own
# harness (tests/run.sh) with the real strace and with tstrace in its place.
# Idempotent: each step leaves a stamp and is skipped when its stamp is there.
# Usage: scripts/strace-suite.sh [--build-only] [runner options, see strace-suite-run.mjs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/build/strace-suite"
src="$dest/strace-6.1"
say() { printf 'strace-suite: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

build_only=0
if [ "${1:-}" = "--build-only" ]; then build_only=1; shift; fi

[ "$(uname -m)" = x86_64 ] || fail "the test programs are built for x86_64; this host is $(uname -m)"

if [ ! -f "$src/.tstrace-unpacked" ]; then
  command -v apt-get >/dev/null || fail "apt-get not found (a Debian host is needed)"
  command -v dpkg-source >/dev/null || fail "dpkg-source not found (package dpkg-dev)"
  uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || fail "cannot find the Debian archive URI in the apt sources"
  work="$dest/apt"
  mkdir -p "$work/lists/partial" "$work/source"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bookworm main" > "$work/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
            -o "Dir::State::Lists=$work/lists" -o "Dir::State::status=/var/lib/dpkg/status"
            -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
  say "fetching strace's source from bookworm ($uri)"
  apt-get "${apt_opts[@]}" -qq update || fail "apt-get update failed for bookworm's sources"
  (cd "$work/source" && apt-get "${apt_opts[@]}" -qq source --download-only strace) \
    || fail "apt-get source strace failed"
  dsc=$(ls "$work"/source/strace_6.1-*.dsc 2>/dev/null | tail -n1)
  [ -n "$dsc" ] || fail "bookworm's strace source is not 6.1 (found: $(ls "$work/source"))"
  rm -rf "$src" "$src.tmp"
  dpkg-source -q -x "$dsc" "$src.tmp" >/dev/null || fail "dpkg-source -x $dsc failed"
  mv "$src.tmp" "$src"
  touch "$src/.tstrace-unpacked"
fi

jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$src/.tstrace-configured" ]; then
  say "configuring strace 6.1 (static, x86_64 only)"
  (cd "$src" && ./configure --enable-mpers=no --disable-gcc-Werror LDFLAGS=-static \
     > "$dest/configure.log" 2>&1) || fail "configure failed: see $dest/configure.log"
  touch "$src/.tstrace-configured"
fi
if [ ! -f "$src/.tstrace-built" ]; then
  say "building the test programs (make -C tests check TESTS=, $jobs jobs; about 10 minutes)"
  make -C "$src/tests" -j"$jobs" check TESTS= > "$dest/make.log" 2>&1 \
    || fail "building the test programs failed: see $dest/make.log"
  touch "$src/.tstrace-built"
fi
[ "$build_only" = 1 ] && exit 0
exec node "$root/scripts/strace-suite-run.mjs" "$@"
