// Normalization: one canonical line per event, with what always differs between two runs of
// the same program taken out. Each part can be switched off.
//
// Pids cannot be rewritten on the spot: a child's lines may come before the fork's return
// names it, and a task's path is only known once the whole log is read. So a pid becomes a
// placeholder (PID_KNOWN + task id, or PID_NUMBER + the number) that `resolvePids` turns into
// `<task 1.2>` afterwards.
import type { StraceEvent, SyscallEvent, SignalEvent } from '../../schemas/strace-event.js';
import { parseTraceClass, syscallsInClass, traceClassesOf, type TraceClass } from '../tracer/trace-classes.js';
import { joinArgs, limitString, splitArgs, stringEnd } from './args.js';
import { foldCrossArch, isFoldedName } from './cross-arch.js';

export interface NormalizeOptions {
  /** Mask pointers (hex values ≥ 0x10000) as `0x…`, and the register value rt_sigreturn restores. */
  addresses: boolean;
  /** Replace pids/tids by the task's path in the process tree. */
  pids: boolean;
  /**
   * Mask time values inside arguments (clock_gettime results, si_utime, st_mtime…, sysinfo's
   * uptime and load). Timestamps and -T durations are never compared.
   */
  times: boolean;
  /** Keep the -y/-yy annotations of file descriptors (`3</etc/passwd>`); inode numbers in them are masked still. */
  keepFds: boolean;
  /** Cut string contents to this many bytes (strace's -s; 32 is its default); 0 keeps them whole. */
  stringLimit: number;
  /** Mask the bytes getrandom returns. */
  random: boolean;
  /** Syscalls left out (names, or classes such as %memory). */
  ignore: readonly string[];
  /** Keep only syscalls of these trace classes (signals and exits are always kept, as in strace). */
  only: readonly TraceClass[];
  /** Signals left out (SIGCHLD or CHLD). */
  ignoreSignals: readonly string[];
  /** Fold calls that differ only by architecture (open/openat, stat/newfstatat, fork/clone, …). */
  crossArch: boolean;
}

export const DEFAULT_NORMALIZE_OPTIONS: Readonly<NormalizeOptions> = Object.freeze({
  addresses: true,
  pids: true,
  times: true,
  keepFds: false,
  stringLimit: 32,
  random: true,
  ignore: [],
  only: [],
  ignoreSignals: [],
  crossArch: false,
});

export const PID_KNOWN = '\u0001';
export const PID_NUMBER = '\u0003';
export const PID_END = '\u0002';

/** How the normalizer names a pid: a placeholder resolved once the task tree is complete. */
export interface PidNamer {
  /** The id of the task that currently has this pid in the log, if any. */
  taskIdOf(pid: number): number | undefined;
}

/** Arguments (0-based) that hold a pid, by syscall. */
const PID_ARGS: Readonly<Record<string, readonly number[]>> = {
  kill: [0], tkill: [0], tgkill: [0, 1], wait4: [0], waitpid: [0], waitid: [1],
  setpgid: [0, 1], getpgid: [0], getsid: [0], prlimit64: [0], ptrace: [1],
  sched_setaffinity: [0], sched_getaffinity: [0], sched_setscheduler: [0], sched_getscheduler: [0],
  sched_setparam: [0], sched_getparam: [0], sched_setattr: [0], sched_getattr: [0],
  sched_rr_get_interval: [0], process_vm_readv: [0], process_vm_writev: [0], pidfd_open: [0],
  rt_sigqueueinfo: [0], rt_tgsigqueueinfo: [0, 1], get_robust_list: [0], kcmp: [0, 1],
  migrate_pages: [0], move_pages: [0], ioprio_get: [1], ioprio_set: [1],
};
/** Arguments that hold a tid only sometimes (a futex word): rewritten only when it is a traced task's. */
const KNOWN_PID_ARGS: Readonly<Record<string, readonly number[]>> = { futex: [2] };
/** Calls whose return value is a pid. */
const PID_RETURNS = new Set([
  'clone', 'clone3', 'fork', 'vfork', 'getpid', 'getppid', 'gettid', 'set_tid_address', 'wait4',
  'waitpid', 'getpgid', 'getpgrp', 'getsid', 'setsid',
]);
/**
 * Calls that return whatever the interrupted context had in its return register: the result of
 * an interrupted call (often a pid, a wait4's), or any value when user code was interrupted.
 * Not compared while addresses are masked; otherwise a traced task's pid names the task.
 */
