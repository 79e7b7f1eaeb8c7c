// The shape of an ioctl decoder. Requests are grouped into families by their _IOC_TYPE byte
// (the terminal's 'T', the socket layer's 0x89, evdev's 'E', ...), as strace's ioctl.c
// dispatches them; a family prints the argument of the requests it knows.
import type { DecodeContext, ExitContext, XlatStyle } from '../types.js';

/** What a family printed at entry. */
export interface IoctlEntry {
  /** Printed after the request: ", {...}", ", 0x...", or "" for a request without argument. */
  readonly text: string;
  /** Whether the exit adds to it (the argument is, or holds, an output). */
  readonly more?: boolean;
  /** Whatever the exit half needs that memory may no longer hold. */
  readonly state?: unknown;
}

export interface IoctlFamily {
  /** The _IOC_TYPE bytes of the requests it may decode. */
  readonly types: readonly number[];
  /** The argument at entry; undefined for a request it does not know (printed in hex). */
  enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined;
  /** What the exit appends to the entry's text (called only when the entry said `more`). */
  exit?(ctx: ExitContext, code: number, arg: bigint, state: unknown): string;
  /**
   * A name for a request number that encodes a parameter (strace's ioctl_decode_command_number:
   * `EVIOCGABS(ABS_X)`, `EVIOCGNAME(256)`), printed before the table's names; undefined if none.
   */
  requestName?(code: number, style: XlatStyle): string | undefined;
  /** The text after "= " when it is not the decimal default (called for every request it knows). */
  ret?(ctx: ExitContext, code: number): string | undefined;
}

/** The request's type byte, the family key. */
export const iocType = (code: number): number => (code >>> 8) & 0xff;
/** The request's number within its type. */
export const iocNr = (code: number): number => code & 0xff;
/** The size of the argument the request's number encodes. */
export const iocSize = (code: number): number => (code >>> 16) & 0x3fff;
/** The request's direction bits: 1 write (caller to kernel), 2 read (kernel to caller). */
export const iocDir = (code: number): number => code >>> 30;
