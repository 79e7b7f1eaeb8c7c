// Guest memory: mapping, reading, writing, regions, protection, host-backed mappings.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  HostMemory,
  UnicornError,
  UC_ARCH_ARM64,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X1,
  UC_ARM64_REG_X2,
  UC_MODE_ARM,
  UC_PROT_ALL,
  UC_PROT_READ,
  UC_PROT_EXEC,
  UC_PROT_WRITE,
} from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;

function arm64(t: { after(fn: () => void): void }): Engine {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  return e;
}

test('map, write, read back, and list regions (end inclusive)', (t) => {
  const e = arm64(t);
  e.memMap(0x400000n, 0x2000, UC_PROT_READ | UC_PROT_WRITE);
  e.memMap(0x800000n, 0x1000n, UC_PROT_ALL);
  e.memWrite(0x400ffen, new Uint8Array([1, 2, 3, 4])); // across the page boundary
  assert.deepEqual([...e.memRead(0x400ffen, 4)], [1, 2, 3, 4]);
  assert.deepEqual([...e.memRead(0x401000n, 4)], [3, 4, 0, 0]);
  assert.deepEqual(e.memRegions(), [
    { begin: 0x400000n, end: 0x401fffn, perms: UC_PROT_READ | UC_PROT_WRITE },
    { begin: 0x800000n, end: 0x800fffn, perms: UC_PROT_ALL },
  ]);
  e.memUnmap(0x400000n, 0x1000);
  assert.deepEqual(e.memRegions().map((r) => r.begin), [0x401000n, 0x800000n]);
});

test('memRead returns a copy', (t) => {
  const e = arm64(t);
  e.memMap(0x400000n, 0x1000, UC_PROT_ALL);
  const copy = e.memRead(0x400000n, 4);
  copy[0] = 99;
  assert.equal(e.memRead(0x400000n, 1)[0], 0);
});

test('reading unmapped memory is a UnicornError UC_ERR_READ_UNMAPPED from uc_mem_read', (t) => {
  const e = arm64(t);
  assert.throws(() => e.memRead(0x7000000n, 8), (err: unknown) => {
    assert.ok(err instanceof UnicornError);
    assert.equal(err.codeName, 'UC_ERR_READ_UNMAPPED');
    assert.equal(err.code, 6);
    assert.equal(err.op, 'uc_mem_read');
    assert.match(err.message, /^uc_mem_read: /);
    return true;
  });
});

test('an overlapping map is a UnicornError UC_ERR_MAP from uc_mem_map', (t) => {
  const e = arm64(t);
  e.memMap(0x400000n, 0x2000, UC_PROT_ALL);
  assert.throws(() => e.memMap(0x401000n, 0x1000, UC_PROT_ALL), { name: 'UnicornError', codeName: 'UC_ERR_MAP', op: 'uc_mem_map' });
});

test('memProtect: a guest store to a read-only page faults with UC_ERR_WRITE_PROT', (t) => {
  const e = arm64(t);
  e.memMap(CODE, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
  e.memWrite(CODE, a64(0xf9000022)); // str x2, [x1]
  e.memMap(0x400000n, 0x1000, UC_PROT_ALL);
  e.regWrite(UC_ARM64_REG_X1, 0x400010n);
  e.regWrite(UC_ARM64_REG_X2, 0x1122334455667788n);
  e.emuStart(CODE, CODE + 4n);
  assert.equal(e.memRead(0x400010n, 8)[0], 0x88);

  e.memProtect(0x400000n, 0x1000, UC_PROT_READ);
  assert.equal(e.memRegions().find((r) => r.begin === 0x400000n)?.perms, UC_PROT_READ);
  e.regWrite(UC_ARM64_REG_X2, 0n);
  assert.throws(() => e.emuStart(CODE, CODE + 4n), { name: 'UnicornError', codeName: 'UC_ERR_WRITE_PROT', op: 'uc_emu_start' });
  assert.equal(e.memRead(0x400010n, 8)[0], 0x88, 'the store did not happen');
});

test('memMapPtr over HostMemory: the guest sees writes made through view() and the host sees guest stores', (t) => {
  const e = arm64(t);
  const host = HostMemory.reserve(1 << 20);
  t.after(() => host.release());
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  // ldr x0, [x1]; add x0, x0, #1; str x0, [x1, #8]
  e.memWrite(CODE, a64(0xf9400020, 0x91000400, 0xf9000420));
  e.memMapPtr(0x40000000n, 0x10000, UC_PROT_READ | UC_PROT_WRITE, host.ptr + 0x20000n);

  const page = host.view(0x20000, 0x1000);
  const dv = new DataView(page.buffer, page.byteOffset, page.byteLength);
  dv.setBigUint64(0x100, 41n, true);
  e.regWrite(UC_ARM64_REG_X1, 0x40000100n);
  e.emuStart(CODE, CODE + 12n);

  assert.equal(e.regRead(UC_ARM64_REG_X0), 42n, 'the guest loaded what the host wrote');
  assert.equal(dv.getBigUint64(0x108, true), 42n, 'the host sees what the guest stored');
  assert.deepEqual(e.memRead(0x40000108n, 1), new Uint8Array([42]), 'uc_mem_read sees the host memory too');
  host.view(0x20000 + 0x108, 1)[0] = 7;
  assert.equal(e.memRead(0x40000108n, 1)[0], 7);
});
