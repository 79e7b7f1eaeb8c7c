// Files that are not good recordings: each gets one line on stderr and its own exit code, and
// no reading command ever changes a recording.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fixturePath, makeTempDir, removeTempDir, runTstrace } from './helpers/run.js';
import { SCHEMA_VERSION } from '../schemas/recording.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const dir = makeTempDir('tstrace-recfiles-');
const good = path.join(dir, 'good.db');
test.before(() => {
  const r = runTstrace(['record', '-o', good, '--', fixturePath('aarch64', 'files')], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
});
test.after(() => removeTempDir(dir));

const READERS: readonly (readonly string[])[] = [['show'], ['stats'], ['query'], ['replay'], ['export', '--perfetto']];

function expectRefused(file: string, code: number, message: RegExp): void {
  for (const cmd of READERS) {
    const r = runTstrace([...cmd, file], { cwd: dir });
    assert.equal(r.status, code, `${cmd.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^tstrace: /);
    assert.match(lines[0]!, message);
  }
}

test('a file that is not a recording: text, an ELF, an empty file, another SQLite database, a missing file (80)', () => {
  const text = path.join(dir, 'notes.txt');
  fs.writeFileSync(text, 'hello\n'.repeat(100));
  expectRefused(text, 80, /not a recording/);
  expectRefused(fixturePath('aarch64', 'hello'), 80, /not a recording/);
  const empty = path.join(dir, 'empty.db');
  fs.writeFileSync(empty, '');
  expectRefused(empty, 80, /not a recording/);
  const other = path.join(dir, 'other.db');
  const db = new Database(other);
  db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  db.close();
  expectRefused(other, 80, /not a recording/);
  const foreignMeta = path.join(dir, 'foreign-meta.db');
  const db2 = new Database(foreignMeta);
  db2.exec("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('format', 'something-else')");
  db2.close();
  expectRefused(foreignMeta, 80, /not a recording/);
  expectRefused(path.join(dir, 'missing.db'), 80, /no such file/);
});

test('a truncated recording (81)', () => {
  const bytes = fs.readFileSync(good);
  const cut = path.join(dir, 'cut.db');
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  expectRefused(cut, 81, /truncated/);
  const header = path.join(dir, 'header.db');
  fs.writeFileSync(header, bytes.subarray(0, 50));
  expectRefused(header, 81, /truncated/);
});

test('a corrupt recording (81)', () => {
  const bytes = Buffer.from(fs.readFileSync(good));
  const pageSize = bytes.readUInt16BE(16);
  // Every page but the first (the schema) overwritten with garbage.
  for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  const bad = path.join(dir, 'corrupt.db');
  fs.writeFileSync(bad, bytes);
  expectRefused(bad, 81, /corrupt/);
});

test('a recording of a newer schema (82)', () => {
  const newer = path.join(dir, 'newer.db');
  fs.copyFileSync(good, newer);
  const db = new Database(newer);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
  db.pragma('journal_mode = DELETE');
  db.close();
  expectRefused(newer, 82, new RegExp(`schema version ${SCHEMA_VERSION + 1}`));
});

test('a recording of an older schema (87): recorded by an older tstrace', () => {
  const older = path.join(dir, 'older.db');
  fs.copyFileSync(good, older);
  const db = new Database(older);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION - 1));
  db.pragma('journal_mode = DELETE');
  db.close();
  expectRefused(older, 87, new RegExp(`recorded by an older tstrace \\(schema version ${SCHEMA_VERSION - 1}\\)`));
});

test('an incomplete recording where completeness is required (84), readable otherwise', () => {
  const partial = path.join(dir, 'partial.db');
  fs.copyFileSync(good, partial);
  const db = new Database(partial);
    // Every stop after stop 30 gone, as a recording cut short there keeps them.
  db.exec(`UPDATE run SET complete = 0, ended_how = NULL, exit_code = NULL; DELETE FROM calls WHERE seq > 30;
    UPDATE calls SET exit = NULL, result = NULL, line_id = NULL, exit_ns = NULL WHERE seq + exit > 30; DELETE FROM other_stops WHERE seq > 30`);
  db.close();
  const r = runTstrace(['show', '--require-complete', partial], { cwd: dir });
  assert.equal(r.status, 84, r.stderr);
  assert.match(r.stderr, /^tstrace: .*incomplete/);
  const s = runTstrace(['show', partial], { cwd: dir });
  assert.equal(s.status, 0);
  assert.match(s.stderr, /incomplete; it ends at stop 30/);
  assert.ok(s.stdout.split('\n').length > 5);
});

test('reading commands never write into a recording', () => {
  const before = fs.readFileSync(good);
  for (const cmd of [['show'], ['stats'], ['query', '--json'], ['query', '--sql', 'SELECT count(*) FROM stops'], ['replay'], ['export', '--perfetto']]) {
    const r = runTstrace([...cmd, good], { cwd: dir });
    assert.equal(r.status, 0, `${cmd.join(' ')}: ${r.stderr}`);
  }
  for (const sql of ['DELETE FROM calls', 'UPDATE run SET complete = 0', 'CREATE TABLE x (y)', "ATTACH 'x.db' AS x"]) {
    const r = runTstrace(['query', good, '--sql', sql], { cwd: dir });
    assert.equal(r.status, 64, `${sql}: ${r.stderr}`);
  }
  assert.ok(fs.readFileSync(good).equals(before));
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('good.db')), ['good.db']);
});
