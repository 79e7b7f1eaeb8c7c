// The recorder's way to its store: on the same thread, each batch written at once.
import { RecordingStore, type RunInfo } from './store.js';
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

export function openStore(path: string, run: RunInfo): StoreClient {
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
