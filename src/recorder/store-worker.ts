// The recording's store on a worker thread: the SQLite inserts run beside the emulator on
// another core. It opens the file, then applies each batch the recorder posts, in order, and
// counts the committed ones in shared memory, where the recorder waits when it must know that
// a batch is on disk (before a call that may wait, at the end).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RecordingStore, type RunInfo } from './store.js';
import { STATE, type StoreMessage } from './store-client.js';

const { path, run, shared, errors } = workerData as { path: string; run: RunInfo; shared: SharedArrayBuffer; errors: MessagePort };
const state = new Int32Array(shared);

function failed(e: unknown): void {
  errors.postMessage((e as Error).message ?? String(e));
  Atomics.store(state, STATE.status, STATE.failed);
  Atomics.notify(state, STATE.status);
  Atomics.notify(state, STATE.committed);
  process.exit(1);
}

let store: RecordingStore;
try {
  store = new RecordingStore(path, run);
  Atomics.store(state, STATE.status, STATE.open);
  Atomics.notify(state, STATE.status);
} catch (e) {
  failed(e);
}

parentPort!.on('message', (m: StoreMessage) => {
  try {
    if (m.type === 'apply') {
      store.apply(m.batch);
      Atomics.store(state, STATE.slots + m.slot, 0);
      Atomics.add(state, STATE.freed, 1);
      Atomics.notify(state, STATE.freed);
      Atomics.add(state, STATE.committed, 1);
      Atomics.notify(state, STATE.committed);
    } else {
      store.finish(m.end);
      Atomics.store(state, STATE.status, STATE.closed);
      Atomics.notify(state, STATE.status);
      parentPort!.close();
    }
  } catch (e) {
    failed(e);
  }
});
