#!/usr/bin/env bash
# All set-up for tstrace, idempotent: Debian packages, Unicorn 2.1.1 from trixie and bookworm's
# static busybox for arm64 and amd64 (both unpacked into vendor/), npm dependencies, the
# TypeScript build, and the guest fixtures. Each step is skipped when its result is already in
# place, so a second run takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf 'setup: %s\n' "$*" >&2; }

packages=(gcc gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu libc6-dev-arm64-cross
          libc6-dev-riscv64-cross qemu-user strace make python3 g++ ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/fetch-unicorn.sh
bash scripts/fetch-busybox.sh
bash scripts/fetch-rootfs.sh aarch64
bash scripts/fetch-rootfs.sh riscv64

stamp=node_modules/.tstrace-install-stamp
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

say "compiling TypeScript"
npx tsc -p tsconfig.json
bash scripts/build-native.sh
bash scripts/build-fixtures.sh
# Last: its code cache is made from a traced run of a fixture.
bash scripts/bundle.sh
