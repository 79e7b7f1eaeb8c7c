#!/usr/bin/env bash
# Fetch Debian's busybox-static for arm64 and amd64 (bookworm) and riscv64 (trixie: bookworm
# has no riscv64), the real-world program of test/busybox.test.ts, and unpack them into
# vendor/busybox/{aarch64,x86_64,riscv64}, with a private apt configuration per architecture:
# the machine's own apt sources and state are never touched. Idempotent: a second run finds
# the binaries and returns.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/vendor/busybox"
if [ -x "$dest/aarch64/bin/busybox" ] && [ -x "$dest/x86_64/bin/busybox" ] && [ -x "$dest/riscv64/bin/busybox" ]; then
  exit 0
fi
fail() { echo "fetch-busybox: $*" >&2; exit 1; }

# Use the same archive the machine already uses, only with the suite named per architecture.
uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$uri" ] || fail "cannot find the Debian archive URI in the apt sources"

# fetch DEBIAN_ARCH OUR_ARCH SUITE: download SUITE's busybox-static for DEBIAN_ARCH, unpack it
# into $dest/OUR_ARCH.
fetch() {
  local debarch=$1 arch=$2 suite=$3
  local work="$root/vendor/apt-$suite-$debarch" out="$dest/$arch"
  [ -x "$out/bin/busybox" ] && return 0
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$out"
  echo "deb [arch=$debarch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$work/sources.list"
  local apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
                  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
                  -o "Dir::State::status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0"
                  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
                  -o "APT::Architectures=$debarch" -o "APT::Architecture=$debarch")
  apt-get "${apt_opts[@]}" -qq update || fail "apt-get update failed for $suite $debarch"
  (cd "$work/archives" && apt-get "${apt_opts[@]}" -qq download busybox-static) \
    || fail "apt-get download busybox-static failed for $debarch"
  local deb
  deb=$(ls "$work"/archives/busybox-static_*_"$debarch".deb 2>/dev/null | tail -n1)
  [ -n "$deb" ] || fail "no busybox-static .deb for $debarch in $work/archives"
  dpkg -x "$deb" "$out" || fail "dpkg -x $deb failed"
  # trixie's package is merged-/usr (usr/bin/busybox): put it where bookworm's are, bin/busybox.
  if [ ! -e "$out/bin/busybox" ] && [ -x "$out/usr/bin/busybox" ]; then
    mkdir -p "$out/bin" && mv "$out/usr/bin/busybox" "$out/bin/busybox"
  fi
  [ -x "$out/bin/busybox" ] || fail "$out/bin/busybox missing after unpacking $deb"
  echo "fetch-busybox: unpacked ${deb##*/} into vendor/busybox/$arch" >&2
}

fetch arm64 aarch64 bookworm
fetch amd64 x86_64 bookworm
fetch riscv64 riscv64 trixie
