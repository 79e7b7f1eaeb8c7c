// The syscall spec (src/abi/syscalls.ts) is the one list of syscall names: every arch number
// table names only spec rows, the kernel's handlers and the tracer's decoders extend it through
// extendSpec (which refuses a name twice or a name the spec lacks), and every implemented call
// prints as many arguments as the spec says, except where strace's own decoder prints another
// number (listed below with strace's reason).
import test from 'node:test';
import assert from 'node:assert/strict';

import { SYSCALL_NAMES as X86_64 } from '../src/arch/x86_64/syscall-numbers.js';
import { SYSCALL_NAMES as AARCH64 } from '../src/arch/aarch64/syscall-numbers.js';
import { SYSCALL_NAMES as RISCV64 } from '../src/arch/riscv64/syscall-numbers.js';
import { extendSpec, SYSCALL_SPECS, syscallSpec } from '../src/abi/syscalls.js';
import { SYSCALL_HANDLERS } from '../src/kernel/syscalls/table.js';
import { argCount, decodedSyscalls, isDecoded } from '../src/tracer/decode/registry.js';
import { traceClassesOf } from '../src/tracer/trace-classes.js';
import { line } from './decode-harness.js';

test('every name in every arch number table has a spec row', () => {
  for (const [arch, table] of [['x86_64', X86_64], ['aarch64', AARCH64], ['riscv64', RISCV64]] as const) {
    const missing = [...table.values()].filter((n) => !SYSCALL_SPECS.has(n));
    assert.deepEqual(missing, [], `${arch} names without a spec row`);
  }
});

test('the kernel handlers and the tracer decoders name only spec rows', () => {
  for (const n of SYSCALL_HANDLERS.keys()) assert.ok(syscallSpec(n), n);
  for (const n of decodedSyscalls()) assert.ok(syscallSpec(n), n);
});

test('extendSpec refuses a name registered twice and a name not in the spec', () => {
  const e = { x: 1 };
  assert.throws(() => extendSpec('t', { a: { read: e }, b: { read: e } }), /read is registered by both a and b/);
  assert.throws(() => extendSpec('t', { a: { read_harder: e } }), /read_harder \(in a\) has no row/);
  assert.deepEqual([...extendSpec('t', { a: { read: 1 }, b: { write: 2 } })], [['read', 1], ['write', 2]]);
});

test('the trace classes and argument counts come from the spec', () => {
  assert.deepEqual(traceClassesOf('openat'), ['desc', 'file']);
  assert.deepEqual(traceClassesOf('fadvise64'), ['desc']);
  assert.deepEqual(traceClassesOf('capget'), ['creds']);
  assert.equal(argCount('mknodat'), 4);
  assert.equal(argCount('preadv2'), 6);
  assert.equal(argCount('epoll_pwait2'), 6);
  assert.equal(argCount('rseq'), 4);
  assert.equal(argCount('fchmodat2'), 4);
  assert.equal(argCount('syscall_0x3e8'), 6);
});

/** Splits an argument list at its top-level commas (outside strings, brackets and comments). */
function topLevelArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      cur += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      cur += text.slice(i, j + 2);
      i = j + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/**
 * Calls whose strace decoder prints another number of arguments than its nargs for RAW_ARGS,
 * and why (checked against strace 6.1 running the same calls natively on x86_64).
 */
const PRINTS_OTHER_COUNT: Readonly<Record<string, { readonly printed: number; readonly why: string }>> = {
  preadv2: { printed: 5, why: 'the offset halves pos_l/pos_h print as one offset' },
  pwritev2: { printed: 5, why: 'the offset halves pos_l/pos_h print as one offset' },
  mknodat: { printed: 3, why: 'the device prints only for S_IFCHR/S_IFBLK modes' },
  mknod: { printed: 2, why: 'the device prints only for S_IFCHR/S_IFBLK modes' },
  clone: { printed: 2, why: 'strace prints child_stack and flags, then only the arguments the flags use' },
  mremap: { printed: 4, why: 'new_address prints only with MREMAP_FIXED' },
  restart_syscall: { printed: 1, why: 'no arguments, but strace names the call it resumes: <... resuming interrupted nanosleep ...>' },
};

// Distinctive raw arguments: small enough to stay plain numbers where a number is printed, and
// addresses nothing maps (so a pointer prints as its value, never a struct).
const RAW_ARGS = [0x3e9, 0x3ea, 0x3eb, 0x3ec, 0x3ed, 0x3ee];

test('every implemented call prints the spec\'s number of arguments', () => {
  const wrong: string[] = [];
  for (const name of [...SYSCALL_HANDLERS.keys()].sort()) {
    const spec = syscallSpec(name)!;
    const text = line(name, { args: RAW_ARGS, ret: -14 });
    const inner = text.slice(name.length + 1, text.lastIndexOf(') = '));
    const printed = topLevelArgs(inner).length;
    const expected = PRINTS_OTHER_COUNT[name]?.printed ?? spec.nargs;
    if (printed !== expected) wrong.push(`${name}: ${printed} printed, expected ${expected}: ${text}`);
  }
  assert.deepEqual(wrong, []);
});

test('a call without a decoder prints the spec\'s number of arguments in hex', () => {
  const raw = [...SYSCALL_SPECS.values()].filter((s) => !isDecoded(s.name));
  assert.ok(raw.length > 0);
  for (const s of raw) {
    const text = line(s.name, { args: RAW_ARGS, ret: -38 });
    const expected = RAW_ARGS.slice(0, s.nargs).map((a) => `0x${a.toString(16)}`).join(', ');
    assert.equal(text, `${s.name}(${expected}) = -1 ENOSYS (Function not implemented)`);
  }
});
