#!/usr/bin/env bash
# Builds every guest fixture, test/fixtures/*.c, as a static ELF for each guest CPU:
#   gcc                    -> build/fixtures/x86_64/<name>
#   aarch64-linux-gnu-gcc  -> build/fixtures/aarch64/<name>
#   riscv64-linux-gnu-gcc  -> build/fixtures/riscv64/<name>
# with `-static -O1 -g0` (no PIE flags beyond the compiler's default), plus hello.c once more as
# `hello-static-pie` with `-static-pie` (an ET_DYN static executable). A fixture can ask for extra
# flags in its first line: `// cflags: -pthread`. The word `-dynamic` there (not passed to gcc)
# builds it dynamically linked instead (`-O1 -g0`, the compiler's default PIE, against the cross
# compiler's own sysroot /usr/<triple>); hello_dyn is also built as `hello_dyn-nopie` (-no-pie,
# a dynamically linked ET_EXEC).
# Idempotent and incremental: a binary is rebuilt only when it is missing or older than its
# source (or than this script, or than a header in test/fixtures/). Compiles into a temporary
# name and renames, so an interrupted build never leaves a fresh-looking broken binary.
# Usage: scripts/build-fixtures.sh [-v] [name...]   (names restrict the build to those fixtures)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
only=("$@")

src_dir=test/fixtures
out_root=build/fixtures
arches=(x86_64 aarch64 riscv64)
declare -A cc=([x86_64]=gcc [aarch64]=aarch64-linux-gnu-gcc [riscv64]=riscv64-linux-gnu-gcc)
# Where a dynamic fixture finds the C library (LIBC_PATH): the host's, or the guest's path of
# the cross sysroot's (/usr/<triple>/lib/libc.so.6 is /lib/libc.so.6 in that root).
declare -A libc_path=([x86_64]=/lib/x86_64-linux-gnu/libc.so.6 [aarch64]=/lib/libc.so.6 [riscv64]=/lib/libc.so.6)
base_flags=(-static -O1 -g0)

say() { printf 'build-fixtures: %s\n' "$*" >&2; }

for a in "${arches[@]}"; do
  command -v "${cc[$a]}" >/dev/null || { say "missing compiler ${cc[$a]} (run scripts/setup.sh)"; exit 1; }
done

# The newest dependency every fixture shares: this script and any header next to the sources.
shared_deps=("$0")
for h in "$src_dir"/*.h; do [ -e "$h" ] && shared_deps+=("$h"); done

wanted() {
  [ ${#only[@]} -eq 0 ] && return 0
  local n
  for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}

# needs_build OUT SRC: true when OUT is missing or older than SRC or a shared dependency.
needs_build() {
  local out=$1 dep
  [ -e "$out" ] || return 0
  shift
  for dep in "$@" "${shared_deps[@]}"; do
    [ "$dep" -nt "$out" ] && return 0
  done
  return 1
}

# Extra flags from a first line `// cflags: ...`.
extra_flags() {
  local first
  IFS= read -r first <"$1" || true
  case "$first" in
    "// cflags:"*) printf '%s' "${first#// cflags:}" ;;
  esac
}

# build ARCH NAME SRC [FLAGS...]
build_one() {
  local arch=$1 name=$2 src=$3
  shift 3
  local out="$out_root/$arch/$name"
  needs_build "$out" "$src" || return 0
  local tmp="$out.tmp.$$" flags=("${base_flags[@]}") f
  local rest=()
  for f in "$@"; do
    if [ "$f" = -dynamic ]; then flags=(-O1 -g0); else rest+=("$f"); fi
  done
  if "${cc[$arch]}" "${flags[@]}" ${rest[@]+"${rest[@]}"} -DLIBC_PATH="\"${libc_path[$arch]}\"" -o "$tmp" "$src"; then
    mv -f "$tmp" "$out"
    [ "$verbose" = 1 ] && say "built $out"
    return 0
  fi
  rm -f "$tmp"
  say "FAILED: $arch/$name"
  return 1
}

has_static_pie() {
  local f
  f=$("${cc[$1]}" -print-file-name=rcrt1.o)
  [ "$f" != rcrt1.o ] && [ -e "$f" ]
}

build_arch() {
  local arch=$1 src name failed=0
  mkdir -p "$out_root/$arch"
  for src in "$src_dir"/*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    wanted "$name" || continue
    # shellcheck disable=SC2046
    build_one "$arch" "$name" "$src" $(extra_flags "$src") || failed=1
    if [ "$name" = hello_dyn ]; then
      # shellcheck disable=SC2046
      build_one "$arch" hello_dyn-nopie "$src" $(extra_flags "$src") -no-pie || failed=1
    fi
    if [ "$name" = hello ]; then
      # -static-pie replaces -static (not added to it). It needs the C library's rcrt1.o, which
      # Debian bookworm's riscv64 cross glibc (2.36) lacks: skip it there, with a notice.
      local pie_out="$out_root/$arch/hello-static-pie"
      if ! has_static_pie "$arch"; then
        [ -e "$pie_out.skipped" ] || { say "note: $arch toolchain has no static-pie (rcrt1.o); hello-static-pie not built"; : >"$pie_out.skipped"; }
      elif needs_build "$pie_out" "$src"; then
        local tmp="$pie_out.tmp.$$"
        if "${cc[$arch]}" -static-pie -fPIE -O1 -g0 $(extra_flags "$src") -o "$tmp" "$src"; then
          mv -f "$tmp" "$pie_out"
          [ "$verbose" = 1 ] && say "built $pie_out"
        else
          rm -f "$tmp"; say "FAILED: $arch/hello-static-pie"; failed=1
        fi
      fi
    fi
  done
  return $failed
}

# One job per architecture; each reports its own failures.
pids=()
for a in "${arches[@]}"; do
  build_arch "$a" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  wait "$p" || status=1
done
[ $status -eq 0 ] || { say "some fixtures failed to build"; exit 1; }
