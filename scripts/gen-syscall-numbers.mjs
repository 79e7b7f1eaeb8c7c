#!/usr/bin/env node
// Generates src/arch/<arch>/syscall-numbers.ts from the installed Linux UAPI headers.
//
//   node scripts/gen-syscall-numbers.mjs            write the three files
//   node scripts/gen-syscall-numbers.mjs --check    exit 1 if a committed file differs
//   node scripts/gen-syscall-numbers.mjs --print x86_64   print one file to stdout
//
// Numbers come from the C preprocessor run over each architecture's <asm/unistd.h>
// (host headers for x86_64, the cross sysroots for aarch64 and riscv64), so the
// asm-generic __ARCH_WANT_* conditionals and __NR3264_* indirections resolve exactly
// as they do for a program built for that architecture. Two kinds of facts are added
// on top, both listed below as data:
//   - names strace prints differently from the kernel's __NR_ macro (none today on
//     these three architectures, the table is kept so a future one is one line);
//   - syscalls newer than the installed headers (Linux 6.1 here), with the numbers
//     from the kernel's syscall tables and names from strace 6.x's syscallent.h.
//     A header that already defines one of them must agree, or generation fails.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What a 64-bit compiler predefines that <asm/bitsperlong.h> looks at. */
const LP64 = ['__LP64__', '_LP64', '__SIZEOF_POINTER__=8', '__SIZEOF_LONG__=8'];

/** Per architecture: where its headers are and how the compiler would identify it. */
const ARCHES = {
  x86_64: {
    includeDirs: ['/usr/include/x86_64-linux-gnu', '/usr/include'],
    header: 'asm/unistd_64.h',
    defines: ['__x86_64__', ...LP64],
  },
  aarch64: {
    includeDirs: ['/usr/aarch64-linux-gnu/include'],
    header: 'asm/unistd.h',
    defines: ['__aarch64__', ...LP64],
  },
  riscv64: {
    includeDirs: ['/usr/riscv64-linux-gnu/include'],
    header: 'asm/unistd.h',
    defines: ['__riscv', '__riscv_xlen=64', ...LP64],
  },
};

/** Kernel __NR_ name -> the name strace prints, where they differ. */
const STRACE_RENAMES = {
  x86_64: {},
  aarch64: {},
  riscv64: {},
};

/**
 * Numbers the architecture's kernel does not wire up but strace still names, because
 * strace shares one table (linux/64/syscallent.h) between aarch64 and riscv64: a riscv64
 * program calling 38 is shown as renameat(...) = -1 ENOSYS.
 */
const STRACE_ONLY = {
  x86_64: [],
  aarch64: [],
  riscv64: [[38, 'renameat']],
};

/** Syscalls added to the asm-generic/common range after Linux 6.1 (same number everywhere). */
const COMMON_NEWER = [
  [451, 'cachestat'],
  [452, 'fchmodat2'],
  [453, 'map_shadow_stack'],
  [454, 'futex_wake'],
  [455, 'futex_wait'],
  [456, 'futex_requeue'],
  [457, 'statmount'],
  [458, 'listmount'],
  [459, 'lsm_get_self_attr'],
  [460, 'lsm_set_self_attr'],
  [461, 'lsm_list_modules'],
  [462, 'mseal'],
  [463, 'setxattrat'],
  [464, 'getxattrat'],
  [465, 'listxattrat'],
  [466, 'removexattrat'],
  [467, 'open_tree_attr'],
  [468, 'file_getattr'],
  [469, 'file_setattr'],
  [470, 'listns'],
];

/** Architecture-specific syscalls newer than the installed headers. */
const ARCH_NEWER = {
  x86_64: [[335, 'uretprobe']],
  aarch64: [],
  // __NR_arch_specific_syscall + 14, Linux 6.4.
  riscv64: [[258, 'riscv_hwprobe']],
};

/** Macros that look like syscall numbers but are not syscalls. */
const NOT_SYSCALLS = new Set(['syscalls', 'arch_specific_syscall']);

function cpp(args, input) {
  return execFileSync('cpp', args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Evaluates the integer expressions the unistd headers use: literals, +, -, parentheses. */
function evaluate(expr) {
  const cleaned = expr.replace(/\b(0x[0-9a-f]+|\d+)[uUlL]*\b/gi, '$1');
  if (!/^[\s0-9a-fx()+-]*$/i.test(cleaned)) throw new Error(`cannot evaluate: ${expr}`);
  // Only digits, hex literals, + - and parentheses reach here.
  return Number(Function(`"use strict"; return (${cleaned});`)());
}

function headerNumbers(arch) {
  const { includeDirs, header, defines } = ARCHES[arch];
  const flags = ['-undef', '-nostdinc', ...includeDirs.map((d) => `-I${d}`), ...defines.map((d) => `-D${d}`)];
  const src = `#include <${header}>\n`;
  const macros = cpp(['-dM', ...flags, '-'], src)
    .split('\n')
    .map((line) => /^#define __NR_(\w+)\b/.exec(line)?.[1])
    .filter((name) => name !== undefined && !NOT_SYSCALLS.has(name));
  // Second pass: let the preprocessor expand each macro, then evaluate the result.
  const probe = src + macros.map((name) => `@nr ${name} = __NR_${name}\n`).join('');
  const out = new Map();
  for (const line of cpp(['-P', ...flags, '-'], probe).split('\n')) {
    const m = /^@nr (\w+) = (.*)$/.exec(line);
    if (!m) continue;
    const nr = evaluate(m[2]);
    const name = STRACE_RENAMES[arch][m[1]] ?? m[1];
    if (out.has(nr) && out.get(nr) !== name) throw new Error(`${arch}: ${nr} is both ${out.get(nr)} and ${name}`);
    out.set(nr, name);
  }
  return out;
}

function numbersFor(arch) {
  const table = headerNumbers(arch);
  for (const [nr, name] of [...COMMON_NEWER, ...ARCH_NEWER[arch], ...STRACE_ONLY[arch]]) {
    const have = table.get(nr);
    if (have !== undefined && have !== name) throw new Error(`${arch}: header says ${nr} is ${have}, expected ${name}`);
    table.set(nr, name);
  }
  return new Map([...table].sort((a, b) => a[0] - b[0]));
}

function render(arch, table) {
  const rows = [...table].map(([nr, name]) => `  [${nr}, '${name}'],`).join('\n');
  return `// Generated by scripts/gen-syscall-numbers.mjs from the ${arch} Linux UAPI headers
// (plus syscalls newer than those headers); do not edit by hand.
// Names are the ones strace prints for each number.

export const SYSCALL_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
${rows}
]);
`;
}

const args = process.argv.slice(2);
if (args[0] === '--print') {
  process.stdout.write(render(args[1], numbersFor(args[1])));
} else {
  let stale = false;
  for (const arch of Object.keys(ARCHES)) {
    const path = join(root, 'src', 'arch', arch, 'syscall-numbers.ts');
    const text = render(arch, numbersFor(arch));
    if (args[0] === '--check') {
      let old = '';
      try { old = readFileSync(path, 'utf8'); } catch { /* missing counts as stale */ }
      if (old !== text) { console.error(`stale: ${path}`); stale = true; }
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${path} (${tableSize(text)} syscalls)`);
    }
  }
  if (stale) process.exit(1);
}

function tableSize(text) {
  return text.split('\n').filter((l) => l.startsWith('  [')).length;
}
