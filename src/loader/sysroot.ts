// The guest's root filesystem, as `qemu-<arch> -L DIR` has it: an absolute path the guest names
// is looked up under DIR first, and used there when it exists there (anything, a dangling link
// aside); otherwise it is the host's own path. Relative paths and paths under /proc, /sys and
// /dev are never redirected: those describe the running system (tstrace synthesizes the guest's
// view of /proc itself). The reverse direction turns a host path back into the guest's name for
// it, so nothing the guest or the trace sees names DIR.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';

/** Absolute guest paths that always mean the host's (the live system, not files of the root). */
const NEVER_REDIRECTED = /^\/(?:proc|sys|dev)(?:\/|$)/;

export class Sysroot {
  /** DIR as given (absolute, no trailing slash), and as the host resolves it (for reverse lookups). */
  private readonly prefixes: readonly string[];
  private readonly dirBytes: Buffer;

  constructor(readonly dir: string) {
    const plain = dir.replace(/\/+$/, '');
    let real = plain;
    try {
      real = realpathSync(plain);
    } catch {
      // checked by the caller (checkSysroot); keep the name as given
    }
    this.prefixes = real === plain ? [plain] : [plain, real];
    this.dirBytes = Buffer.from(plain, 'utf8');
  }

  /**
   * The host path for a guest path given as bytes: DIR + path when that exists, else the path
   * itself. Returns undefined when the path is not redirected (then use the guest's bytes).
   */
  hostBytes(guest: Uint8Array): Buffer | undefined {
    if (guest[0] !== 0x2f /* / */) return undefined;
    const text = Buffer.from(guest.buffer, guest.byteOffset, guest.length).toString('latin1');
    if (NEVER_REDIRECTED.test(text)) return undefined;
    const candidate = Buffer.concat([this.dirBytes, guest]);
    try {
      accessSync(candidate, constants.F_OK);
      return candidate;
    } catch {
      return undefined;
    }
  }

  /** The host path for a guest path (a JavaScript string). */
  hostPath(guest: string): string {
    const b = this.hostBytes(Buffer.from(guest, 'utf8'));
    return b === undefined ? guest : b.toString('utf8');
  }

  /** Where a guest path is looked for, in order (for error messages). */
  candidates(guest: string): string[] {
    if (!guest.startsWith('/') || NEVER_REDIRECTED.test(guest)) return [guest];
    return [`${this.prefixes[0]}${guest}`, guest];
  }

  /** The guest's name for a host path: DIR's prefix taken off ("/" for DIR itself). */
  guestPath(host: string): string {
    for (const p of this.prefixes) {
      if (host === p) return '/';
      if (host.startsWith(p) && host[p.length] === '/') return host.slice(p.length);
    }
    return host;
  }
}

/** The reason DIR cannot be a root filesystem, or undefined when it can. */
export function checkSysroot(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return 'the root filesystem is not a directory';
  } catch {
    return 'the root filesystem does not exist';
  }
  return undefined;
}
