// `tstrace replay RUN.db [strace options] [--to SEQ]`: runs the recording again from the file
// alone and prints its trace with the given options; the guest's output to fd 1/2 is
// reproduced. Exit: the program's recorded status, 83 at a divergence, 0 after `--to`.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseTraceArgs } from '../tracer/options.js';
import { StraceTracer } from '../tracer/tracer.js';
import { TraceFilter } from '../tracer/filter.js';
import { Kernel } from '../kernel/kernel.js';
import { QUANTUM } from '../kernel/scheduler.js';
import { EXIT, LOADER_EXIT } from '../cli/exit-codes.js';
import { LoaderError } from '../loader/elf.js';
import { openForReading } from '../cli/recording-commands.js';
import type { ImageRow } from '../../schemas/recording.js';
import { ReplayDriver, Divergence, StopRequested, RecordingEnded, scriptFiles } from './replay.js';
import { followScripts } from '../loader/script.js';

export async function runReplay(argv: readonly string[]): Promise<number> {
  let db: string | undefined;
  let to: number | undefined;
  let requireComplete = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--to' || a.startsWith('--to=')) {
      const v = a === '--to' ? argv[++i] : a.slice(5);
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`invalid --to '${v ?? ''}' (a stop's sequence number)`);
      to = Number(v);
    } else if (a === '--require-complete') {
      requireComplete = true;
    } else if (db === undefined && !a.startsWith('-')) {
      db = a;
    } else {
      rest.push(a);
      if (/^-[oseXaEPSObIup]$/.test(a) && i + 1 < argv.length) rest.push(argv[++i]!);
    }
  }
  if (db === undefined) throw new UsageError('missing the recording (RUN.db)');
  const reader = openForReading(db, requireComplete);
  const run = reader.run;
  const options = parseTraceArgs([...rest, '--', ...run.argv]);
  new TraceFilter(options.expressions);
  const stops = reader.cursor();
  const images = reader.images();
  const first = images.find((i) => i.role === 'exec');
  if (first === undefined) {
    reader.close();
    process.stderr.write(`tstrace: ${db}: the recording holds no executed binary (it ends before the program started)\n`);
    return EXIT.incompleteRecording;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tstrace-replay-'));
  const files = new Map<string, string>();
  const imageFile = (image: ImageRow): string => {
    let f = files.get(image.sha256);
    if (f === undefined) {
      f = join(dir, image.sha256.slice(0, 16));
      writeFileSync(f, reader.blob(image.sha256), { mode: 0o700 });
      files.set(image.sha256, f);
    }
    return f;
  };
  let copies = 0;
  const imageCopy = (image: ImageRow): string => {
    const f = join(dir, `${image.sha256.slice(0, 16)}.${++copies}`);
    writeFileSync(f, reader.blob(image.sha256), { mode: 0o600 });
    return f;
  };
  // A dynamic program's loader comes from the recording too (kernel.interpreterSource below).
  const kernel = new Kernel();
  const tracer = new StraceTracer(options, run.env);
  const follow = run.decode_options.follow;
  const outside = reader.outsideSignals();
  const timerSignals = reader.timerSignals();
  const schedule = reader.schedule();
  const driver = new ReplayDriver(kernel, { stops, images, imageFile, imageCopy, blob: (sha) => reader.blob(sha), insnValue: reader.insnValues(), outside, outsideDeliveries: reader.outsideDeliveries(), timerSignals, echoes: reader.echoes() },
    tracer, to, follow, options.followForks);
  kernel.interpreterSource = () => driver.interpreterFor();
  driver.spawning(first);
  kernel.timeReads = (task, read) => driver.timeRead(task, read);
  // Signals that came from outside, and timers' signals that came out of any call, are sent
  // again where they came: a place in a task's run (counted as at record time), or the call
  // they interrupted. Guest code is counted (~15-30% on tight loops) only when a place must be
  // found again: such a signal, or slices that ended with no stop between them (the switch is
  // after the slice that reached the recorded count).
  kernel.countExecution = outside.some((o) => o.tid !== null) || timerSignals.length > 0 || schedule.some((s) => s.units !== null && s.units >= QUANTUM);
  kernel.recordedTimeouts = true;
  kernel.executionStop = (task) => driver.executionStop(task);
  kernel.runEnded = (task) => driver.runEnded(task);
  kernel.interrupts = () => driver.sendDueOutside();
  let status = 0;
  try {
    let group;
    try {
      // A #! script run first: its stored chain leads to the stored binary, with the same argv.
      const scripts = scriptFiles({ images, imageFile }, first);
      const start = scripts.get(first.path);
      const script = start === undefined ? undefined : followScripts(start, first.path, run.argv, (p) => scripts.get(p) ?? imageFile(first));
      if (script !== undefined && 'errno' in script) throw new LoaderError('not-elf', `${script.path}: the recorded #! chain cannot be followed (${script.errno})`);
      group = kernel.spawn({ path: imageFile(first), execfn: first.path, argv: run.argv, envp: run.env, tracer: driver, ...(script !== undefined ? { script } : {}) });
    } catch (e) {
      if (!(e instanceof LoaderError)) throw e;
      process.stderr.write(`tstrace: replay of ${db}: ${e.message}\n`);
      return LOADER_EXIT[e.kind];
    }
    tracer.attach(kernel, group.arch, group.leader);
    kernel.executor = driver;
    driver.steer(kernel.scheduler, schedule);
    try {
      const end = kernel.run(group);
      status = end.kind === 'exited' ? end.code : 0x100 | end.signal;
      if (driver.replayed < stops.length) {
        process.stderr.write(`tstrace: replay ended at stop ${driver.replayed}; the recording has ${stops.length}\n`);
        status = EXIT.replayDiverged;
      } else {
        const left = reader.insnCounts().find(([tid, n]) => (driver.timeReadsReplayed.get(tid) ?? 0) !== n);
        if (left !== undefined) {
          process.stderr.write(`tstrace: replay diverged: task ${left[0]} ran ${driver.timeReadsReplayed.get(left[0]) ?? 0} time-reading instructions; the recording has ${left[1]}\n`);
          status = EXIT.replayDiverged;
        }
      }
    } catch (e) {
      if (e instanceof Divergence) {
        const r = e.recorded;
        const p = e.replayed;
        process.stderr.write(`tstrace: replay diverged at stop ${p.seq}\n`);
        process.stderr.write(`  recorded: ${r === undefined ? '(nothing: the recording ends here)' : `seq ${r.seq} task ${r.tid} ${r.kind}: ${r.text}`}\n`);
        process.stderr.write(`  replayed: seq ${p.seq} task ${p.tid} ${p.kind}: ${p.text}\n`);
        status = EXIT.replayDiverged;
      } else if (e instanceof StopRequested) {
        process.stderr.write(`tstrace: stopped at stop ${e.seq}, task ${e.tid}\n`);
        for (const [name, v] of e.registers) process.stdout.write(`${name.padEnd(5)} 0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}\n`);
        status = 0;
      } else if (e instanceof RecordingEnded) {
        process.stderr.write(`tstrace: replay reached the end of the recording (incomplete) at stop ${e.seq}\n`);
        status = 0;
      } else {
        throw e;
      }
    }
  } finally {
    tracer.finish();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return status;
}
