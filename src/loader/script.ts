// `#!` scripts, as Linux's binfmt_script reads them: the first BINPRM_BUF_SIZE bytes of the
// file hold the line; the interpreter is the first word after `#!`, the optional argument is
// the rest of the line as one word (trailing spaces and tabs cut). A line that does not fit and
// whose interpreter path is cut by the limit, or a line with no interpreter, is refused
// (ENOEXEC). The kernel then runs the interpreter with
// argv = [interpreter, optional argument, the script's path, original argv[1..]].
import { accessSync, closeSync, constants as fsConstants, openSync, readSync } from 'node:fs';

/** Bytes of a file Linux looks at to choose a binary format (BINPRM_BUF_SIZE). */
export const BINPRM_BUF_SIZE = 256;
/** How many times an interpreter may itself be a script: Linux's exec_binprm() gives up past 5 rewrites (ELOOP). */
export const MAX_INTERPRETER_DEPTH = 5;

export interface ScriptLine {
  readonly interpreter: string;
  readonly arg: string | undefined;
}

const isSpaceTab = (c: number): boolean => c === 0x20 || c === 0x09;

/** Whether a file's first bytes make it a script. */
export function isScript(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x23 /* # */ && head[1] === 0x21 /* ! */;
}

/** The `#!` line of a script; undefined when Linux refuses it (ENOEXEC). */
export function parseScriptLine(head: Uint8Array): ScriptLine | undefined {
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(head.subarray(0, BINPRM_BUF_SIZE));
  const last = BINPRM_BUF_SIZE - 1;
  let end = buf.indexOf(0x0a);
  if (end < 0) {
    let i = 2;
    while (i <= last && isSpaceTab(buf[i]!)) i++;
    if (i > last) return undefined;
    // No space, tab or NUL after the name before the limit: the path itself was cut.
    let t = i;
    while (t <= last && !isSpaceTab(buf[t]!) && buf[t] !== 0) t++;
    if (t > last) return undefined;
    end = last;
  }
  buf[end] = 0;
  while (end > 2 && isSpaceTab(buf[end - 1]!)) buf[--end] = 0;
  let name = 2;
  while (name < end && isSpaceTab(buf[name]!)) name++;
  if (buf[name] === 0) return undefined;
  let sep = name;
  while (sep < end && !isSpaceTab(buf[sep]!) && buf[sep] !== 0) sep++;
  const text = (from: number, to: number): string => {
    const nul = buf.subarray(from, to).indexOf(0);
    return Buffer.from(buf.subarray(from, nul < 0 ? to : from + nul)).toString('utf8');
  };
  const interpreter = text(name, sep);
  if (sep >= end || buf[sep] === 0) return { interpreter, arg: undefined };
  let a = sep;
  while (a < end && isSpaceTab(buf[a]!)) a++;
  return { interpreter, arg: text(a, end) };
}

/** Where a chain of `#!` scripts ends: the program to load and the argv it gets. */
export interface ScriptTarget {
  readonly hostPath: string;
  readonly argv: readonly string[];
  /** The `#!` files followed on the way, in order, each under the name it was run by. */
  readonly scripts: readonly { readonly name: string; readonly hostPath: string }[];
}

/** Why Linux refuses to run a script chain. */
export type ScriptRefusal = { readonly errno: 'ELOOP' | 'EACCES' | 'ENOEXEC'; readonly path: string };

/**
 * Follows `#!` lines from `hostPath` (named `execfn`, run with `argv`) as binfmt_script does,
 * through at most MAX_INTERPRETER_DEPTH interpreters; `resolve` turns an interpreter's path
 * into a host path. A file that is not a script (or cannot be read) ends the chain.
 */
export function followScripts(hostPath: string, execfn: string, argv: readonly string[], resolve: (interpreter: string) => string): ScriptTarget | ScriptRefusal {
  let path = hostPath;
  let name = execfn;
  let args = argv;
  const scripts: { name: string; hostPath: string }[] = [];
  for (let depth = 0; ; depth++) {
    const head = readHead(path);
    if (head === undefined || !isScript(head)) return { hostPath: path, argv: args, scripts };
    if (depth >= MAX_INTERPRETER_DEPTH) return { errno: 'ELOOP', path };
    try {
      accessSync(path, fsConstants.X_OK);
    } catch {
      return { errno: 'EACCES', path };
    }
    const line = parseScriptLine(head);
    if (line === undefined) return { errno: 'ENOEXEC', path };
    scripts.push({ name, hostPath: path });
    args = [line.interpreter, ...(line.arg !== undefined ? [line.arg] : []), name, ...args.slice(1)];
    name = line.interpreter;
    path = resolve(line.interpreter);
  }
}

/** The first bytes of a file (binfmt's look at it); undefined when it cannot be read. */
function readHead(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    const buf = new Uint8Array(BINPRM_BUF_SIZE);
    return buf.subarray(0, readSync(fd, buf, 0, BINPRM_BUF_SIZE, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
