// ioctl families of part b, for what strace's own suite (run on x86_64) does not reach: a seccomp
// notification on another architecture, and a PTP wall-clock time past JavaScript's Date range.
// Expected lines follow strace 6.1's decoders (seccomp_ioctl.c, ptp.c) and the UAPI layouts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, aarch64, line } from './decode-harness.js';

const BUF = 0x7ffc0000n;
const NOTIF_RECV = 0xc0502100;
const AUDIT_ARCH_AARCH64 = 0xc00000b7, AUDIT_ARCH_X86_64 = 0xc000003e;

/** struct seccomp_notif as the kernel writes it: id, pid, flags, then seccomp_data (nr, arch, ip, args). */
function notif(mem: ByteMemory, nr: number, arch: number): void {
  mem.putStruct(BUF, 80, [[0, 8, 5], [8, 4, 42], [16, 4, nr], [20, 4, arch], [24, 8, 0x400000], [32, 8, 1]]);
}

test('SECCOMP_IOCTL_NOTIF_RECV names the syscall only for the tracee\'s own audit arch', () => {
  const zeroed = (): ByteMemory => { const m = new ByteMemory(); m.put(BUF, new Uint8Array(80)); return m; };
  // aarch64's gettid is 178; a zeroed buffer shows nothing at entry.
  assert.equal(line('ioctl', { args: [3, NOTIF_RECV, BUF], ret: 0, mem: zeroed(), arch: aarch64, kernel: (m) => notif(m, 178, AUDIT_ARCH_AARCH64) }),
    'ioctl(3, SECCOMP_IOCTL_NOTIF_RECV, {id=0x5, pid=42, flags=0, data={nr=__NR_gettid, arch=AUDIT_ARCH_AARCH64, ' +
    'instruction_pointer=0x400000, args=[0x1, 0, 0, 0, 0, 0]}}) = 0');
  assert.equal(line('ioctl', { args: [3, NOTIF_RECV, BUF], ret: 0, mem: zeroed(), arch: aarch64, options: { xlat: 'verbose' },
    kernel: (m) => notif(m, 178, AUDIT_ARCH_AARCH64) }),
    'ioctl(3, 0xc0502100 /* SECCOMP_IOCTL_NOTIF_RECV */, {id=0x5, pid=42, flags=0, data={nr=178 /* __NR_gettid */, ' +
    'arch=0xc00000b7 /* AUDIT_ARCH_AARCH64 */, instruction_pointer=0x400000, args=[0x1, 0, 0, 0, 0, 0]}}) = 0');
  // An x86_64 notification seen by an aarch64 tracer: the number alone.
  assert.equal(line('ioctl', { args: [3, NOTIF_RECV, BUF], ret: 0, mem: zeroed(), arch: aarch64, kernel: (m) => notif(m, 186, AUDIT_ARCH_X86_64) }),
    'ioctl(3, SECCOMP_IOCTL_NOTIF_RECV, {id=0x5, pid=42, flags=0, data={nr=186, arch=AUDIT_ARCH_X86_64, ' +
    'instruction_pointer=0x400000, args=[0x1, 0, 0, 0, 0, 0]}}) = 0');
});

test('PTP_SYS_OFFSET_PRECISE: a time far past year 275760 still gets its date comment', () => {
  const mem = new ByteMemory();
  mem.put(BUF, new Uint8Array(64));
  // The value and the date are strace 6.1's own (tests/ioctl_ptp.c under TZ=UTC).
  const kernel = (m: ByteMemory): void => {
    m.putStruct(BUF, 64, [[16, 8, 320255973501901n], [24, 4, 987654321], [28, 4, 1]]);
  };
  assert.equal(line('ioctl', { args: [3, 0xc0403d08, BUF], ret: 0, mem, kernel }),
    'ioctl(3, PTP_SYS_OFFSET_PRECISE, {device={sec=0, nsec=0}, ' +
    'sys_realtime={sec=320255973501901, nsec=987654321, reserved=0x1} /* 10150477-10-18T23:25:01.987654321+0000 */, ' +
    'sys_monoraw={sec=0, nsec=0}}) = 0');
});
