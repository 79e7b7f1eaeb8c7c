// signalfd: a descriptor that reads the signals of a mask as they become pending. The guest
// sees `anon_inode:[signalfd]`; behind it is a host eventfd that the kernel keeps readable
// while a signal of the mask is pending, so poll, select, epoll and a parked read work on it
// as on any host descriptor.
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';
import { OpenFile } from './open-file.js';

let counter: HostMemory | undefined;

export class SignalFile extends OpenFile {
  /** Whether the eventfd's counter is non-zero (it polls readable). */
  private ready = false;
  private closed = false;

  constructor(
    hostFd: number,
    /** The signals it reads (bit n-1 = signal n). */
    public mask: bigint,
    private readonly onClose: (f: SignalFile) => void,
  ) {
    super(hostFd, 'anon_inode:[signalfd]');
  }

  override hostPath(): string {
    return 'anon_inode:[signalfd]';
  }

  override release(): void {
    super.release();
    // OpenFile closes the host descriptor with the last reference; the kernel forgets it then.
    if (!this.closed && !this.isOpen()) {
      this.closed = true;
      this.onClose(this);
    }
  }

  /** Makes the descriptor poll readable (a signal of its mask is pending) or not. */
  setReady(ready: boolean): void {
    if (ready === this.ready || this.closed) return;
    const mem = (counter ??= HostMemory.reserve(4096));
    if (ready) {
      new DataView(mem.view(0n, 8).buffer, mem.view(0n, 8).byteOffset, 8).setBigUint64(0, 1n, true);
      hostSyscall(HOST.write, BigInt(this.hostFd), mem.ptr, 8n);
    } else {
      // The counter is non-zero, so this read returns at once and clears it.
      hostSyscall(HOST.read, BigInt(this.hostFd), mem.ptr, 8n);
    }
    this.ready = ready;
  }
}
