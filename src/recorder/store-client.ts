// The recorder's way to its store (store.ts). The store runs on a worker thread
// (store-worker.ts) that receives the batches as they fill, their typed arrays transferred, not
// copied; the tracer's thread goes on at once and waits only where it must know that what it
// recorded is committed (`sync`: before a call that may wait, at a task's end, at the finish).
// TSTRACE_RECORD_THREAD=0 keeps the store on the tracer's own thread.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { RecordingStore, RecordingWriteError, type RunInfo } from './store.js';
import type { Batch, RunEnd } from './batch.js';

export interface StoreClient {
  /** Writes a batch (in order with the others), committed as one transaction. */
  apply(batch: Batch): void;
  /** Returns once every batch handed over is committed. */
  sync(): void;
  /** Marks the run ended (when `end` says how) and closes the file. */
  finish(end: RunEnd | undefined): void;
  readonly closed: boolean;
}

export type StoreMessage = { readonly type: 'apply'; readonly batch: Batch } | { readonly type: 'finish'; readonly end: RunEnd | undefined };

/** Slots of the shared Int32Array between the recorder and its worker. */
export const STATE = { status: 0, committed: 1, starting: 0, open: 1, failed: 2, closed: 3 } as const;

export function openStore(path: string, run: RunInfo): StoreClient {
  const worker = workerFile();
  return worker === undefined || process.env['TSTRACE_RECORD_THREAD'] === '0' ? localStore(path, run) : threadStore(worker, path, run);
}

function localStore(path: string, run: RunInfo): StoreClient {
  const store = new RecordingStore(path, run);
  let closed = false;
  return {
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
  const shared = new SharedArrayBuffer(8);
  const state = new Int32Array(shared);
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
    apply(b) {
      check();
      const transfer = [b.calls.buffer, b.results.buffer, b.updates.buffer, b.updateResults.buffer] as ArrayBuffer[];
      worker.postMessage({ type: 'apply', batch: b } satisfies StoreMessage, transfer);
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
