// ioctl families of part a, for what strace's own suite (run on x86_64) does not reach: the
// generic ABI's struct loop_info, and request names that carry a parameter. Expected lines follow
// strace 6.1's decoders (loop.c, evdev.c, ioctl.c) and the UAPI layouts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, aarch64, line, EBADF } from './decode-harness.js';

const BUF = 0x7ffc0000n;

test('LOOP_SET_STATUS: struct loop_info with x86_64 8-byte and the generic 4-byte old dev_t', () => {
  // x86_64: lo_device at 8, lo_inode at 16, lo_rdevice at 24, lo_offset at 32, lo_name at 48.
  const x = new ByteMemory();
  x.putStruct(BUF, 168, [[0, 4, 7], [8, 8, 0x801], [16, 8, 12], [24, 8, 0], [32, 4, 0x200], [44, 4, 1]]);
  x.put(BUF + 48n, '/tmp/img\0');
  assert.equal(line('ioctl', { args: [3, 0x4c02, BUF], ret: EBADF, mem: x, options: { verbose: true } }),
    'ioctl(3, LOOP_SET_STATUS, {lo_number=7, lo_device=makedev(0x8, 0x1), lo_inode=12, lo_rdevice=makedev(0, 0), ' +
    'lo_offset=0x200, lo_encrypt_type=LO_CRYPT_NONE, lo_encrypt_key_size=0, lo_flags=LO_FLAGS_READ_ONLY, lo_name="/tmp/img", ' +
    'lo_encrypt_key="", lo_init=[0, 0], reserved=[0, 0, 0, 0]}) = -1 EBADF (Bad file descriptor)');
  // aarch64 (generic ABI): lo_device at 4, lo_inode at 8, lo_rdevice at 16, lo_offset at 20, lo_name at 36.
  const a = new ByteMemory();
  a.putStruct(BUF, 160, [[0, 4, 7], [4, 4, 0x801], [8, 8, 12], [16, 4, 0], [20, 4, 0x200], [32, 4, 1]]);
  a.put(BUF + 36n, '/tmp/img\0');
  assert.equal(line('ioctl', { args: [3, 0x4c02, BUF], ret: EBADF, mem: a, arch: aarch64 }),
    'ioctl(3, LOOP_SET_STATUS, {lo_number=7, lo_offset=0x200, lo_flags=LO_FLAGS_READ_ONLY, lo_name="/tmp/img", ...}) = -1 EBADF (Bad file descriptor)');
});

test('request names with a parameter: evdev and the mixer', () => {
  // EVIOCGBIT(EV_KEY, 96) reading a bit set: KEY_ESC (1) and KEY_1 (2) set, 8 bytes returned.
  const mem = new ByteMemory();
  const code = 0x80604521;
  const kernel = (m: ByteMemory): void => { m.putInts(BUF, 8, [0x6n]); };
  assert.equal(line('ioctl', { args: [3, code, BUF], ret: 8, mem, kernel }), 'ioctl(3, EVIOCGBIT(EV_KEY, 96), [KEY_ESC KEY_1]) = 8');
  assert.equal(line('ioctl', { args: [3, code, BUF], ret: 8, mem, kernel, options: { xlat: 'verbose' } }),
    'ioctl(3, 0x80604521 /* EVIOCGBIT(EV_KEY, 96) */, [0x1 /* KEY_ESC */ 0x2 /* KEY_1 */] /* [0x6] */) = 8');
  assert.equal(line('ioctl', { args: [3, code, BUF], ret: 8, mem, kernel, options: { xlat: 'raw' } }),
    'ioctl(3, 0x80604521, [0x6]) = 8');
  // An 'M' read request strace knows no name for: the mixer's name alone.
  assert.equal(line('ioctl', { args: [3, 0x80044d40, 0], ret: EBADF }), 'ioctl(3, MIXER_READ(64), 0) = -1 EBADF (Bad file descriptor)');
});
