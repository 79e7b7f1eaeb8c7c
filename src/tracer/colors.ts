// --color=auto|always|never: syscall names bold, errors red, signals yellow, exits and
// injected results magenta, through chalk. auto colours only a terminal (the trace on a TTY
// stderr, never a file or pipe) and honours NO_COLOR (any non-empty value) and FORCE_COLOR.
//
// chalk is loaded only when colouring (an await import): bundled statically, its
// `import process from 'node:process'` would create process.stdout at every start, which
// makes a piped stdout non-blocking for the traced program too (see scripts/bundle.sh).
import { isatty } from 'node:tty';
import type { ColorMode } from './options.js';

export interface Painter {
  readonly enabled: boolean;
  name(s: string): string;
  error(s: string): string;
  signal(s: string): string;
  exit(s: string): string;
  injected(s: string): string;
}

export const PLAIN: Painter = {
  enabled: false,
  name: (s) => s,
  error: (s) => s,
  signal: (s) => s,
  exit: (s) => s,
  injected: (s) => s,
};

/** Whether to colour a trace written to `fd` (undefined: a file or pipe). */
export function shouldColor(mode: ColorMode, fd: number | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  return fd !== undefined && isatty(fd);
}

export async function loadPainter(enabled: boolean): Promise<Painter> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    enabled: true,
    name: (s) => c.bold(s),
    error: (s) => c.red(s),
    signal: (s) => c.yellow(s),
    exit: (s) => c.magenta(s),
    injected: (s) => c.magenta(s),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a line takes on the terminal (colour codes take none). */
export function visibleLength(s: string): number {
  return s.includes('\u001b') ? s.replace(ANSI, '').length : s.length;
}
