// The recorder's way to its store (store.ts). The store runs on a worker thread
// (store-worker.ts) that receives the batches as they fill, their calls in shared memory; the tracer's thread goes on at once and waits only where it must know that what it
// recorded is committed (`sync`: before a call that may wait, at a task's end, at the finish).
// TSTRACE_RECORD_THREAD=0 keeps the store on the tracer's own thread.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { RecordingStore, RecordingWriteError, type RunInfo } from './store.js';
import { CALL_WIDTH, type Batch, type RunEnd } from './batch.js';

export interface StoreClient {
  /** Arrays for the next batch's calls (`calls` rows of CALL_WIDTH numbers, their results). */
  buffers(calls: number): { calls: Float64Array; results: BigInt64Array };
  /** Writes a batch (in order with the others), committed as one transaction. */
  apply(batch: Batch): void;
  /** Returns once every batch handed over is committed. */
  sync(): void;
  /** Marks the run ended (when `end` says how) and closes the file. */
  finish(end: RunEnd | undefined): void;
  readonly closed: boolean;
}

/** `slot`: the shared buffers the batch's calls are in, free again once it is applied. */
export type StoreMessage = { readonly type: 'apply'; readonly batch: Batch; readonly slot: number } | { readonly type: 'finish'; readonly end: RunEnd | undefined };

/**
 * Slots of the shared Int32Array between the recorder and its worker; from `slots` on, one
 * per buffer slot, 1 while a batch in it is not yet applied.
 */
export const STATE = { status: 0, committed: 1, freed: 2, slots: 3, starting: 0, open: 1, failed: 2, closed: 3 } as const;
/** Batches that may wait for the writer at once: the recorder waits for a slot past these. */
const SLOTS = 3;

export function openStore(path: string, run: RunInfo): StoreClient {
  const worker = workerFile();
  return worker === undefined || process.env['TSTRACE_RECORD_THREAD'] === '0' ? localStore(path, run) : threadStore(worker, path, run);
}

function localStore(path: string, run: RunInfo): StoreClient {
  const store = new RecordingStore(path, run);
  let closed = false;
  return {
    buffers: (calls) => ({ calls: new Float64Array(calls * CALL_WIDTH), results: new BigInt64Array(calls) }),
    apply: (b) => store.apply(b),
    sync: () => {},
    finish: (end) => {
      closed = true;
      store.finish(end);
    },
    get closed() {
      return closed;
    },
  };
}

/** store-worker.js next to this module (dist/src/recorder/), or beside the bundle (dist/). */
function workerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const f of [join(here, 'store-worker.js'), join(here, 'src', 'recorder', 'store-worker.js')]) if (existsSync(f)) return f;
  return undefined;
}

function threadStore(file: string, path: string, run: RunInfo): StoreClient {
  // The file is created here, so that a recording that cannot be written is known before the
  // program starts; the worker opens it while the program runs.
  try {
    closeSync(openSync(path, 'w'));
  } catch (e) {
    throw new RecordingWriteError(`cannot create recording '${path}': ${(e as Error).message}`);
  }
  const shared = new SharedArrayBuffer(4 * (STATE.slots + SLOTS));
  const state = new Int32Array(shared);
  // The batches' calls are written straight into memory the worker shares: posting a batch
  // copies and transfers nothing of them, and no buffer is allocated per batch.
  const slots: { calls: Float64Array; results: BigInt64Array }[] = [];
  let slot = -1;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(file, { workerData: { path, run, shared, errors: port2 }, transferList: [port2] });
  worker.unref();
  let sent = 0;
  let closed = false;
  const error = (): RecordingWriteError => {
    const m = receiveMessageOnPort(port1 as MessagePort);
    return new RecordingWriteError(typeof m?.message === 'string' ? m.message : `recording '${path}': its writer thread stopped`);
  };
  const check = (): void => {
    if (Atomics.load(state, STATE.status) === STATE.failed) {
      closed = true;
      throw error();
    }
  };
  return {
    buffers(calls) {
      for (;;) {
        const freed = Atomics.load(state, STATE.freed);
        for (let i = 0; i < SLOTS; i++) {
          if (Atomics.load(state, STATE.slots + i) !== 0) continue;
          if (slots[i] === undefined || slots[i]!.results.length !== calls) {
            slots[i] = {
              calls: new Float64Array(new SharedArrayBuffer(8 * calls * CALL_WIDTH)),
              results: new BigInt64Array(new SharedArrayBuffer(8 * calls)),
            };
          }
          Atomics.store(state, STATE.slots + i, 1);
          slot = i;
          return slots[i]!;
        }
        check();
        Atomics.wait(state, STATE.freed, freed, 1000);
      }
    },
    apply(b) {
      check();
      if (b.calls !== slots[slot]?.calls) throw new Error('a batch not in the buffers of the last buffers()');
      worker.postMessage({ type: 'apply', batch: b, slot } satisfies StoreMessage);
      sent++;
    },
    sync() {
      for (let done = Atomics.load(state, STATE.committed); done < sent; done = Atomics.load(state, STATE.committed)) {
        check();
        Atomics.wait(state, STATE.committed, done, 1000);
      }
      check();
    },
    finish(end) {
      if (closed) return;
      closed = true;
      worker.postMessage({ type: 'finish', end } satisfies StoreMessage);
      for (let s = Atomics.load(state, STATE.status); s === STATE.starting || s === STATE.open; s = Atomics.load(state, STATE.status)) Atomics.wait(state, STATE.status, s, 1000);
      if (Atomics.load(state, STATE.status) === STATE.failed) throw error();
    },
    get closed() {
      return closed;
    },
  };
}
