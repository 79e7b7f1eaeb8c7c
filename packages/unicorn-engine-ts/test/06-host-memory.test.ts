// HostMemory: the host reservation guest memory lives in.
import test from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostMemory, HostMemoryError } from '../src/index.js';

const PAGE = 4096;

function reserve(t: { after(fn: () => void): void }, size: number | bigint): HostMemory {
  const m = HostMemory.reserve(size);
  t.after(() => m.release());
  return m;
}

function tempFile(t: { after(fn: () => void): void }, content: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uc-hostmem-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'data');
  writeFileSync(path, content);
  return path;
}

test('reserve gives a page-aligned zeroed range; views share its bytes', (t) => {
  const m = reserve(t, 1 << 20);
  assert.equal(m.size, 1n << 20n);
  assert.equal(m.ptr % BigInt(HostMemory.pageSize), 0n);
  const a = m.view(0x1000, 16);
  const b = m.view(0x1008, 8);
  assert.deepEqual([...a], new Array(16).fill(0));
  b[0] = 0xab;
  assert.equal(a[8], 0xab);
  assert.throws(() => m.view((1 << 20) - 4, 8), RangeError);
  assert.throws(() => m.view(-1, 1), RangeError);
});

test('views across 1 GiB chunk boundaries address the same memory', (t) => {
  const GIB = 2 ** 30;
  const m = reserve(t, 3 * GIB); // MAP_NORESERVE: costs nothing until touched
  const across = m.view(GIB - 8, 16); // starts in chunk 0, ends in chunk 1
  across.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual([...m.view(GIB, 8)], [9, 10, 11, 12, 13, 14, 15, 16]);
  const high = m.view(3 * GIB - 4, 4);
  high.set([0xde, 0xad, 0xbe, 0xef]);
  assert.deepEqual([...m.view(2 * GIB + GIB - 4, 4)], [0xde, 0xad, 0xbe, 0xef]);
  assert.throws(() => m.view(0, GIB + 1), RangeError);
});

test('views across the 2 MiB chunks views are cut from address the same memory', (t) => {
  const MIB2 = 2 ** 21;
  const m = reserve(t, 8 * MIB2);
  const across = m.view(MIB2 - 3, 6); // three bytes in chunk 0, three in chunk 1
  across.set([1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...m.view(MIB2 - 3, 3)], [1, 2, 3]);
  assert.deepEqual([...m.view(MIB2, 3)], [4, 5, 6]);
  const wide = m.view(MIB2 / 2, 3 * MIB2); // spans four chunks
  assert.equal(wide.length, 3 * MIB2);
  wide[wide.length - 1] = 0x5a;
  assert.equal(m.view(MIB2 / 2 + 3 * MIB2 - 1, 1)[0], 0x5a);
  assert.deepEqual([...wide.subarray(MIB2 / 2 - 3, MIB2 / 2 + 3)], [1, 2, 3, 4, 5, 6]);
});

test('discard zeroes pages and makes them non-resident', (t) => {
  const m = reserve(t, 4 * PAGE);
  const v = m.view(0, 4 * PAGE);
  v.fill(0x77);
  assert.deepEqual([...m.residentPages(0, 4 * PAGE)].map((b) => b & 1), [1, 1, 1, 1]);
  m.discard(PAGE, 2 * PAGE);
  assert.deepEqual([...m.residentPages(0, 4 * PAGE)].map((b) => b & 1), [1, 0, 0, 1]);
  assert.equal(v[PAGE - 1], 0x77);
  assert.equal(v[PAGE], 0);
  assert.equal(v[3 * PAGE - 1], 0);
  assert.equal(v[3 * PAGE], 0x77);
});

test('residentPages: untouched pages of a reservation are not resident', (t) => {
  const m = reserve(t, 64 * PAGE);
  m.view(5 * PAGE + 10, 1)[0] = 1;
  const resident = m.residentPages(0, 64 * PAGE);
  assert.equal(resident.length, 64);
  assert.deepEqual([...resident.keys()].filter((i) => (resident[i]! & 1) !== 0), [5]);
});

test('mapFile shared: the view shows the file, and writes reach the file', (t) => {
  const content = new Uint8Array(2 * PAGE).map((_, i) => i & 0xff);
  const path = tempFile(t, content);
  const fd = openSync(path, 'r+');
  t.after(() => closeSync(fd));
  const m = reserve(t, 8 * PAGE);
  m.view(2 * PAGE, 4)[0] = 0x55; // replaced by the mapping
  m.mapFile(2 * PAGE, 2 * PAGE, fd, PAGE, true); // the file's second page first
  const v = m.view(2 * PAGE, 2 * PAGE);
  assert.equal(v[0], 0); // file offset 4096: (4096 & 0xff) = 0
  assert.equal(v[5], 5);
  v[1] = 0xee;
  m.msync(2 * PAGE, PAGE);
  const after = readFileSync(path);
  assert.equal(after[PAGE + 1], 0xee);
  assert.equal(after[1], 1, 'the first page of the file is untouched');
  // Changes to the file are seen through the mapping too.
  writeSync(fd, new Uint8Array([0x99]), 0, 1, PAGE + 2);
  assert.equal(v[2], 0x99);
});

test('mapFile private: copy on write, the file keeps its content; resetAnonymous drops the mapping', (t) => {
  const path = tempFile(t, 'hello, file\n');
  const fd = openSync(path, 'r');
  t.after(() => closeSync(fd));
  const m = reserve(t, 4 * PAGE);
  m.mapFile(PAGE, PAGE, fd, 0, false);
  const v = m.view(PAGE, PAGE);
  assert.equal(Buffer.from(v.subarray(0, 11)).toString(), 'hello, file');
  assert.equal(v[100], 0, 'past the end of the file the page reads as zero');
  v[0] = 0x48; // 'H'
  assert.equal(v[0], 0x48);
  assert.equal(readFileSync(path, 'utf8'), 'hello, file\n');

  m.resetAnonymous(PAGE, PAGE);
  assert.equal(m.view(PAGE, 1)[0], 0);
});

test('a shared writable mapping of a read-only descriptor is a HostMemoryError EACCES', (t) => {
  const path = tempFile(t, 'x');
  const fd = openSync(path, 'r');
  t.after(() => closeSync(fd));
  const m = reserve(t, 2 * PAGE);
  assert.throws(() => m.mapFile(0, PAGE, fd, 0, true), (err: unknown) => {
    assert.ok(err instanceof HostMemoryError);
    assert.equal(err.code, 'EACCES');
    assert.equal(err.op, 'mmap');
    return true;
  });
  m.mapFile(0, PAGE, fd, 0, true, true); // read-only is fine
  assert.equal(m.view(0, 1)[0], 0x78);
});

test('misaligned ranges and ranges outside the reservation are refused', (t) => {
  const m = reserve(t, 4 * PAGE);
  assert.throws(() => m.discard(3 * PAGE, 2 * PAGE), RangeError);
  assert.throws(() => m.discard(100, PAGE), { name: 'HostMemoryError', code: 'EINVAL' });
});

test('release unmaps the reservation once', () => {
  const m = HostMemory.reserve(PAGE);
  m.release();
  m.release();
  assert.equal(m.isReleased, true);
  assert.throws(() => m.view(0, 1), /released/);
  assert.throws(() => m.discard(0, PAGE), /released/);
});
