#!/usr/bin/env bash
# Fetch a small Debian root filesystem into vendor/rootfs/ARCH (the foreign roots of
# test/rootfs.test.ts): for aarch64 (the default), bookworm's arm64 packages busybox, coreutils, bash, libc6, tar,
# findutils, python3-minimal with libpython3.11-stdlib (json and the rest of the standard
# library), strace and gdb-minimal (gdb without python: the full gdb package
# pulls libpython3.11, babeltrace, boost's source-highlight and more, ~60 MB), and
# every library package they depend on (Depends and Pre-Depends, followed recursively through
# packages named lib*, gcc-*-base and zlib1g; base-files, debianutils and the like are not needed to
# run the programs and are left out). For riscv64, trixie's (bookworm has no riscv64) busybox,
# coreutils, bash, libc6, tar, findutils, python3-minimal with libpython3.13-stdlib, strace and
# gdb, with the same closure: trixie's gdb-minimal is an empty package depending on the full gdb
# (built with python, babeltrace, source-highlight and debuginfod: their libraries come along,
# ~30 MB of packages in all). Each package is downloaded with `apt-get download` through
# a private apt configuration (its own sources list, lists and archives under
# vendor/apt-rootfs-SUITE-DEBARCH) and unpacked with `dpkg -x`, as scripts/fetch-busybox.sh
# does: the machine's own apt sources and state are never touched, nothing is installed.
# /bin, /sbin and /lib are made links into /usr (merged /usr, as on any bookworm system).
# Idempotent: a second run finds the finished root (its package list in .tstrace-rootfs) and
# returns when every wanted package is in it (a root from before a package was added here is
# fetched again). The root is unpacked into a temporary folder and renamed when complete.
# Usage: scripts/fetch-rootfs.sh [aarch64|riscv64]   (default aarch64)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-aarch64}
case "$arch" in
  aarch64)
    debarch=arm64 suite=bookworm loader=lib/ld-linux-aarch64.so.1
    wanted=(busybox coreutils bash libc6 tar findutils python3-minimal python3.11-minimal libpython3.11-stdlib strace gdb-minimal) ;;
  riscv64)
    # bookworm has no riscv64: trixie's.
    debarch=riscv64 suite=trixie loader=lib/ld-linux-riscv64-lp64d.so.1
    wanted=(busybox coreutils bash libc6 tar findutils python3-minimal python3.13-minimal libpython3.13-stdlib strace gdb) ;;
  *) echo "fetch-rootfs: usage: fetch-rootfs.sh [aarch64|riscv64]" >&2; exit 64 ;;
esac
dest="$root/vendor/rootfs/$arch"
marker="$dest/.tstrace-rootfs"
fail() { echo "fetch-rootfs: $*" >&2; exit 1; }

if [ -f "$marker" ] && [ -x "$dest/bin/bash" ]; then
  complete=1
  for p in "${wanted[@]}"; do grep -qx -- "$p" "$marker" || complete=0; done
  [ "$complete" = 1 ] && exit 0
fi
command -v apt-get >/dev/null || fail "apt-get not found (a Debian host is needed)"
command -v dpkg >/dev/null || fail "dpkg not found"

# The archive the machine already uses, with suite bookworm.
uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$uri" ] || fail "cannot find the Debian archive URI in the apt sources"

work="$root/vendor/apt-rootfs-$suite-$debarch"
mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb [arch=$debarch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
          -o "Dir::State::status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0"
          -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
          -o "APT::Architectures=$debarch" -o "APT::Architecture=$debarch")
apt-get "${apt_opts[@]}" -qq update || fail "apt-get update failed for $suite $debarch"

# The closure: the wanted packages and, recursively, the library packages they depend on.
declare -A seen=()
queue=("${wanted[@]}")
packages=()
while [ ${#queue[@]} -gt 0 ]; do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  [ -n "${seen[$p]:-}" ] && continue
  seen[$p]=1
  packages+=("$p")
  deps=$(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests --no-conflicts --no-breaks \
           --no-replaces --no-enhances "$p" 2>/dev/null \
         | sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \([^<][^ ]*\)$/\2/p' | sed 's/:any$//' | sort -u) \
    || fail "apt-cache depends $p failed"
  for d in $deps; do
    case "$d" in
      lib*|gcc-*-base|zlib1g) [ -n "${seen[$d]:-}" ] || queue+=("$d") ;;
    esac
  done
done

(cd "$work/archives" && apt-get "${apt_opts[@]}" -qq download "${packages[@]}") \
  || fail "apt-get download failed for: ${packages[*]}"

tmp="$dest.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
for p in "${packages[@]}"; do
  deb=$(ls "$work"/archives/"${p}"_*_"$debarch".deb "$work"/archives/"${p}"_*_all.deb 2>/dev/null | tail -n1 || true)
  [ -n "$deb" ] || fail "no .deb for $p in $work/archives"
  dpkg -x "$deb" "$tmp" || fail "dpkg -x $deb failed"
done
# A merged /usr, as every bookworm system has it (debootstrap's default, required since
# bookworm): /bin, /sbin and /lib are links into /usr. Without it a program found on PATH in
# /usr/bin (ls is /bin/ls in the package) falls through to the host's own binary.
# (trixie's packages install into /usr already: only the links are missing.)
for d in bin sbin lib; do
  if [ -d "$tmp/$d" ] && [ ! -L "$tmp/$d" ]; then
    mkdir -p "$tmp/usr/$d"
    cp -a "$tmp/$d/." "$tmp/usr/$d/"
    rm -rf "${tmp:?}/$d"
  fi
  [ -e "$tmp/$d" ] || [ ! -d "$tmp/usr/$d" ] || ln -s "usr/$d" "$tmp/$d"
done
[ -x "$tmp/bin/bash" ] || fail "bin/bash missing after unpacking"
[ -e "$tmp/$loader" ] || fail "$loader missing after unpacking"
printf '%s\n' "${packages[@]}" > "$tmp/.tstrace-rootfs"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
trap - EXIT
echo "fetch-rootfs: unpacked ${#packages[@]} packages (${packages[*]}) into vendor/rootfs/$arch" >&2
