// Sets up a recording for a run that is about to start: the recorder (the file), the capture
// tracer (strace's lines for every stop, unfiltered), and the RecordingTracer that the kernel
// gets as the first task's tracer. The user's own tracer, when the trace is printed too, comes
// last in each stop and is the one that resumes tracees.
import { PLAIN } from '../tracer/colors.js';
import { existsSync, unlinkSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel.js';
import type { Termination } from '../kernel/task.js';
import type { ThreadGroup } from '../kernel/task.js';
import type { ArchDescriptor } from '../arch/types.js';
import { StraceTracer } from '../tracer/tracer.js';
import type { TraceOptions } from '../tracer/options.js';
import { NO_TIMESTAMPS } from '../tracer/timestamps.js';
import { CaptureOutput } from './capture-output.js';
import { Recorder } from './recorder.js';
import { RecordingTracer, watchOnly } from './record-tracer.js';
import { unicornVersion } from '../../packages/unicorn-engine-ts/src/index.js';
import { TSTRACE_VERSION } from '../cli/help.js';

/** The options the stored lines are decoded with: the user's decoding, no filters, no stamps. */
export function captureOptions(options: TraceOptions): TraceOptions {
  return {
    ...options, output: undefined, perProcessFiles: false, followForks: true, quiet: 0, timestamps: NO_TIMESTAMPS,
    relative: false, syscallTimes: false, summary: 'none', expressions: [],
  };
}

export class RecordingSession {
  readonly tracer: RecordingTracer;
  private readonly recorder: Recorder;
  private readonly capture: StraceTracer;
  private readonly captured = new CaptureOutput();

  constructor(
    private readonly kernel: Kernel,
    path: string,
    options: TraceOptions,
    run: { argv: readonly string[]; env: readonly string[]; program: string; arch: string },
    private readonly primary: StraceTracer | undefined,
  ) {
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) unlinkSync(f);
    this.recorder = new Recorder(path, {
      ...run, cwd: process.cwd(), tstraceVersion: TSTRACE_VERSION, unicornVersion: unicornVersion().text,
      decodeOptions: { stringLimit: options.stringLimit, verbose: options.verbose, xlat: options.xlat, decodeFds: options.decodeFds, follow: primary === undefined || options.followForks },
    });
    this.capture = new StraceTracer(captureOptions(options), run.env, PLAIN, this.captured);
    this.tracer = new RecordingTracer(kernel, this.recorder, this.capture, this.captured, primary);
    kernel.observer = this.tracer;
    // Where an outside signal comes is a place in a task's run that replay must find again.
    kernel.countExecution = true;
    const recorder = this.recorder;
    kernel.timeReads = (task, read) => recorder.insnValue(task.tid, read.kind, read.value, read.kind === 'rdtscp' ? read.aux : undefined);
  }

  /** After spawn: binds the capture tracer (watching only when the user's tracer resumes). */
  attach(arch: ArchDescriptor, group: ThreadGroup): void {
    this.capture.attach(this.primary === undefined ? this.kernel : watchOnly(this.kernel), arch, group.leader);
  }

  finish(end: Termination | undefined): void {
    this.capture.finish();
    this.recorder.finish(end === undefined ? undefined : end.kind === 'exited' ? { how: 'exited', code: end.code } : { how: 'killed', signal: end.signal });
  }
}
