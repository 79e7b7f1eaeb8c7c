// A streaming parser of strace's output (and tstrace's, which prints the same format).
//
// It takes one line at a time, so a log of any size is read in constant memory, and turns
// each line into a StraceEvent. What it understands:
//   - prefixes: `PID  ` (strace -f -o), `[pid  N] ` (stderr), none (a single task, or -ff files);
//   - timestamps -t, -tt, -ttt, -r and -T durations; -i (`[ip] `) and -n (`[ nr] `) prefixes;
//   - `<unfinished ...>` joined with `<... NAME resumed>`, `<detached ...>`;
//   - `--- SIG {...} ---`, `--- stopped by SIG ---`, `+++ exited with N +++`,
//     `+++ killed by SIG (core dumped) +++`, `+++ superseded by execve in pid N +++`;
//   - strace's notices (`strace: Process N attached`, also when stderr spliced one into the
//     middle of a syscall line) and `-c` summary tables (skipped, reported as one notice).
// Anything else becomes an opaque event carrying its line number: the parser never throws.
import type {
  ExitEvent, NoticeEvent, OpaqueEvent, SignalEvent, StraceEvent, SyscallEvent, TimestampKind,
} from '../../schemas/strace-event.js';

export interface ParserOptions {
  /** Index of the file within a -ff set (0 for a single log). */
  readonly file?: number;
  /** The pid every unprefixed line belongs to (a -ff file FILE.PID). */
  readonly pid?: number;
  /**
   * Receives each event. `body` is given for a complete one-line syscall (the line less its pid
   * prefix and timestamp): a consumer may remember what it made of it and take the next
   * identical line through `memo`, without an event being built.
   */
  readonly onEvent: (event: StraceEvent, body?: string) => void;
  readonly memo?: LineMemo;
  /**
   * An unprefixed log printed its first task's lines before strace had a reason to show its
   * pid (stderr output shows `[pid N]` only once a second task exists). When that pid becomes
   * known, this is called; the events already emitted for it carry pid null.
   */
  readonly onBindAnonymous?: (pid: number) => void;
}

/** Lets a consumer handle a line it has seen before, by its body alone. */
export interface LineMemo {
  /** Handles the line (as the event its body made before) and returns true, or returns false. */
  replay(body: string, line: number, pid: number | null): boolean;
}

interface PendingCall {
  readonly event: SyscallEvent;
}

const FORK_LIKE = new Set(['clone', 'clone3', 'fork', 'vfork']);
/** Calls that return the caller's own tid (the first task's is its pid). */
const SELF_PID = new Set(['set_tid_address', 'gettid', 'getpid']);

const CH_0 = 48;
const CH_9 = 57;
const CH_SPACE = 32;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= CH_0 && c <= CH_9) || c === 95 || (c >= 65 && c <= 90);
}

const ATTACHED_RE = /strace: Process (\d+) attached/;

export class StraceParser {
  private readonly file: number;
  private readonly fixedPid: number | undefined;
  private readonly onEvent: (event: StraceEvent, body?: string) => void;
  private readonly memo: LineMemo | undefined;
  private readonly onBindAnonymous: ((pid: number) => void) | undefined;
  /** Calls left `<unfinished ...>`, by pid (-1 stands for the anonymous task). */
  private readonly pending = new Map<number, PendingCall>();
  /** Pids strace announced or a fork-like call returned: not the anonymous first task. */
  private readonly knownPids = new Set<number>();
  /** Tasks seen and not yet exited, to attribute unprefixed lines in stderr captures. */
  private readonly live = new Set<number>();
  private anonymousPid: number | null = null;
  private anonymousUsed = false;
  private lastPid: number | null = null;
  private inSummary = false;
  /** A line that stderr interrupted with a notice: the rest follows on the next line. */
  private spliced: { text: string; line: number } | null = null;
  /** Number of -c summary tables skipped. */
  summaryTables = 0;
  /** Lines that did not parse. */
  opaqueLines = 0;
  /** Events of any kind emitted. */
  events = 0;

  constructor(options: ParserOptions) {
    this.file = options.file ?? 0;
    this.fixedPid = options.pid;
    this.onEvent = options.onEvent;
    this.memo = options.memo;
    this.onBindAnonymous = options.onBindAnonymous;
    if (this.fixedPid !== undefined) this.live.add(this.fixedPid);
  }

