// Classic BPF instruction fields (strace 6.1's bpf_class, bpf_size, bpf_mode, bpf_src,
// bpf_op_alu, bpf_op_jmp, bpf_miscop, bpf_rval) and the socket filters' special offsets (skf_ad).
import { xlat, xlatSeq } from './xlat.js';

export const BPF_CLASSES = xlatSeq(0, ['BPF_LD', 'BPF_LDX', 'BPF_ST', 'BPF_STX', 'BPF_ALU', 'BPF_JMP', 'BPF_RET', 'BPF_MISC']);
export const BPF_SIZES = xlat([['BPF_W', 0x00], ['BPF_H', 0x08], ['BPF_B', 0x10], ['BPF_DW', 0x18]]);
export const BPF_MODES = xlat([
  ['BPF_IMM', 0x00], ['BPF_ABS', 0x20], ['BPF_IND', 0x40], ['BPF_MEM', 0x60], ['BPF_LEN', 0x80], ['BPF_MSH', 0xa0], ['BPF_XADD', 0xc0],
]);
export const BPF_SRCS = xlat([['BPF_K', 0x00], ['BPF_X', 0x08]]);
export const BPF_OP_ALU = xlat([
  'BPF_ADD', 'BPF_SUB', 'BPF_MUL', 'BPF_DIV', 'BPF_OR', 'BPF_AND', 'BPF_LSH', 'BPF_RSH', 'BPF_NEG', 'BPF_MOD', 'BPF_XOR',
  'BPF_MOV', 'BPF_ARSH', 'BPF_END',
].map((n, i) => [n, i << 4] as const));
export const BPF_OP_JMP = xlat([
  'BPF_JA', 'BPF_JEQ', 'BPF_JGT', 'BPF_JGE', 'BPF_JSET', 'BPF_JNE', 'BPF_JSGT', 'BPF_JSGE', 'BPF_CALL', 'BPF_EXIT',
  'BPF_JLT', 'BPF_JLE', 'BPF_JSLT', 'BPF_JSLE',
].map((n, i) => [n, i << 4] as const));
export const BPF_MISCOPS = xlat([['BPF_TAX', 0x00], ['BPF_TXA', 0x80]]);
export const BPF_RVALS = xlat([['BPF_K', 0x00], ['BPF_X', 0x08], ['BPF_A', 0x10]]);
export const SKF_AD = xlat([
  ['SKF_AD_PROTOCOL', 0], ['SKF_AD_PKTTYPE', 4], ['SKF_AD_IFINDEX', 8], ['SKF_AD_NLATTR', 12], ['SKF_AD_NLATTR_NEST', 16],
  ['SKF_AD_MARK', 20], ['SKF_AD_QUEUE', 24], ['SKF_AD_HATYPE', 28], ['SKF_AD_RXHASH', 32], ['SKF_AD_CPU', 36],
  ['SKF_AD_ALU_XOR_X', 40], ['SKF_AD_VLAN_TAG', 44], ['SKF_AD_VLAN_TAG_PRESENT', 48], ['SKF_AD_PAY_OFFSET', 52],
  ['SKF_AD_RANDOM', 56], ['SKF_AD_VLAN_TPID', 60],
]);
