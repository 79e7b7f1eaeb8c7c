// Linux signals as x86_64, aarch64 and riscv64 share them (asm-generic numbering), with
// the names strace prints and the si_code names of strace's src/xlat/*_codes.in.

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'continue';

/** Standard signals: name, number, default action (signal(7)). */
const SIGNAL_ROWS = [
  ['SIGHUP', 1, 'term'],
  ['SIGINT', 2, 'term'],
  ['SIGQUIT', 3, 'core'],
  ['SIGILL', 4, 'core'],
  ['SIGTRAP', 5, 'core'],
  ['SIGABRT', 6, 'core'],
  ['SIGBUS', 7, 'core'],
  ['SIGFPE', 8, 'core'],
  ['SIGKILL', 9, 'term'],
  ['SIGUSR1', 10, 'term'],
  ['SIGSEGV', 11, 'core'],
  ['SIGUSR2', 12, 'term'],
  ['SIGPIPE', 13, 'term'],
  ['SIGALRM', 14, 'term'],
  ['SIGTERM', 15, 'term'],
  ['SIGSTKFLT', 16, 'term'],
  ['SIGCHLD', 17, 'ignore'],
  ['SIGCONT', 18, 'continue'],
  ['SIGSTOP', 19, 'stop'],
  ['SIGTSTP', 20, 'stop'],
  ['SIGTTIN', 21, 'stop'],
  ['SIGTTOU', 22, 'stop'],
  ['SIGURG', 23, 'ignore'],
  ['SIGXCPU', 24, 'core'],
  ['SIGXFSZ', 25, 'core'],
  ['SIGVTALRM', 26, 'term'],
  ['SIGPROF', 27, 'term'],
  ['SIGWINCH', 28, 'ignore'],
  ['SIGIO', 29, 'term'],
  ['SIGPWR', 30, 'term'],
  ['SIGSYS', 31, 'core'],
] as const satisfies readonly (readonly [string, number, DefaultAction])[];

type SignalRow = (typeof SIGNAL_ROWS)[number];

/** The kernel's real-time range; glibc reserves the first few, but the kernel does not. */
export const SIGRTMIN = 32;
export const SIGRTMAX = 64;
/** Signals are 1..NSIG-1. */
export const NSIG = 65;

/** Other names of a standard signal (accepted on input, never printed). */
const SIGNAL_ALIASES = {
  SIGIOT: 6,
  SIGPOLL: 29,
} as const;

/** Named signal numbers: `SIG.SIGKILL === 9`. */
export const SIG: { readonly [R in SignalRow as R[0]]: R[1] } & typeof SIGNAL_ALIASES & {
  readonly SIGRTMIN: 32;
  readonly SIGRTMAX: 64;
} = Object.freeze({
  ...Object.fromEntries(SIGNAL_ROWS.map(([name, value]) => [name, value])),
  ...SIGNAL_ALIASES,
  SIGRTMIN,
  SIGRTMAX,
}) as never;

const NAME_BY_NUMBER: ReadonlyMap<number, string> = new Map(SIGNAL_ROWS.map(([name, value]) => [value, name]));
const NUMBER_BY_NAME: ReadonlyMap<string, number> = new Map<string, number>([
  ...SIGNAL_ROWS.map(([name, value]): [string, number] => [name, value]),
  ...Object.entries(SIGNAL_ALIASES),
]);

const ACTION_BY_NUMBER: ReadonlyMap<number, DefaultAction> = new Map(
  SIGNAL_ROWS.map(([, value, action]): [number, DefaultAction] => [value, action]),
);

/** Whether n is a valid signal number (1..64). */
export function isValidSignal(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n < NSIG;
}

/**
 * The name strace prints for a signal: `SIGKILL`, `SIGRTMIN` for 32, `SIGRT_1` … `SIGRT_32`
 * for 33 … 64 (strace counts from the kernel's SIGRTMIN, not glibc's), and the bare decimal
 * number for anything else, as strace's sprintsigname() does.
 */
export function signalName(n: number): string {
  const name = NAME_BY_NUMBER.get(n);
  if (name !== undefined) return name;
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (Number.isInteger(n) && n > SIGRTMIN && n <= SIGRTMAX) return `SIGRT_${n - SIGRTMIN}`;
  return String(n);
}

/**
 * A signal number from a name or number as a user writes it: `SIGKILL`, `kill`, `KILL`,
 * `9`, `SIGRTMIN`, `SIGRT_3`, `SIGRTMAX`, `SIGIOT`. Case-insensitive, SIG prefix optional,
 * as strace's -e signal= parsing. Not `SIGRTMIN+n`: that is glibc's SIGRTMIN (34), which
 * strace does not accept either. strace takes any decimal up to 255; this only 1..64.
 */
