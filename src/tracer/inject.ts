// strace's syscall tampering: -e inject=SET:error=E|retval=N[:signal=S][:delay_enter=D]
// [:delay_exit=D][:when=FIRST[..LAST][+[STEP]]] and -e fault=SET[:error=E][:when=...] (error
// ENOSYS by default). Which calls of a tracee are tampered with is decided here; the tracer
// carries it out through the kernel's ptrace entry points (skip the call at entry, set its
// return value at exit, a signal on resume, a parked resume for delays).
import { errnoNumber } from '../abi/errno.js';
import { signalNumber } from '../abi/signals.js';
import { parseDuration, UsageError } from './options.js';
import { parseSyscallSet, type SyscallPredicate } from './syscall-set.js';

export interface Tampering {
  /** The call is not run and returns -error. */
  readonly error?: number;
  /** The call is not run and returns this. */
  readonly retval?: bigint;
  /** Delivered when the call exits. */
  readonly signal?: number;
  readonly delayEnterNs?: bigint;
  readonly delayExitNs?: bigint;
}

interface Rule extends Tampering {
  readonly selects: SyscallPredicate;
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

/** The largest -e inject when= value strace takes. */
const MAX_WHEN = 65535;

export class Injector {
  private readonly rules: Rule[] = [];
  /** Per tracee and syscall name: how many times it was entered. */
  private readonly counts = new Map<number, Map<string, number>>();
  private readonly byName = new Map<string, Rule | undefined>();

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Adds one -e inject= (fault=false) or -e fault= (fault=true) expression's value. */
  add(value: string, fault: boolean): void {
    this.rules.push(parseRule(value, fault));
    this.byName.clear();
  }

  /** At a call's entry: what to do to this occurrence of `name` in task `tid`, if anything. */
  decide(tid: number, name: string, nr?: number): Tampering | undefined {
    let rule = this.byName.get(name);
    if (!this.byName.has(name)) {
      // As in strace, a later expression naming the same syscall replaces an earlier one.
      rule = [...this.rules].reverse().find((r) => r.selects(name, nr));
      this.byName.set(name, rule);
    }
    if (rule === undefined) return undefined;
    let perTask = this.counts.get(tid);
    if (perTask === undefined) this.counts.set(tid, (perTask = new Map()));
    const n = (perTask.get(name) ?? 0) + 1;
    perTask.set(name, n);
    if (n < rule.first || n > rule.last || (n - rule.first) % rule.step !== 0) return undefined;
    return rule;
  }

  /** A task ended: its counts go. */
  forget(tid: number): void {
    this.counts.delete(tid);
  }
}

function parseRule(value: string, fault: boolean): Rule {
  const what = fault ? 'fault' : 'inject';
  const bad = (): UsageError => new UsageError(`invalid ${what} argument '${value}'`);
  const [setText, ...params] = value.split(':');
  if (setText === undefined || setText === '') throw bad();
  const selects = parseSyscallSet(setText);
  let error: number | undefined;
  let retval: bigint | undefined;
  let signal: number | undefined;
  let delayEnterNs: bigint | undefined;
  let delayExitNs: bigint | undefined;
  let first = 1;
  let last = Infinity;
  let step = 1;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) throw bad();
    const key = p.slice(0, eq);
    const v = p.slice(eq + 1);
    if (fault && key !== 'error' && key !== 'when') throw bad();
    switch (key) {
      case 'error': {
        const n = /^\d+$/.test(v) ? Number(v) : errnoNumber(v);
        if (n === undefined || n < 1 || n > 4095 || error !== undefined || retval !== undefined) throw bad();
        error = n;
        break;
      }
      case 'retval': {
        if (!/^-?\d+$/.test(v) || error !== undefined || retval !== undefined) throw bad();
        retval = BigInt(v);
        break;
      }
      case 'signal': {
        const n = /^\d+$/.test(v) ? Number(v) : signalNumber(v);
        if (n === undefined || n < 1 || n > 64) throw bad();
        signal = n;
        break;
      }
      case 'delay_enter': delayEnterNs = durationOf(v, bad); break;
      case 'delay_exit': delayExitNs = durationOf(v, bad); break;
      case 'when': {
        const m = /^(\d+)(?:\.\.(\d+))?(?:\+(\d*))?$/.exec(v);
        if (m === null) throw bad();
        first = Number(m[1]);
        const hasStep = m[3] !== undefined;
        last = m[2] !== undefined ? Number(m[2]) : hasStep ? Infinity : first;
        step = hasStep && m[3] !== '' ? Number(m[3]) : 1;
        if (first < 1 || first > MAX_WHEN || last < first || step < 1 || step > MAX_WHEN) throw bad();
        break;
      }
      case 'syscall': case 'poke_enter': case 'poke_exit':
        throw new UsageError(`-e ${what}=...:${key}= is not supported by tstrace: only error, retval, signal, delay_enter, delay_exit and when`);
      default: throw bad();
    }
  }
  if (fault && error === undefined) error = 38; // ENOSYS
  if (error === undefined && retval === undefined && signal === undefined && delayEnterNs === undefined && delayExitNs === undefined) throw bad();
  return { selects, first, last, step, error, retval, signal, delayEnterNs, delayExitNs };
}

function durationOf(v: string, bad: () => UsageError): bigint {
  try {
    return parseDuration('delay', v);
  } catch {
    throw bad();
  }
}
