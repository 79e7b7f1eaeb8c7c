// The reading side of chunk-worker.ts: chunks of calls, as JSON, in the order a reader asks
// for them, read ahead on a worker thread. A chunk asked for out of that order (or any, when
// no worker can be started) is read on the caller's thread by `direct`.
import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Chunks read ahead at most. */
export const AHEAD = 4;
/** Slots of the shared Int32Array: chunks made, chunks taken, stop asked, worker done. */
export const SLOT = { made: 0, taken: 1, stop: 2, done: 3 } as const;

export type ChunkSource = (lo: number, hi: number) => unknown;

/** chunk-worker.js next to this module (dist/src/recorder/), or beside the bundle (dist/). */
function workerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const f of [join(here, 'chunk-worker.js'), join(here, 'src', 'recorder', 'chunk-worker.js')]) if (existsSync(f)) return f;
  return undefined;
}

/**
 * Chunks [from + k*chunk, from + (k+1)*chunk) for k = 0, 1… up to `end` (the last seq),
 * read ahead; `close` ends the worker.
 */
export function prefetchedChunks(path: string, from: number, chunk: number, end: number, direct: ChunkSource): { source: ChunkSource; close: () => void } {
  const file = workerFile();
  if (file === undefined || process.env['TSTRACE_READ_THREAD'] === '0') return { source: direct, close: () => {} };
  const shared = new SharedArrayBuffer(16);
  const state = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(file, { workerData: { path, from, chunk, end, shared, port: port2 }, transferList: [port2] });
  worker.unref();
  let next = from;
  let broken = false;
  const source: ChunkSource = (lo, hi) => {
    if (broken || lo !== next || hi - lo !== chunk) {
      broken = true;
      return direct(lo, hi);
    }
    next += chunk;
    for (;;) {
      const made = Atomics.load(state, SLOT.made);
      const done = Atomics.load(state, SLOT.done) === 1;
      const m = receiveMessageOnPort(port1)?.message as { lo: number; json: unknown } | undefined;
      if (m !== undefined) {
        Atomics.add(state, SLOT.taken, 1);
        Atomics.notify(state, SLOT.taken);
        if (m.lo === lo) return m.json;
        // The worker failed (m.lo is -1): read here, where an error says what it is.
        broken = true;
        return direct(lo, hi);
      }
      if (done) {
        broken = true;
        return direct(lo, hi);
      }
      Atomics.wait(state, SLOT.made, made, 50);
    }
  };
  const close = (): void => {
    Atomics.store(state, SLOT.stop, 1);
    Atomics.notify(state, SLOT.taken);
    port1.close();
    void worker.terminate();
  };
  return { source, close };
}
