// -o '|cmd' and -o '!cmd': the trace goes into a shell command's standard input, as strace
// pipes it. The command gets the read end of a host pipe as its stdin and tstrace's own
// stdout and stderr; tstrace writes the trace to the write end and waits for the command to
// finish before it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { hostSyscall, HOST } from '../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../packages/unicorn-engine-ts/src/index.js';

const O_CLOEXEC = 0o2000000n;

export interface OutputPipe {
  /** Where the trace is written. */
  readonly fd: number;
  /** Resolves when the command has read everything and exited. */
  readonly done: Promise<void>;
}

const running: Promise<void>[] = [];

export function openOutputPipe(command: string): OutputPipe {
  const mem = HostMemory.reserve(4096);
  const r = hostSyscall(HOST.pipe2, mem.ptr, O_CLOEXEC);
  if (r < 0n) throw new Error(`pipe2 failed (errno ${-r})`);
  const fds = new Int32Array(mem.view(0n, 8).slice().buffer);
  const [readFd, writeFd] = [fds[0]!, fds[1]!];
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', command], { stdio: [readFd, 'inherit', 'inherit'] });
  } finally {
    closeSync(readFd);
  }
  const done = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  running.push(done);
  return { fd: writeFd, done };
}

/** Waits for every piped command (after the trace's write ends are closed). */
export async function waitForOutputPipes(): Promise<void> {
  await Promise.all(running);
}
