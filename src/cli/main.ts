// tstrace's command line: `tstrace [strace options] PROG [ARGS]`, and `tstrace diff`.
import { parseTraceArgs, UsageError, HelpRequested, VersionRequested, type TraceOptions } from '../tracer/options.js';
import { EXIT, LOADER_EXIT } from './exit-codes.js';
import { HELP_TEXT, VERSION_TEXT } from './help.js';
import { findProgram } from './find-program.js';
import { inheritedDescriptors } from './inherited-fds.js';

/** Taken before tstrace opens anything: the descriptors the guest inherits beyond 0-2. */
const INHERITED_FDS = inheritedDescriptors();

/** Commands that read a recording (or replay it). */
const RECORDING_COMMANDS = new Set(['replay', 'show', 'stats', 'query', 'export']);

function fail(message: string, code: number): number {
  process.stderr.write(`tstrace: ${message}\n`);
  return code;
}

/** `record`: the run goes into a recording only; `--record FILE`: traced and recorded. */
interface RecordMode {
  readonly path: string;
  readonly only: boolean;
}

async function trace(argv: readonly string[], recordOnly = false): Promise<number> {
  let options: TraceOptions;
  let record: RecordMode | undefined;
  let sysrootFlag: string | undefined;
  try {
    const split = splitRecordFlag(argv);
    sysrootFlag = split.sysroot;
    options = parseTraceArgs(split.argv);
    if (recordOnly) {
      if (options.output === undefined) throw new UsageError("record needs -o FILE (the recording)");
      record = { path: options.output, only: true };
      options.output = undefined;
    } else if (split.record !== undefined) {
      record = { path: split.record, only: false };
    }
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(HELP_TEXT);
      return 0;
    }
    if (e instanceof VersionRequested) {
      process.stdout.write(VERSION_TEXT);
      return 0;
    }
    if (e instanceof UsageError) return fail(`${e.message} (see 'tstrace -h')`, EXIT.usage);
    throw e;
  }
  // Loaded only when tracing: the emulator, the kernel and the decoders.
  const { Kernel } = await import('../kernel/kernel.js');
  const { LoaderError } = await import('../loader/elf.js');
  const { StraceTracer } = await import('../tracer/tracer.js');
  const { TraceFilter } = await import('../tracer/filter.js');
  const { OutputOpenError } = await import('../tracer/output.js');
  const { UnicornLoadError } = await import('../../packages/unicorn-engine-ts/src/index.js');
  try {
    new TraceFilter(options.expressions);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, EXIT.usage);
    throw e;
  }
  for (const w of options.warnings) process.stderr.write(`tstrace: ${w}\n`);
  const { applyEnvChanges, credentialsOf, UnknownUserError } = await import('./user-creds.js');
  const envp = applyEnvChanges(Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`), options.envChanges);
  let creds;
  try {
    creds = options.user === undefined ? undefined : credentialsOf(options.user);
  } catch (e) {
    if (e instanceof UnknownUserError) return fail(e.message, EXIT.usage);
    throw e;
  }
  // --color: the trace is coloured on a terminal stderr (never a file or pipe) or when asked.
  const { loadPainter, shouldColor } = await import('../tracer/colors.js');
  const painter = await loadPainter(shouldColor(options.color, options.output === undefined || options.perProcessFiles ? 2 : undefined));
  const kernel = new Kernel(creds);
  // Ctrl-C, SIGTERM and SIGHUP reach the program, as strace passes them on, and the trace of
  // how it ended is written before tstrace ends the same way.
  const { watchHostSignals } = await import('../../packages/unicorn-engine-ts/src/index.js');
  const interrupts = watchHostSignals([1 /* SIGHUP */, 2 /* SIGINT */, 15 /* SIGTERM */]);
  kernel.interrupts = () => interrupts.take();
  kernel.interruptWaiting = () => interrupts.waiting;
  let tracer: InstanceType<typeof StraceTracer> | undefined;
  let session: import('../recorder/session.js').RecordingSession | undefined;
  let group;
  try {
    if (record?.only !== true) tracer = new StraceTracer(options, envp, painter);
    const argvGuest = [options.program, ...options.args];
    // The root filesystem named (--sysroot, QEMU_LD_PREFIX) is checked first, and an absolute
    // PROG is looked up in it; otherwise the program's architecture picks the default root.
    const { givenSysroot, defaultSysroot } = await import('./sysroot-choice.js');
    const given = givenSysroot(sysrootFlag, process.env['QEMU_LD_PREFIX']);
    if (typeof given === 'string') {
      tracer?.finish();
      return fail(given, EXIT.noSysroot);
    }
    let path = findProgram(options.program);
    let execfn: string | undefined;
    if (given.sysroot !== undefined && options.program.startsWith('/')) {
      path = given.sysroot.hostPath(options.program);
      execfn = options.program;
    }
    const { readElf } = await import('../loader/elf.js');
    // A script's architecture is its interpreter's; the chain found here is the one spawned, so
    // the root chosen from that architecture does not change which interpreter runs.
    const script = kernel.scriptTarget(path, execfn ?? path, argvGuest, given.sysroot);
    const programArch = readElf(script.hostPath).arch;
    kernel.sysroot = given.explicit ? given.sysroot : defaultSysroot(programArch);
    if (record !== undefined) {
      const { RecordingSession } = await import('../recorder/session.js');
      const arch = programArch.name;
      session = new RecordingSession(kernel, record.path, options, { argv: argvGuest, env: envp, program: path, arch }, tracer);
    }
    group = kernel.spawn({ path, argv: argvGuest, envp, script, tracer: session?.tracer ?? tracer, inherit: INHERITED_FDS, ...(execfn !== undefined ? { execfn } : {}) });
    tracer?.attach(kernel, group.arch, group.leader);
    session?.attach(group.arch, group);
  } catch (e) {
    tracer?.finish();
    session?.finish(undefined);
    const { RecordingWriteError } = await import('../recorder/recorder.js');
    if (e instanceof RecordingWriteError) return fail(e.message, EXIT.outputFile);
    if (e instanceof OutputOpenError) return fail(e.message, EXIT.outputFile);
    if (e instanceof LoaderError) return fail(e.message, LOADER_EXIT[e.kind]);
    if (e instanceof UnicornLoadError) return fail(e.message, EXIT.emulatorMissing);
    throw e;
  }
  let status: number;
  let end;
  try {
    end = kernel.run(group);
    status = end.kind === 'exited' ? end.code : 0x100 | end.signal;
    // strace exits 0 once it has detached from the program (-b execve, --syscall-limit).
    if (tracer?.detachedFirst === true) status = 0;
  } finally {
    tracer?.finish();
    session?.finish(end);
  }
  kernel.release(group);
  // -o '|cmd': the command reads the rest of the trace before tstrace exits.
  const { waitForOutputPipes } = await import('../tracer/output-pipe.js');
  await waitForOutputPipes();
  return status;
}

/** Takes `--record FILE` / `--record=FILE` and `--sysroot DIR` out of the options before PROG. */
function splitRecordFlag(argv: readonly string[]): { argv: string[]; record: string | undefined; sysroot: string | undefined } {
  const out: string[] = [];
  let record: string | undefined;
  let sysroot: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || !a.startsWith('-')) {
      out.push(...argv.slice(i));
      break;
    }
    if (a === '--record') {
      record = argv[++i];
      if (record === undefined) throw new UsageError("option '--record' requires an argument");
    } else if (a.startsWith('--record=')) {
      record = a.slice('--record='.length);
    } else if (a === '--sysroot') {
      sysroot = argv[++i];
      if (sysroot === undefined) throw new UsageError("option '--sysroot' requires an argument");
    } else if (a.startsWith('--sysroot=')) {
      sysroot = a.slice('--sysroot='.length);
    } else {
      out.push(a);
      // A flag's value is the next word (-o FILE): keep it with its flag.
      if (/^-[oseXaEPSObIup]$/.test(a) && i + 1 < argv.length) out.push(argv[++i]!);
    }
  }
  return { argv: out, record, sysroot };
}

/** Ends tstrace as strace does: the tracee's exit code, or the same death by signal. */
async function exitLike(status: number): Promise<never> {
  if (status > 0xff) {
    const sig = status & 0xff;
    // Node keeps handlers of its own for some signals (SIGUSR1 starts its inspector, SIGPIPE is
    // ignored): restore the default action on the host first, then raise it.
    const { dieBySignal } = await import('../../packages/host-syscall/src/index.js');
    dieBySignal(sig);
    process.exit(128 + sig);
  }
  process.exit(status);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let status: number;
  try {
    if (argv[0] === 'diff') {
      const { runDiffCommand } = await import('../diff/cli.js');
      status = await runDiffCommand(argv.slice(1));
    } else if (argv[0] === 'record') {
      status = await trace(argv.slice(1), true);
    } else if (argv[0] !== undefined && RECORDING_COMMANDS.has(argv[0])) {
      const { runRecordingCommand } = await import('./recording-commands.js');
      status = await runRecordingCommand(argv[0], argv.slice(1));
    } else {
      status = await trace(argv);
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    status = fail(`internal error: ${msg.split('\n')[0]}`, EXIT.internal);
    if (process.env['TSTRACE_DEBUG'] !== undefined) console.error(e);
  }
  await exitLike(status);
}

// Not awaited at the top level: the bundle is a script compiled with a code cache (launcher.ts),
// where top-level await does not exist. main() catches everything and ends the process itself.
void main();
