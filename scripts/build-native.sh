#!/usr/bin/env bash
# Builds the binding's native helpers: packages/unicorn-engine-ts/native/register-snapshot.c ->
# packages/unicorn-engine-ts/native/build/libtsu-snapshot.so, linked against the vendored
# libunicorn.so.2 by soname and with no rpath (the binding dlopens it after loading libunicorn
# by absolute path, and the dynamic linker matches the soname to that loaded copy).
# Idempotent: rebuilds only when the .so is missing or older than the .c. Compiles into a
# temporary name and renames, so an interrupted build never leaves a fresh-looking broken .so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf 'build-native: %s\n' "$*" >&2; }

srcs=(packages/unicorn-engine-ts/native/register-snapshot.c packages/unicorn-engine-ts/native/block-budget.c packages/unicorn-engine-ts/native/host-signals.c packages/unicorn-engine-ts/native/time-reads.c)
out=packages/unicorn-engine-ts/native/build/libtsu-snapshot.so
unicorn_lib=vendor/unicorn/usr/lib/x86_64-linux-gnu/libunicorn.so.2
unicorn_inc=vendor/unicorn/usr/include

fresh=1
for src in "${srcs[@]}"; do [ -f "$out" ] && [ ! "$src" -nt "$out" ] || fresh=0; done
if [ $fresh = 1 ]; then
  exit 0
fi
command -v gcc >/dev/null || { say "gcc not found: run \`bash scripts/setup.sh\` (it installs gcc)"; exit 1; }
[ -f "$unicorn_lib" ] && [ -f "$unicorn_inc/unicorn/unicorn.h" ] \
  || { say "Unicorn 2.1.1 is not unpacked in vendor/unicorn: run \`bash scripts/setup.sh\`"; exit 1; }

mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
if ! gcc -O2 -Wall -Wextra -shared -fPIC -I "$unicorn_inc" -o "$tmp" "${srcs[@]}" "$unicorn_lib"; then
  say "gcc failed to compile ${srcs[*]} (errors above)"
  exit 1
fi
mv -f "$tmp" "$out"
say "built $out"
