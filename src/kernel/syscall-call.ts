// A syscall in flight on a task: its number, and its arguments read from the registers only
// when someone asks for them (a handler, a tracer's decoder, the recorder). Most calls need
// some; getppid-like calls need none, and reading seven registers into BigInts is a good part
// of a syscall's cost.
import type { Cpu } from './cpu.js';

export class SyscallCall {
  ret: bigint | undefined;
  entered = false;
  private cached: bigint[] | undefined;
  private firstArg: bigint | undefined;

  constructor(
    readonly nr: number,
    private readonly cpu: Cpu,
  ) {}

  get args(): bigint[] {
    if (this.cached === undefined) {
      const a = this.cpu.readArgs();
      // The return value may since have landed in the first argument's register (arm64 x0).
      if (this.firstArg !== undefined) a[0] = this.firstArg;
      this.cached = a;
    }
    return this.cached;
  }

  /** Called before the return value is written: keeps an argument the write would clobber. */
  beforeReturnWrite(): void {
    if (this.cached === undefined && this.firstArg === undefined && this.cpu.returnClobbersFirstArg) {
      this.firstArg = this.cpu.readFirstArg();
    }
  }
}
