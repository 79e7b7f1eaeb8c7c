#!/usr/bin/env bash
# Fetch Unicorn 2.1.1 (Debian trixie's libunicorn2t64 + libunicorn-dev) and unpack it into
# vendor/unicorn, with a private apt configuration: the machine's own apt sources and state
# are never touched. Idempotent: a second run finds the unpacked library and returns.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/vendor/unicorn"
lib="$dest/usr/lib/x86_64-linux-gnu/libunicorn.so.2"
if [ -f "$lib" ] && [ -f "$dest/usr/include/unicorn/unicorn.h" ]; then
  exit 0
fi
work="$root/vendor/apt-trixie"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$dest"

# Use the same archive the machine already uses, only with suite trixie.
uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$uri" ] || { echo "fetch-unicorn: cannot find the Debian archive URI in the apt sources" >&2; exit 1; }
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$work/sources.list"

apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
          -o "Dir::State::status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0"
          -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" -qq update
(cd "$work/archives" && apt-get "${apt_opts[@]}" -qq download libunicorn2t64 libunicorn-dev)
for deb in "$work"/archives/libunicorn2t64_*.deb "$work"/archives/libunicorn-dev_*.deb; do
  dpkg -x "$deb" "$dest"
done
[ -f "$lib" ] || { echo "fetch-unicorn: $lib missing after unpacking" >&2; exit 1; }
ls "$work"/archives/*.deb | sed 's,.*/,fetch-unicorn: unpacked ,'