  /** The pid finally bound to the log's unprefixed first task, if it was learnt. */
  get anonymousTaskPid(): number | null {
    return this.anonymousPid;
  }

  /** Feeds one line (without its newline). lineNo is 1-based. */
  line(raw: string, lineNo: number): void {
    let text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (this.spliced !== null) {
      text = this.spliced.text + text;
      lineNo = this.spliced.line;
      this.spliced = null;
    }
    if (this.inSummary) {
      // A -c table: its rows, rules and a closing "total" row. Anything else ends it.
      if (/^(\s*[\d.]+\s|-{3,}|% time|\s*$)/.test(text)) {
        if (/\stotal\s*$/.test(text)) this.inSummary = false;
        return;
      }
      this.inSummary = false;
    }
    if (text.length === 0) return;
    // stderr interleaves strace's own notices into a half-printed syscall line.
    const notice = text.indexOf('strace: ');
    if (notice > 0) {
      const m = ATTACHED_RE.exec(text.slice(notice));
      if (m !== null && m.index === 0) {
        this.attachNotice(Number(m[1]), text.slice(notice), lineNo);
        this.spliced = { text: text.slice(0, notice), line: lineNo };
        return;
      }
    }
    this.parseLine(text, lineNo, false);
  }

  /** Ends the log: calls still unfinished are emitted as such. `partialLast` is a last line without newline. */
  end(partialLast?: { text: string; line: number }): { acceptedPartial: boolean } {
    let acceptedPartial = true;
    if (this.spliced !== null) {
      const s = this.spliced;
      this.spliced = null;
      this.parseLine(s.text, s.line, true);
    }
    if (partialLast !== undefined && partialLast.text.length > 0) {
      const text = partialLast.text.endsWith('\r') ? partialLast.text.slice(0, -1) : partialLast.text;
      acceptedPartial = this.parseLine(text, partialLast.line, true);
      if (!acceptedPartial) {
        const w: Where = { line: partialLast.line, file: this.file, pid: null, time: undefined, timeKind: undefined };
        this.emit(opaqueEvent(w, text, 'last line cut short before it says what it is'));
      }
    }
    for (const [, p] of this.pending) {
      p.event.unfinished = true;
      this.emit(p.event);
    }
    this.pending.clear();
    return { acceptedPartial };
  }

  private emit(event: StraceEvent, body?: string): void {
    this.events++;
    if (event.kind === 'opaque') this.opaqueLines++;
    this.onEvent(event, body);
  }

  private attachNotice(pid: number, text: string, line: number): void {
    this.knownPids.add(pid);
    this.live.add(pid);
    this.emit(noticeEvent({ line, file: this.file, pid, time: undefined, timeKind: undefined }, 'attached', text));
  }

  /** Which pid an unprefixed line belongs to. */
  private unprefixedPid(): number | null {
    if (this.fixedPid !== undefined) return this.fixedPid;
    // strace shows no prefix while it traces a single task: the first one, still unnamed,
    // or the only one alive.
    if (this.anonymousPid === null && (this.anonymousUsed || this.live.size === 0)) {
      this.anonymousUsed = true;
      return null;
    }
    if (this.live.size === 1) {
      const [only] = this.live;
      return only ?? null;
    }
    return this.lastPid ?? this.anonymousPid;
  }

  /** A pid seen in a prefix: binds the anonymous first task to it when it must be that one. */
  private seePid(pid: number): void {
    this.lastPid = pid;
    if (this.live.has(pid)) return;
    if (this.anonymousUsed && this.anonymousPid === null && !this.knownPids.has(pid)) {
      this.anonymousPid = pid;
      this.bindAnonymous(pid);
    }
    this.knownPids.add(pid);
    this.live.add(pid);
  }

