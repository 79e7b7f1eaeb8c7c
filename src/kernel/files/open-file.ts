// An open file description: what a guest descriptor refers to. Files, pipes and sockets are
// host objects passed through; the kernel holds one host descriptor per description and
// shares it between the guest descriptors that dup() made.
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { fstatSync, lstatSync, readlinkSync } from 'node:fs';
import { pathBytesToString, pathStringToBytes } from '../../abi/path-bytes.js';

export class OpenFile {
  private refs = 1;
  constructor(
    /** The host descriptor behind it (owned). */
    readonly hostFd: number,
    /** How it was named when opened (for messages; -y asks the host for the live path). */
    readonly label: string,
  ) {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) hostSyscall(HOST.close, BigInt(this.hostFd));
  }

  /** Whether a descriptor still refers to it. */
  isOpen(): boolean {
    return this.refs > 0;
  }

  /** The path the host reports for it: a file path, `pipe:[N]`, `socket:[N]`, `/dev/pts/0`. */
  hostPath(): string {
    try {
      // As bytes: a name that is not UTF-8 keeps its bytes (src/abi/path-bytes.ts).
      return pathBytesToString(readlinkSync(`/proc/self/fd/${this.hostFd}`, { encoding: 'buffer' }));
    } catch {
      return this.label;
    }
  }

  /**
   * Whether the file was unlinked: its path ends in " (deleted)", and that very name (the
   * suffix included) is not this file (a file may be named so; strace tells them apart alike).
   */
  isUnlinked(): boolean {
    const path = this.hostPath();
    if (!path.endsWith(' (deleted)')) return false;
    try {
      const own = fstatSync(this.hostFd, { bigint: true });
      const named = lstatSync(Buffer.from(pathStringToBytes(path)), { bigint: true });
      return own.ino !== named.ino || own.dev !== named.dev;
    } catch {
      return true;
    }
  }
}