const KNOWN_PID_RETURNS = new Set(['rt_sigreturn', 'sigreturn']);
/** Calls whose arguments report the current time. */
const TIME_OUTPUT = new Set(['clock_gettime', 'clock_gettime64', 'gettimeofday', 'clock_nanosleep', 'nanosleep']);
/** Calls whose return value is a time. */
const TIME_RETURNS = new Set(['time', 'times']);

const ADDRESS_RE = /\b0x[0-9a-f]{5,}\b/g;
const VERBOSE_RE = /(?:-?0x[0-9a-f]+|-?\d+) \/\* ((?:[^*]|\*(?!\/))+?) \*\//g;
const TIME_FIELD_RE = /\b(si_utime|si_stime|tms_utime|tms_stime|tms_cutime|tms_cstime)=\d+/g;
const STAT_TIME_RE = /\b(st_[amc]time(?:_nsec)?)=[^,}]*/g;
const TIMESPEC_FIELD_RE = /\b((?:ru|stx)_[a-z]+time)=\{[^}]*\}/g;
const TV_RE = /\b(tv_sec|tv_nsec|tv_usec)=\d+/g;
const SYSINFO_RE = /\b(uptime|loads|freeram|sharedram|bufferram|freeswap|procs|freehigh)=(\[[^\]]*\]|\d+)/g;
const PROC_PID_RE = /\/proc\/(\d+)(?=\/|")/g;

/** Turns events into canonical lines. One instance per log (it is stateless otherwise). */
export class Normalizer {
  readonly options: Readonly<NormalizeOptions>;
  private readonly ignored: ReadonlySet<string>;
  private readonly onlyClasses: ReadonlySet<TraceClass> | null;
  private readonly ignoredSignals: ReadonlySet<string>;

  constructor(options?: Partial<NormalizeOptions>) {
    this.options = { ...DEFAULT_NORMALIZE_OPTIONS, ...options };
    const ignored = new Set<string>();
    for (const token of this.options.ignore) {
      if (token.startsWith('%')) {
        const cls = parseTraceClass(token);
        if (cls === undefined) throw new Error(`unknown trace class ${token} in --ignore`);
        for (const n of syscallsInClass(cls)) ignored.add(n);
      } else ignored.add(token);
    }
    this.ignored = ignored;
    this.onlyClasses = this.options.only.length > 0 ? new Set(this.options.only) : null;
    this.ignoredSignals = new Set(this.options.ignoreSignals.map((s) => (s.startsWith('SIG') ? s : `SIG${s}`)));
  }

  /** The canonical line of an event, with pid placeholders; null when the event is left out. */
  canonical(event: StraceEvent, pids: PidNamer): string | null {
    switch (event.kind) {
      case 'syscall':
        return this.syscall(event, pids);
      case 'signal':
        return this.signal(event, pids);
      case 'exit':
        if (event.how === 'exited') return `+++ exited with ${event.code ?? 0} +++`;
        if (event.how === 'killed') return `+++ killed by ${event.signal ?? '?'}${event.coreDumped === true ? ' (core dumped)' : ''} +++`;
        return '+++ superseded by execve +++';
      case 'opaque':
        return event.text;
      case 'notice':
        return null;
    }
  }

  private keepsName(name: string): boolean {
    if (this.ignored.has(name)) return false;
    if (this.onlyClasses === null) return true;
    for (const c of traceClassesOf(name)) if (this.onlyClasses.has(c)) return true;
    return false;
  }

  private syscall(event: SyscallEvent, pids: PidNamer): string | null {
    const o = this.options;
    let name = event.name;
    let args = event.args;
    let ret = event.ret;
    if (!this.keepsName(name)) return null;
    if (o.crossArch && isFoldedName(name)) {
      const folded = foldCrossArch(name, splitArgs(args), ret ?? '');
      if (folded === null) return null;
      if (folded.name !== name && !this.keepsName(folded.name)) return null;
      name = folded.name;
      args = joinArgs(folded.args);
      if (folded.ret !== undefined && ret !== null) ret = folded.ret;
    }
    if (o.pids) {
      const positions = PID_ARGS[name];
      const knownOnly = KNOWN_PID_ARGS[name];
      if (positions !== undefined || knownOnly !== undefined) {
        const parts = splitArgs(args);
        for (const i of positions ?? []) if (i < parts.length) parts[i] = pidText(parts[i]!, pids, false);
        for (const i of knownOnly ?? []) if (i < parts.length) parts[i] = pidText(parts[i]!, pids, true);
        args = joinArgs(parts);
      }
    }
    if (o.pids && args.includes('{pid=')) {
      // A struct ucred (SO_PEERCRED, SCM_CREDENTIALS) names a process: "{pid=9638, uid=0, gid=0}".
      args = args.replace(/\{pid=(\d+), uid=/g, (_m, p: string) => `{pid=${pidText(p, pids, false)}, uid=`);
    }
    if (o.pids && args.includes('si_pid=')) {
      // A siginfo in an argument (rt_sigqueueinfo, rt_sigtimedwait, waitid) names its sender.
      args = args.replace(/\bsi_pid=(\d+)/g, (_m, p: string) => `si_pid=${pidText(p, pids, false)}`);
    }
    if (o.pids && args.includes('_tid=[')) {
      // clone/clone3 report the new tid where they stored it: "=> {parent_tid=[9638]}".
      args = args.replace(/\b(parent_tid|child_tid)=\[(\d+)\]/g, (_m, f: string, p: string) => `${f}=[${pidText(p, pids, false)}]`);
    }
    args = this.text(args, name);
    if (ret === null) return `${name}(${args} <unfinished ...>`;
    ret = this.returnText(ret, name, pids);
    return `${name}(${args}) = ${ret}`;
  }

  private returnText(ret: string, name: string, pids: PidNamer): string {
    const o = this.options;
    if (o.addresses && KNOWN_PID_RETURNS.has(name)) return '<restored>';
    if (o.pids && (PID_RETURNS.has(name) || KNOWN_PID_RETURNS.has(name))) {
      const m = /^(\d+)(.*)$/.exec(ret);
      if (m !== null && m[1] !== '0') return pidText(m[1]!, pids, KNOWN_PID_RETURNS.has(name)) + this.text(m[2]!, name);
    }
    if (o.times && TIME_RETURNS.has(name) && /^\d/.test(ret)) return ret.replace(/^\d+/, '<time>');
    return this.text(ret, name);
  }

  private signal(event: SignalEvent, pids: PidNamer): string | null {
    if (this.ignoredSignals.has(event.signal)) return null;
    if (event.stopped === true) return `--- stopped by ${event.signal} ---`;
    let info = event.info;
    if (info.length === 0) return `--- ${event.signal} ---`;
    if (this.options.pids) {
      info = info.replace(/\bsi_pid=(\d+)/g, (_m, p: string) => `si_pid=${pidText(p, pids, false)}`);
    }
    return `--- ${event.signal} {${this.text(info, '')}} ---`;
  }

  /** Normalizes argument or return text: string literals one way, everything else another. */
  private text(text: string, name: string): string {
    if (text.length === 0) return text;
    const q = text.indexOf('"');
    if (q < 0) return this.plain(text, name);
    let out = '';
    let pos = 0;
    let start = q;
    while (start >= 0) {
      out += this.plain(text.slice(pos, start), name);
      const end = stringEnd(text, start);
      out += this.literal(text.slice(start, end), name);
      pos = end;
      start = text.indexOf('"', pos);
    }
    return out + this.plain(text.slice(pos), name);
  }

  private literal(lit: string, name: string): string {
    const o = this.options;
    if (o.random && name === 'getrandom') return lit.endsWith('...') ? '"…"...' : '"…"';
    let s = lit;
    if (o.pids && s.includes('/proc/')) s = s.replace(PROC_PID_RE, (_m, p: string) => `/proc/${PID_NUMBER}${p}${PID_END}`);
    if (o.stringLimit > 0 && s.length > o.stringLimit + 2) s = limitString(s, o.stringLimit);
    return s;
  }

  private plain(text: string, name: string): string {
    if (text.length === 0) return text;
    const o = this.options;
    let s = text;
    if (s.includes('/*')) {
      // -X verbose: "0x1 /* PROT_READ */" → "PROT_READ"; counts such as "/* 39 vars */" stay.
      s = s.replace(VERBOSE_RE, (m: string, what: string) => (/^\d+ [a-z]+$/.test(what) ? m : what));
    }
    if (s.includes('<')) s = o.keepFds ? maskFdInodes(s) : stripFdAnnotations(s);
    if (o.addresses && s.includes('0x')) s = s.replace(ADDRESS_RE, '0x…');
    if (o.times) {
      if (s.includes('time')) {
        s = s.replace(TIME_FIELD_RE, '$1=<time>').replace(STAT_TIME_RE, '$1=<time>').replace(TIMESPEC_FIELD_RE, '$1={<time>}');
      }
      if (TIME_OUTPUT.has(name)) s = s.replace(TV_RE, '$1=<time>');
      // sysinfo reports the machine's clock and load of the moment.
      else if (name === 'sysinfo') s = s.replace(SYSINFO_RE, '$1=<now>');
    }
    return s;
  }
}

/** A pid as text: a placeholder for a traced task, `<pid>` for another process, small values as they are. */
function pidText(value: string, pids: PidNamer, knownOnly: boolean): string {
  const m = /^(-?)(\d+)(<[^>]*>)?$/.exec(value);
  if (m === null) return value;
  const n = Number(m[2]);
  if (n === 0) return value;
  const id = pids.taskIdOf(n);
  if (id !== undefined) return `${m[1]}${PID_KNOWN}${id}${PID_END}`;
  if (knownOnly) return value;
  return `${m[1]}${PID_NUMBER}${n}${PID_END}`;
}

/**
 * Drops -y/-yy annotations: `3</etc/passwd>` → `3`, `AT_FDCWD</tmp>` → `AT_FDCWD`,
 * `1</dev/pts/0<char 136:0>>` → `1`. An annotation follows a digit or AT_FDCWD directly.
 */
export function stripFdAnnotations(s: string): string {
  let out = '';
  let pos = 0;
  let lt = s.indexOf('<');
  while (lt >= 0) {
    const prev = s.charCodeAt(lt - 1);
    const isFd = (prev >= 48 && prev <= 57) || (prev === 68 && s.endsWith('AT_FDCWD', lt));
    if (!isFd || s.startsWith('<... ', lt) || s.startsWith('<unfinished', lt)) {
      lt = s.indexOf('<', lt + 1);
      continue;
    }
    let depth = 0;
    let i = lt;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 60) depth++;
      else if (c === 62 && --depth === 0) break;
    }
    if (depth !== 0) break;
    out += s.slice(pos, lt);
    pos = i + 1;
    lt = s.indexOf('<', pos);
  }
  return pos === 0 ? s : out + s.slice(pos);
}

/** With --keep-fds: the annotations stay, their inode numbers (different every run) do not. */
function maskFdInodes(s: string): string {
  return s.replace(/(socket|pipe|anon_inode|UNIX|NETLINK|TCP|UDP|TCPv6|UDPv6):\[(\d+)/g, '$1:[…');
}

/** Replaces pid placeholders by task paths (`<task 1.2>`), or `<pid>` for processes outside the trace. */
export function resolvePids(line: string, pathOfTask: (id: number) => string, taskIdOfPid: (pid: number) => number | undefined): string {
  if (!line.includes(PID_END)) return line;
  return line.replace(/([\u0001\u0003])(\d+)\u0002/g, (_m, kind: string, num: string) => {
    const n = Number(num);
    if (kind === PID_KNOWN) return `<task ${pathOfTask(n)}>`;
    const id = taskIdOfPid(n);
    if (id !== undefined) return `<task ${pathOfTask(id)}>`;
    return n <= 1 ? num : '<pid>';
  });
}

/** Whether a canonical line still holds pid placeholders. */
export function hasPidPlaceholder(line: string): boolean {
  return line.includes(PID_END);
}