  /**
   * Parses one complete line (or, when `partial`, a last line cut short). Returns false when a
   * partial line was not even the start of an event.
   */
  private parseLine(text: string, line: number, partial: boolean): boolean {
    const file = this.file;
    let pos = 0;
    const n = text.length;
    let pid: number | null = null;
    let prefixed = false;
    let c = text.charCodeAt(0);

    // Prefix: "[pid  123] " or "123  ".
    if (c === 91 /* [ */ && text.startsWith('[pid ', 0)) {
      let p = 5;
      while (p < n && text.charCodeAt(p) === CH_SPACE) p++;
      const start = p;
      while (p < n && isDigit(text.charCodeAt(p))) p++;
      if (p > start && text.charCodeAt(p) === 93 /* ] */) {
        pid = Number(text.slice(start, p));
        prefixed = true;
        pos = p + 1;
      }
    } else if (isDigit(c)) {
      let p = 1;
      while (p < n && isDigit(text.charCodeAt(p))) p++;
      if (p < n && text.charCodeAt(p) === CH_SPACE) {
        pid = Number(text.slice(0, p));
        prefixed = true;
        pos = p;
      }
    }
    while (pos < n && text.charCodeAt(pos) === CH_SPACE) pos++;

    // Timestamp: -t "12:34:56", -tt "12:34:56.123456", -ttt "1700000000.123456", -r "0.000123".
    let time: string | undefined;
    let timeKind: TimestampKind | undefined;
    c = text.charCodeAt(pos);
    if (isDigit(c)) {
      let p = pos;
      while (p < n && isDigit(text.charCodeAt(p))) p++;
      const d = text.charCodeAt(p);
      if (d === 58 /* : */) {
        const m = /^(\d\d:\d\d:\d\d)(\.\d+)? +/.exec(text.slice(pos, pos + 40));
        if (m !== null) {
          time = m[1]! + (m[2] ?? '');
          timeKind = m[2] !== undefined ? 'clock-us' : 'clock';
          pos += m[0].length;
        }
      } else if (d === 46 /* . */) {
        const intDigits = p - pos;
        p++;
        const fracStart = p;
        while (p < n && isDigit(text.charCodeAt(p))) p++;
        if (p > fracStart && text.charCodeAt(p) === CH_SPACE) {
          time = text.slice(pos, p);
          timeKind = intDigits >= 9 ? 'epoch' : 'relative';
          pos = p;
          while (pos < n && text.charCodeAt(pos) === CH_SPACE) pos++;
        }
      }
    }
    // -i "[00007f...] " and -n "[ 59] " prefixes.
    while (text.charCodeAt(pos) === 91 /* [ */) {
      const close = text.indexOf('] ', pos);
      if (close < 0 || !/^\[ *[0-9a-f?]+\]$/.test(text.slice(pos, close + 1))) break;
      pos = close + 2;
    }

    if (!prefixed && pos === 0 && text.startsWith('% time')) {
      this.inSummary = true;
      this.summaryTables++;
      this.emit(noticeEvent({ line, file, pid: null, time: undefined, timeKind: undefined }, 'summary', text));
      return true;
    }
    if (!prefixed && text.startsWith('strace: ')) {
      const m = ATTACHED_RE.exec(text);
      if (m !== null && m.index === 0) {
        this.attachNotice(Number(m[1]), text, line);
        return true;
      }
      const d = /^strace: Process (\d+) detached/.exec(text);
      const where: Where = { line, file, pid: d !== null ? Number(d[1]) : null, time: undefined, timeKind: undefined };
      this.emit(noticeEvent(where, d !== null ? 'detached' : 'other', text));
      return true;
    }

    if (prefixed && pid !== null) this.seePid(pid);
    else pid = this.unprefixedPid();
    const at: Where = { line, file, pid, time, timeKind };
    const body = pos === 0 ? text : text.slice(pos);
    c = body.charCodeAt(0);
    if (this.memo !== undefined && c >= 97 && c <= 122 && !partial && this.memo.replay(body, line, pid)) {
      this.events++;
      return true;
    }

    if (c === 45 /* - */ && body.startsWith('--- ')) {
      const m = /^--- (SIG[A-Z0-9+-]+|[A-Z0-9]+) (?:\{(.*)\} )?---$/.exec(body);
      if (m !== null) {
        this.emit(signalEvent(at, m[1]!, m[2] ?? '', undefined));
        return true;
      }
      const s = /^--- stopped by (SIG[A-Z0-9+-]+) ---$/.exec(body);
      if (s !== null) {
        this.emit(signalEvent(at, s[1]!, '', true));
        return true;
      }
    } else if (c === 43 /* + */ && body.startsWith('+++ ')) {
      const e = /^\+\+\+ exited with (-?\d+) \+\+\+$/.exec(body);
      if (e !== null) {
        this.exited(pid);
        this.emit(exitEvent(at, 'exited', Number(e[1]), undefined, undefined));
        return true;
      }
      const k = /^\+\+\+ killed by (SIG[A-Z0-9+-]+)( \(core dumped\))? \+\+\+$/.exec(body);
      if (k !== null) {
        this.exited(pid);
        this.emit(exitEvent(at, 'killed', undefined, k[1]!, k[2] !== undefined ? true : undefined));
        return true;
      }
      if (/^\+\+\+ superseded by execve in pid \d+ \+\+\+$/.test(body)) {
        this.exited(pid);
        this.emit(exitEvent(at, 'superseded', undefined, undefined, undefined));
        return true;
      }
    } else if (c === 60 /* < */ && body.startsWith('<... ')) {
      const close = body.indexOf(' resumed>', 5);
      if (close > 5) {
        const name = body.slice(5, close);
        const rest = body.slice(close + 9);
        return this.resumed(name, rest, at, partial);
      }
    } else if ((c >= 97 && c <= 122) || c === 95) {
      let p = 1;
      while (p < body.length && isNameChar(body.charCodeAt(p))) p++;
      if (body.charCodeAt(p) === 40 /* ( */) {
        return this.syscall(body.slice(0, p), body.slice(p + 1), at, partial, body);
      }
    }
    if (partial) return false;
    this.emit(opaqueEvent(at, body, 'not a line strace prints'));
    return true;
  }

