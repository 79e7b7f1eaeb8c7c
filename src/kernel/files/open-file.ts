// An open file description: what a guest descriptor refers to. Files, pipes and sockets are
// host objects passed through; the kernel holds one host descriptor per description and
// shares it between the guest descriptors that dup() made.
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { readlinkSync } from 'node:fs';

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
      return readlinkSync(`/proc/self/fd/${this.hostFd}`);
    } catch {
      return this.label;
    }
  }
}
