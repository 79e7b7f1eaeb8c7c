// strace's time prefixes and suffixes: -t/-tt/-ttt (--absolute-timestamps), -r
// (--relative-timestamps) and -T (--syscall-times), each with its precision: 0, 3, 6 or 9
// digits after the second (s, ms, us, ns). One set of functions serves the live trace and a
// recording's `show`.

/** --absolute-timestamps: wall-clock time as HH:MM:SS (`time`) or seconds since the epoch (`unix`). */
export interface TimestampStyle {
  readonly format: 'none' | 'time' | 'unix';
  /** Digits after the second. */
  readonly digits: number;
}

export const NO_TIMESTAMPS: TimestampStyle = { format: 'none', digits: 0 };

/** The digits a precision name gives (strace's str2timescale): s 0, ms 3, us 6, ns 9. */
export const PRECISION_DIGITS: Readonly<Record<string, number>> = { s: 0, ms: 3, us: 6, ns: 9 };

const NS_PER_S = 1_000_000_000n;

/** `.123` for 3 digits of the nanoseconds part of `ns`; '' for none (truncated, as strace does). */
export function fraction(ns: bigint, digits: number): string {
  if (digits === 0) return '';
  const part = ns % NS_PER_S;
  return `.${(part / 10n ** BigInt(9 - digits)).toString().padStart(digits, '0')}`;
}

/** A duration in seconds with `digits` decimals: `0.000123`. */
export function seconds(ns: bigint, digits = 6): string {
  return `${ns / NS_PER_S}${fraction(ns, digits)}`;
}

/** The -t prefix for the wall-clock time `epochNs` (with its trailing space); '' without -t. */
export function absoluteStamp(style: TimestampStyle, epochNs: bigint): string {
  if (style.format === 'none') return '';
  const secs = epochNs / NS_PER_S;
  if (style.format === 'unix') return `${secs}${fraction(epochNs, style.digits)} `;
  const d = new Date(Number(secs) * 1000);
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${hms}${fraction(epochNs, style.digits)} `;
}

/** The -r prefix for `deltaNs` since the previous line: `     0.000123 `, `(+     0.000123) ` after a -t stamp. */
export function relativeStamp(deltaNs: bigint, digits: number, afterAbsolute: boolean): string {
  const text = `${(deltaNs / NS_PER_S).toString().padStart(6)}${fraction(deltaNs, digits)}`;
  return afterAbsolute ? `(+${text}) ` : `${text} `;
}

/** The host's wall clock in nanoseconds, finer than Date.now(): its milliseconds plus the monotonic clock since. */
export class WallClock {
  private readonly baseNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

  /** Nanoseconds since the epoch at monotonic time `monoNs`. */
  at(monoNs: bigint): bigint {
    return this.baseNs + monoNs;
  }
}