  private bindAnonymous(pid: number): void {
    const waiting = this.pending.get(-1);
    if (waiting !== undefined) {
      this.pending.delete(-1);
      this.pending.set(pid, waiting);
    }
    this.onBindAnonymous?.(pid);
  }

  /** A task ended: a call it left unfinished is emitted (as such) before its exit. */
  private exited(pid: number | null): void {
    const key = this.pendingKey(pid);
    const p = this.pending.get(key);
    if (p !== undefined) {
      this.pending.delete(key);
      p.event.unfinished = true;
      this.emit(p.event);
    }
    if (pid !== null) this.live.delete(pid);
  }

  private pendingKey(pid: number | null): number {
    return pid ?? -1;
  }

  /** `NAME(` and what follows it. */
  private syscall(name: string, rest: string, at: Where, partial: boolean, body: string): boolean {
    if (rest.endsWith(' <unfinished ...>') || rest.endsWith(' <detached ...>')) {
      const detached = rest.endsWith(' <detached ...>');
      const args = rest.slice(0, rest.length - (detached ? 15 : 17));
      const event = syscallEvent(at, name, args, null);
      if (detached) {
        event.unfinished = true;
        this.emit(event);
        if (at.pid !== null) this.live.delete(at.pid);
      } else {
        const key = this.pendingKey(at.pid);
        const prev = this.pending.get(key);
        if (prev !== undefined) {
          prev.event.unfinished = true;
          this.emit(prev.event);
        }
        this.pending.set(key, { event });
      }
      return true;
    }
    const done = splitReturn(rest);
    if (done === null) {
      // No ") = ": a line cut short (a killed run), or something strace never prints.
      if (partial) {
        const event = syscallEvent(at, name, rest, null);
        event.unfinished = true;
        this.emit(event);
        return true;
      }
      this.emit(opaqueEvent(at, `${name}(${rest}`, 'syscall line without a return value'));
      return true;
    }
    this.emitCall(syscallEvent(at, name, done.args, done.ret), done, body);
    return true;
  }

  private resumed(name: string, rest: string, at: Where, partial: boolean): boolean {
    const key = this.pendingKey(at.pid);
    const p = this.pending.get(key);
    let head: SyscallEvent;
    if (p !== undefined && p.event.name === name) {
      this.pending.delete(key);
      head = p.event;
    } else {
      // Resumed without its first half (the log starts mid-call, or -p attached mid-call).
      head = syscallEvent(at, name, '', null);
    }
    if (rest.endsWith(' <unfinished ...>')) {
      // strace resumed and suspended again (rare): keep waiting.
      head.args += rest.slice(0, -17);
      this.pending.set(key, { event: head });
      return true;
    }
    const done = splitReturn(rest);
    if (done === null) {
      if (!partial && !rest.endsWith(' <detached ...>')) {
        this.emit(opaqueEvent(at, `<... ${name} resumed>${rest}`, 'resumed line without a return value'));
        return true;
      }
      head.args += rest.replace(/ <detached \.\.\.>$/, '');
      head.resumedLine = at.line;
      head.unfinished = true;
      this.emit(head);
      return true;
    }
    head.args = joinArgs(head.args, done.args);
    head.ret = done.ret;
    head.resumedLine = at.line;
    this.emitCall(head, done);
    return true;
  }

