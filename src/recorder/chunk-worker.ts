// Reads a recording's calls ahead of a reader that walks them in order (show, replay, diff):
// on this worker thread SQLite builds each chunk's JSON (calls-sql.ts) while the reader's
// thread parses and uses the one before. At most AHEAD chunks wait unread.
import { createRequire } from 'node:module';
import { workerData, type MessagePort } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { CALLS_JSON } from './calls-sql.js';
import { AHEAD, SLOT } from './chunk-prefetch.js';

const require = createRequire(import.meta.url);
const { path, from, chunk, end, shared, port } = workerData as { path: string; from: number; chunk: number; end: number; shared: SharedArrayBuffer; port: MessagePort };
const state = new Int32Array(shared);

try {
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const st = db.prepare(CALLS_JSON).pluck();
  for (let lo = from, n = 0; lo <= end && Atomics.load(state, SLOT.stop) === 0; lo += chunk, n++) {
    // Wait while AHEAD chunks are not yet taken.
    for (let taken = Atomics.load(state, SLOT.taken); n - taken >= AHEAD && Atomics.load(state, SLOT.stop) === 0; taken = Atomics.load(state, SLOT.taken)) {
      Atomics.wait(state, SLOT.taken, taken, 1000);
    }
    port.postMessage({ lo, json: st.get(lo, lo + chunk) });
    Atomics.add(state, SLOT.made, 1);
    Atomics.notify(state, SLOT.made);
  }
  db.close();
} catch (e) {
  port.postMessage({ lo: -1, json: (e as Error).message });
  Atomics.add(state, SLOT.made, 1);
  Atomics.notify(state, SLOT.made);
}
Atomics.store(state, SLOT.done, 1);
Atomics.notify(state, SLOT.made);
port.close();
