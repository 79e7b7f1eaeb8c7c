// process_vm_readv/writev, seccomp filters with -v, and the AF_IPX / AF_AX25 / AF_X25 / AF_NETLINK
// socket addresses. Expected lines in the form of strace 6.1's tests (process_vm_readv_writev.c,
// seccomp-filter-v.c, prctl-seccomp-filter-v.c, net-sockaddr.c), addresses the test memory's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, EFAULT } from './decode-harness.js';

const BUF = 0x7ffc0000n;
const EBADF = -9;

test('process_vm_readv and process_vm_writev', () => {
  const mem = new ByteMemory();
  const LOCAL = BUF, REMOTE = BUF + 0x100n;
  mem.putInts(LOCAL, 8, [0x9000n, 3, 0x9010n, 4]);
  mem.putInts(REMOTE, 8, [0xa000n, 7]);
  mem.put(0x9000n, 'abc');
  mem.put(0x9010n, 'defg');
  assert.equal(line('process_vm_writev', { args: [1000, LOCAL, 2, REMOTE, 1, 0], ret: 7, mem }),
    'process_vm_writev(1000, [{iov_base="abc", iov_len=3}, {iov_base="defg", iov_len=4}], 2, [{iov_base=0xa000, iov_len=7}], 1, 0) = 7');
  // the local iovecs show what was read, up to the result
  assert.equal(line('process_vm_readv', { args: [1000, LOCAL, 2, REMOTE, 1, 0], ret: 5, mem }),
    'process_vm_readv(1000, [{iov_base="abc", iov_len=3}, {iov_base="de", iov_len=4}], 2, [{iov_base=0xa000, iov_len=7}], 1, 0) = 5');
  // a failure shows addresses; an array whose size wraps is shown by its address
  assert.equal(line('process_vm_readv', { args: [1000, LOCAL, 1, REMOTE, 0xdec0ded1defaced2n, 0], ret: EFAULT, mem }),
    `process_vm_readv(1000, [{iov_base=0x9000, iov_len=3}], 1, ${'0x' + REMOTE.toString(16)}, 16051074064918957778, 0) = -1 EFAULT (Bad address)`);
  assert.equal(line('process_vm_readv', { args: [0xbadfaceddeadca57n, 0, 0, 0, 0, 0], ret: -22 }),
    'process_vm_readv(-559035817, NULL, 0, NULL, 0, 0) = -1 EINVAL (Invalid argument)');
});

test('seccomp filters with -v', () => {
  const mem = new ByteMemory();
  const PROG = BUF, INSNS = BUF + 0x100n;
  // BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 3, 0, 1),
  // BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|16), BPF_STMT(BPF_RET|BPF_K, 0x60000)
  mem.putStruct(INSNS, 32, [[0, 2, 0x20], [4, 4, 0], [8, 2, 0x15], [10, 1, 0], [11, 1, 1], [12, 4, 3],
    [16, 2, 0x06], [20, 4, 0x50010], [24, 2, 0x06], [28, 4, 0x60000]]);
  mem.putStruct(PROG, 16, [[0, 2, 4], [8, 8, INSNS]]);
  const filter = '{len=4, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), ' +
    'BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x10), BPF_STMT(BPF_RET|BPF_K, 0x60000 /* SECCOMP_RET_??? */)]}';
  assert.equal(line('seccomp', { args: [1, 0, PROG], ret: 0, mem, options: { verbose: true } }), `seccomp(SECCOMP_SET_MODE_FILTER, 0, ${filter}) = 0`);
  assert.equal(line('prctl', { args: [22, 2, PROG, 0, 0], ret: 0, mem, options: { verbose: true } }), `prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ${filter}) = 0`);
  assert.equal(line('seccomp', { args: [1, 0, PROG], ret: 0, mem }), `seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=${'0x' + INSNS.toString(16)}}) = 0`);
});

test('AF_IPX, AF_AX25, AF_X25 and AF_NETLINK addresses', () => {
  const mem = new ByteMemory();
  const SA = BUF;
  const connect = (bytes: readonly number[], len = bytes.length): string => {
    mem.put(SA, bytes);
    return line('connect', { args: [-1, SA, len], ret: EBADF, mem });
  };
  const tail = ' = -1 EBADF (Bad file descriptor)';
  // AF_IPX: port 12345, network 0xfacefeed, node ABCDEF, type 0xff
  assert.equal(connect([4, 0, 0x30, 0x39, 0xfa, 0xce, 0xfe, 0xed, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0xff, 0x42]),
    'connect(-1, {sa_family=AF_IPX, sipx_port=htons(12345), sipx_network=htonl(0xfacefeed), sipx_node=[0x41, 0x42, 0x43, 0x44, 0x45, 0x46], ' +
    `sipx_type=0xff, sipx_zero=0x42}, 16)${tail}`);
  // AF_AX25: VALID-13, no digipeaters; then one (SPA CE-0, shown with its bytes) of eight announced
  const call = [0xac, 0x82, 0x98, 0x92, 0x88, 0x40, 0x1a];
  assert.equal(connect([3, 0, ...call, 0, 0, 0, 0, 0, 0, 0]), `connect(-1, {sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}, 16)${tail}`);
  assert.equal(connect([3, 0, ...call, 0, 0, 0, 8, 0, 0, 0, 0xa6, 0xa0, 0x82, 0x40, 0x86, 0x8a, 0x00]),
    'connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=8}, ' +
    `fsa_digipeater=[{ax25_call="\\xa6\\xa0\\x82\\x40\\x86\\x8a\\x00"} /* SPA CE-0 */, ...]}, 23)${tail}`);
  // AF_X25: a C string in 16 bytes
  const x25 = [...'0123456789'].map((c) => c.charCodeAt(0));
  assert.equal(connect([9, 0, ...x25, 0, 0, 0, 0, 0, 0]), `connect(-1, {sa_family=AF_X25, sx25_addr={x25_addr="0123456789"}}, 18)${tail}`);
  // AF_NETLINK: nl_pad when set, nl_groups as %#08x
  assert.equal(connect([16, 0, 0xff, 0xff, 0xd2, 0x02, 0x96, 0x49, 0xed, 0xfe, 0xce, 0xfa]),
    `connect(-1, {sa_family=AF_NETLINK, nl_pad=0xffff, nl_pid=1234567890, nl_groups=0xfacefeed}, 12)${tail}`);
});
