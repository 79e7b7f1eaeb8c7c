// What decodes the messages of one netlink protocol (strace's nlmsg_types, nlmsg_flags and
// netlink_decoders entries of that protocol): the names of its nlmsg_type values, the flags
// table each type adds to the common NLM_F_* ones, and its payloads.
import type { Xlat } from '../xlat/xlat.js';
import type { Span } from './nlattr.js';
import type { DecodeContext, XlatStyle } from './types.js';

export const NLMSG_MIN_TYPE = 0x10;
export const NLMSG_DONE = 3;

export interface NetlinkProtocol {
  /** A type at or above NLMSG_MIN_TYPE as printed. */
  readonly type: (style: XlatStyle, type: number) => string;
  /** The flags table of a type at or above NLMSG_MIN_TYPE beyond the common ones (NLM_F_DUMP…), if any. */
  readonly flags?: (type: number) => Xlat | undefined;
  /**
   * The payload of a message of type at or above NLMSG_MIN_TYPE, or of NLMSG_DONE; undefined when
   * the protocol does not decode it (it then prints as hex bytes, NLMSG_DONE's int as a number).
   */
  readonly payload?: (ctx: DecodeContext, type: number, flags: number, p: Span) => string | undefined;
}
