// A TraceOutput that keeps lines instead of writing them: the recorder's copy of what strace
// prints at each stop (no prefix, no timestamp; lines are whole, padded as strace pads them).
import { TraceOutput, resultTail } from '../tracer/output.js';
import { NO_TIMESTAMPS } from '../tracer/timestamps.js';

export class CaptureOutput extends TraceOutput {
  private readonly lines: string[] = [];
  private lastCall = '';
  private lastRet = '';
  private lastLine = '';

  constructor() {
    super('/dev/null', NO_TIMESTAMPS, false);
  }

  /** The lines printed since the last take, joined by newlines; undefined when none. */
  take(): string | undefined {
    const lines = this.lines;
    if (lines.length === 0) return undefined;
    const text = lines.length === 1 ? lines[0]! : lines.join('\n');
    lines.length = 0;
    return text;
  }

  override syscall(_prefix: string, call: string, ret: string): void {
    // A call printed as the one before gives the same string object: the recorder's interning
    // then knows it at once (a line built anew would be compared character by character).
    if (call !== this.lastCall || ret !== this.lastRet) {
      this.lastCall = call;
      this.lastRet = ret;
      this.lastLine = call + resultTail(call.length, ret, undefined);
    }
    this.lines.push(this.lastLine);
  }

  override plain(_prefix: string, text: string): void {
    this.lines.push(text);
  }

  override begin(): void {
    throw new Error('a capture prints whole lines only');
  }

  override end(): void {
    throw new Error('a capture prints whole lines only');
  }

  override unfinished(): void {
    throw new Error('a capture prints whole lines only');
  }
}