export function signalNumber(token: string): number | undefined {
  const t = token.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return isValidSignal(n) ? n : undefined;
  }
  const name = t.toUpperCase().replace(/^SIG/, '');
  const full = `SIG${name}`;
  const direct = NUMBER_BY_NAME.get(full);
  if (direct !== undefined) return direct;
  const rt = /^RT_([1-9]\d*)$/.exec(name); // SIGRT_0 is printed as SIGRTMIN, so not accepted
  if (rt) return inRt(SIGRTMIN + Number(rt[1]));
  if (name === 'RTMIN') return SIGRTMIN;
  if (name === 'RTMAX') return SIGRTMAX;
  return undefined;
}

function inRt(n: number): number | undefined {
  return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined;
}

/** What the kernel does with a signal whose disposition is SIG_DFL. */
export function defaultAction(signo: number): DefaultAction {
  return ACTION_BY_NUMBER.get(signo) ?? 'term';
}

// ---- si_code -------------------------------------------------------------------------

/** Codes any signal may carry (src/xlat/siginfo_codes.in; the non-MIPS values). */
const SI_CODES: ReadonlyMap<number, string> = new Map([
  [0, 'SI_USER'],
  [0x80, 'SI_KERNEL'],
  [-1, 'SI_QUEUE'],
  [-2, 'SI_TIMER'],
  [-3, 'SI_MESGQ'],
  [-4, 'SI_ASYNCIO'],
  [-5, 'SI_SIGIO'],
  [-6, 'SI_TKILL'],
  [-7, 'SI_DETHREAD'],
  [-60, 'SI_ASYNCNL'],
]);

/**
 * Signal-specific codes (src/xlat/sig*_codes.in). Only entries with a value defined on
 * these architectures: strace includes the sparc and arm64 SEGV_* values everywhere
 * because they have explicit numbers in its lists.
 */
const SIGNAL_SI_CODES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [SIG.SIGILL, codes('ILL_', ['ILLOPC', 1], ['ILLOPN', 2], ['ILLADR', 3], ['ILLTRP', 4],
    ['PRVOPC', 5], ['PRVREG', 6], ['COPROC', 7], ['BADSTK', 8], ['BADIADDR', 9])],
  [SIG.SIGFPE, codes('FPE_', ['INTDIV', 1], ['INTOVF', 2], ['FLTDIV', 3], ['FLTOVF', 4],
    ['FLTUND', 5], ['FLTRES', 6], ['FLTINV', 7], ['FLTSUB', 8], ['FLTUNK', 14], ['CONDTRAP', 15])],
  [SIG.SIGSEGV, codes('SEGV_', ['MAPERR', 1], ['ACCERR', 2], ['BNDERR', 3], ['PKUERR', 4],
    ['ACCADI', 5], ['ADIDERR', 6], ['ADIPERR', 7], ['MTEAERR', 8], ['MTESERR', 9], ['CPERR', 10])],
  [SIG.SIGBUS, codes('BUS_', ['ADRALN', 1], ['ADRERR', 2], ['OBJERR', 3], ['MCEERR_AR', 4],
    ['MCEERR_AO', 5])],
  [SIG.SIGTRAP, codes('TRAP_', ['BRKPT', 1], ['TRACE', 2], ['BRANCH', 3], ['HWBKPT', 4],
    ['UNK', 5], ['PERF', 6])],
  [SIG.SIGCHLD, codes('CLD_', ['EXITED', 1], ['KILLED', 2], ['DUMPED', 3], ['TRAPPED', 4],
    ['STOPPED', 5], ['CONTINUED', 6])],
  [SIG.SIGIO, codes('POLL_', ['IN', 1], ['OUT', 2], ['MSG', 3], ['ERR', 4], ['PRI', 5], ['HUP', 6])],
  [SIG.SIGSYS, codes('SYS_', ['SECCOMP', 1], ['USER_DISPATCH', 2])],
]);

function codes(prefix: string, ...rows: [string, number][]): ReadonlyMap<number, string> {
  return new Map(rows.map(([name, value]) => [value, prefix + name]));
}

/** Named si_code constants, e.g. `SI_CODE.SEGV_MAPERR === 1`, `SI_CODE.SI_TKILL === -6`. */
export const SI_CODE: { readonly [name: string]: number } = Object.freeze(Object.fromEntries([
  ...[...SI_CODES].map(([v, n]) => [n, v]),
  ...[...SIGNAL_SI_CODES.values()].flatMap((m) => [...m].map(([v, n]) => [n, v])),
]));

/**
 * The name strace prints for si_code of a siginfo for signal signo: the generic SI_* name
 * wins, then the signal's own table; undefined means strace prints the number.
 */
export function siCodeName(signo: number, code: number): string | undefined {
  return SI_CODES.get(code) ?? SIGNAL_SI_CODES.get(signo)?.get(code);
}