  private emitCall(event: SyscallEvent, done: SplitReturn, body?: string): void {
    if (done.errno !== undefined) event.errno = done.errno;
    if (event.pid === null && this.anonymousPid === null && SELF_PID.has(event.name) && /^\d+$/.test(done.ret)) {
      // The unnamed first task told its own tid.
      const pid = Number(done.ret);
      if (!this.knownPids.has(pid)) {
        this.anonymousPid = pid;
        this.knownPids.add(pid);
        this.live.add(pid);
        this.bindAnonymous(pid);
        event.pid = pid;
        body = undefined;
      }
    }
    if (done.duration !== undefined) event.duration = done.duration;
    if (FORK_LIKE.has(event.name)) {
      const child = /^(\d+)/.exec(done.ret);
      if (child !== null) {
        const cpid = Number(child[1]);
        this.knownPids.add(cpid);
        if (this.fixedPid === undefined) this.live.add(cpid);
      }
      body = undefined;
    }
    this.emit(event, body);
  }
}

interface SplitReturn {
  args: string;
  ret: string;
  errno?: string;
  duration?: number;
}

/** `ARGS) = RET <DUR>` → its parts; null when there is no return. */
function splitReturn(rest: string): SplitReturn | null {
  let end = rest.length;
  let duration: number | undefined;
  if (rest.charCodeAt(end - 1) === 62 /* > */) {
    const lt = rest.lastIndexOf(' <', end);
    if (lt > 0) {
      const d = rest.slice(lt + 2, end - 1);
      if (/^\d+\.\d+$/.test(d)) {
        duration = Number(d);
        end = lt;
      }
    }
  }
  const eq = rest.lastIndexOf(' = ', end);
  if (eq < 0) return null;
  let p = eq;
  while (p > 0 && rest.charCodeAt(p - 1) === CH_SPACE) p--;
  if (p === 0 || rest.charCodeAt(p - 1) !== 41 /* ) */) return null;
  const args = rest.slice(0, p - 1);
  const ret = rest.slice(eq + 3, end);
  const out: SplitReturn = { args, ret };
  const e = /^(?:-?\d+|\?|0x[0-9a-f]+) (E[A-Z0-9]+) /.exec(ret);
  if (e !== null) out.errno = e[1]!;
  if (duration !== undefined) out.duration = duration;
  return out;
}

/** Joins the unfinished half's arguments with the resumed half's, as strace would have printed them whole. */
function joinArgs(head: string, tail: string): string {
  if (head.length === 0) return tail;
  if (tail.length === 0) return head;
  // "wait4(4650, " + "[{...}], 0, NULL" — the unfinished half ends in ", " already.
  if (head.endsWith(' ') && tail.startsWith(' ')) return head + tail.slice(1);
  return head + tail;
}

/** Where an event is: every event object is built with all its fields, in one order (one shape each, fast). */
interface Where {
  readonly line: number;
  readonly file: number;
  readonly pid: number | null;
  readonly time: string | undefined;
  readonly timeKind: TimestampKind | undefined;
}

function syscallEvent(w: Where, name: string, args: string, ret: string | null): SyscallEvent {
  return {
    kind: 'syscall', line: w.line, file: w.file, pid: w.pid, time: w.time, timeKind: w.timeKind,
    name, args, ret, errno: undefined, duration: undefined, resumedLine: undefined, unfinished: undefined,
  };
}

function signalEvent(w: Where, signal: string, info: string, stopped: true | undefined): SignalEvent {
  return { kind: 'signal', line: w.line, file: w.file, pid: w.pid, time: w.time, timeKind: w.timeKind, signal, info, stopped };
}

function exitEvent(w: Where, how: ExitEvent['how'], code: number | undefined, signal: string | undefined, coreDumped: true | undefined): ExitEvent {
  return { kind: 'exit', line: w.line, file: w.file, pid: w.pid, time: w.time, timeKind: w.timeKind, how, code, signal, coreDumped };
}

function opaqueEvent(w: Where, text: string, reason: string): OpaqueEvent {
  return { kind: 'opaque', line: w.line, file: w.file, pid: w.pid, time: w.time, timeKind: w.timeKind, text, reason };
}

function noticeEvent(w: Where, notice: NoticeEvent['notice'], text: string): NoticeEvent {
  return { kind: 'notice', line: w.line, file: w.file, pid: w.pid, time: w.time, timeKind: w.timeKind, notice, text };
}
