// The stop cursor that replay walks (RecordingReader.cursor, src/recorder/reader.ts) holds the
// window of stops being read and the one before it. Checked against the recording's `stops`
// view (SQL, a reading path of its own) on a recording of 40,000+ stops, five windows: every
// stop in order, the end, a call's exit looked up by its entry a window back and far back, and
// a walk that goes back to the start.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { fixtureExists, fixturePath, makeTempDir, removeTempDir, runTstrace } from './helpers/run.js';
import { RecordingReader } from '../src/recorder/reader.js';
import { CHUNK } from '../src/recorder/stop-reader.js';

const require = createRequire(import.meta.url);
const ready = fixtureExists('aarch64', 'bench_getppid');

interface ViewRow {
  seq: number;
  tid: number;
  kind: string;
  name: string | null;
  args: string | null;
  result: bigint | null;
}

test('record: the replay cursor reads every stop as the stops view holds it', { skip: !ready && 'bench_getppid fixture missing' }, (t) => {
  const dir = makeTempDir('tstrace-cursor-');
  t.after(() => removeTempDir(dir));
  const db = path.join(dir, 'run.db');
  const r = runTstrace(['record', '-o', db, '--', fixturePath('aarch64', 'bench_getppid'), '20000'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);

  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const sql = new Database(db, { readonly: true });
  const view = sql.prepare('SELECT seq, tid, kind, name, args, result FROM stops ORDER BY seq').safeIntegers(false).all() as ViewRow[];
  const exits = new Map((sql.prepare("SELECT seq, seq + exit AS exit FROM calls WHERE exit IS NOT NULL").all() as { seq: number; exit: number }[]).map((c) => [c.seq, c.exit]));
  sql.close();
  assert.ok(view.length > 4 * CHUNK, `${view.length} stops: fewer than five windows`);

  const reader = new RecordingReader(db);
  t.after(() => reader.close());
  const cursor = reader.cursor();
  assert.equal(cursor.length, view.length);
  const same = (i: number): void => {
    const s = cursor.at(i);
    const w = view[i]!;
    assert.ok(s !== undefined, `stop ${i} missing`);
    assert.deepEqual([s.seq, s.tid, s.kind, s.name, s.args, s.result === null ? null : Number(s.result)],
      [w.seq, w.tid, w.kind, w.name, w.args, w.result === null ? null : Number(w.result)], `stop ${i}`);
  };
  for (let i = 0; i < view.length; i++) {
    same(i);
    // A call entered a window back, and one entered near the start: their exits by their entries.
    if (i % 1000 === 999) {
      // A stop a window back is still held.
      if (i >= CHUNK) same(i - CHUNK);
      for (const back of [i - CHUNK - 7, 3]) {
        if (back < 0 || view[back]!.kind !== 'syscall-entry') continue;
        assert.equal(cursor.exitOf(back)?.seq, exits.get(back), `exit of the call entered at ${back}, seen from ${i}`);
      }
    }
  }
  assert.equal(cursor.at(view.length), undefined);
  assert.equal(cursor.at(view.length + CHUNK), undefined);
  assert.equal(cursor.length, view.length);
  // Back to the start (a fresh read from there), then forward again across a window.
  for (const i of [0, 1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]) same(i);
  assert.equal(cursor.at(-1), undefined);
});
