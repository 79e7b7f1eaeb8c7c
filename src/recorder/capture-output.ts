// A TraceOutput that keeps lines instead of writing them: the recorder's copy of what strace
// prints at each stop (no prefix, no timestamp; lines are whole, padded as strace pads them).
import { TraceOutput, resultTail } from '../tracer/output.js';
import { NO_TIMESTAMPS } from '../tracer/timestamps.js';

export class CaptureOutput extends TraceOutput {
  private lines: string[] = [];

  constructor() {
    super('/dev/null', NO_TIMESTAMPS, false);
  }

  /** The lines printed since the last take, joined by newlines; undefined when none. */
  take(): string | undefined {
    if (this.lines.length === 0) return undefined;
    const text = this.lines.join('\n');
    this.lines = [];
    return text;
  }

  override syscall(_prefix: string, call: string, ret: string): void {
    this.lines.push(call + resultTail(call.length, ret, undefined));
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
