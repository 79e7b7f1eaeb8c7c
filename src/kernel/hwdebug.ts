// Hardware breakpoints and watchpoints a guest debugger arms through ptrace(2) (x86_64's
// u_debugreg, aarch64's NT_ARM_HW_BREAK/WATCH). The architecture says what its debug registers
// mean (HwDebugArch); here the armed points become Unicorn hooks on the task's engine, installed
// only while a point is armed: a code hook on each breakpoint's address, and a memory hook over
// each watched range (which puts every load and store on Unicorn's slow path, so it goes as soon
// as the debugger disarms the point). The hooks belong to one task; another thread of the same
// address space runs through them unstopped.
import type { HookHandle } from '../../packages/unicorn-engine-ts/src/index.js';
import * as uc from '../../packages/unicorn-engine-ts/src/consts.js';
import type { HwPoint } from '../arch/types.js';
import type { Cpu, CpuFault, HwHit } from './cpu.js';
import type { Task } from './task.js';

const SIGTRAP = 5;
const TRAP_HWBKPT = 4;

/** A task's debug registers and what they armed. */
export interface HwDebugState {
  readonly words: bigint[];
  points: readonly HwPoint[];
  hooks: HookHandle[];
  /** The engine the hooks are on. */
  hookedOn: Cpu | undefined;
  /** Where an execute breakpoint stopped the task: resuming there runs the instruction (x86's RF). */
  resumeAt: bigint | undefined;
}

/** The task's debug state (all zero at first). */
export function debugState(task: Task): HwDebugState | undefined {
  const arch = task.group.arch.ptrace.hwDebug;
  if (arch === undefined) return undefined;
  return (task.hwDebug ??= { words: new Array<bigint>(arch.words).fill(0n), points: [], hooks: [], hookedOn: undefined, resumeAt: undefined });
}

/** New register words: 0, or the errno Linux refuses them with (the state then stays as it was). */
export function setDebugWords(task: Task, words: readonly bigint[]): number {
  const state = debugState(task)!;
  const points = task.group.arch.ptrace.hwDebug!.points(words);
  if (typeof points === 'number') return points;
  words.forEach((w, i) => { state.words[i] = w; });
  state.points = points;
  armPoints(task, state);
  return 0;
}

/** Re-derives the armed points from the words (after a write the architecture validated). */
export function rearm(task: Task): void {
  const state = debugState(task)!;
  const points = task.group.arch.ptrace.hwDebug!.points(state.words);
  state.points = typeof points === 'number' ? [] : points;
  armPoints(task, state);
}

/** exec and exit: the debug registers are cleared (Linux's flush_ptrace_hw_breakpoint). */
export function clearDebug(task: Task): void {
  const state = task.hwDebug;
  if (state === undefined) return;
  unhook(state);
  task.hwDebug = undefined;
}

function unhook(state: HwDebugState): void {
  const cpu = state.hookedOn;
  // (An engine that has been closed took its hooks with it.)
  if (cpu !== undefined && !cpu.engine.closed) for (const h of state.hooks) cpu.engine.hookDel(h);
  state.hooks = [];
  state.hookedOn = undefined;
}

function armPoints(task: Task, state: HwDebugState): void {
  unhook(state);
  if (state.points.length === 0) return;
  const cpu = task.group.cpu;
  const engine = cpu.engine;
  state.hookedOn = cpu;
  for (const p of state.points) {
    if (p.kind === 'exec') {
      state.hooks.push(engine.hookCode((address) => {
        if (cpu.owner !== task || cpu.debugQuiet) return;
        if (cpu.debugPassAt === address) {
          cpu.debugPassAt = undefined;
          return;
        }
        cpu.debugStop({ point: p, addr: address });
      }, p.addr, p.addr));
      continue;
    }
    const type = p.kind === 'write' ? uc.UC_HOOK_MEM_WRITE : p.kind === 'read' ? uc.UC_HOOK_MEM_READ : uc.UC_HOOK_MEM_READ | uc.UC_HOOK_MEM_WRITE;
    // Unicorn matches an access by its first byte: start early enough for a wide one that overlaps.
    const begin = p.addr >= 7n ? p.addr - 7n : 0n;
    state.hooks.push(engine.hookMemAccess(type, (kind, address, size) => {
      if (cpu.owner !== task || cpu.debugQuiet) return;
      if (address + BigInt(size) <= p.addr || address >= p.addr + BigInt(p.len)) return;
      // The hook runs before a store: what it overwrites, to undo it.
      const old = kind === uc.UC_MEM_WRITE ? engine.memRead(address, size) : undefined;
      cpu.debugStop({ point: p, addr: address, old });
    }, begin, p.addr + BigInt(p.len) - 1n));
  }
}

/** An instruction count no run reaches: a counted run keeps the exact PC of a watched access. */
export const COUNTED_RUN = 0x7fffffff;

/** Whether a watchpoint is armed (the task's runs are then counted). */
export function watching(state: HwDebugState): boolean {
  return state.points.some((p) => p.kind !== 'exec');
}

/** Before a run: a task resumed at the breakpoint that stopped it runs that instruction (x86). */
export function beforeRun(task: Task, cpu: Cpu): void {
  const state = task.hwDebug;
  cpu.debugPassAt = state?.resumeAt !== undefined && state.resumeAt === cpu.pc ? state.resumeAt : undefined;
  if (state !== undefined) state.resumeAt = undefined;
}

/**
 * A hit stopped the engine (at the instruction, a store's bytes already written): the SIGTRAP
 * to send, or the fault that the instruction made instead. The engine stops with the PC at the
 * instruction and only the access done; x86 finishes the instruction (the access undone, then
 * the instruction run once more, unwatched), aarch64 undoes the access and stays before it.
 */
export function debugTrap(task: Task, cpu: Cpu, hit: HwHit): { readonly fault: CpuFault } | { readonly signo: number; readonly code: number; readonly addr: bigint } {
  const arch = task.group.arch.ptrace.hwDebug!;
  const state = debugState(task)!;
  if (hit.old !== undefined) cpu.engine.memWrite(hit.addr, hit.old);
  const exec = hit.point.kind === 'exec';
  if (!exec && arch.watchStopsAfter) {
    cpu.debugQuiet = true;
    let exit;
    try {
      exit = cpu.run(1);
    } finally {
      cpu.debugQuiet = false;
    }
    if (exit.kind === 'fault') return { fault: exit.fault };
  }
  arch.hit(state.words, hit.point);
  if (exec && arch.resumePassesBreakpoint) state.resumeAt = hit.addr;
  return { signo: SIGTRAP, code: TRAP_HWBKPT, addr: exec || arch.watchStopsAfter ? cpu.pc : hit.addr };
}
