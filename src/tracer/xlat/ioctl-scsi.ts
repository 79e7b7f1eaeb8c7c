// Constants of the SCSI generic ioctls ('"': SG_*), from <scsi/sg.h> and <linux/bsg.h>.
import { xlat } from './xlat.js';

export const SG_SCSI_RESET = xlat([
  ['SG_SCSI_RESET_NOTHING', 0x0], ['SG_SCSI_RESET_DEVICE', 0x1], ['SG_SCSI_RESET_BUS', 0x2],
  ['SG_SCSI_RESET_HOST', 0x3], ['SG_SCSI_RESET_TARGET', 0x4], ['SG_SCSI_RESET_NO_ESCALATE', 0x100],
]);
/** dxfer_direction, an int: the values as its unsigned 32 bits. */
export const SG_IO_DXFER_DIRECTION = xlat([
  ['SG_DXFER_NONE', 0xffffffff], ['SG_DXFER_TO_DEV', 0xfffffffe], ['SG_DXFER_FROM_DEV', 0xfffffffd], ['SG_DXFER_TO_FROM_DEV', 0xfffffffc],
]);
export const SG_IO_FLAGS = xlat([
  ['SG_FLAG_DIRECT_IO', 0x1], ['SG_FLAG_UNUSED_LUN_INHIBIT', 0x2], ['SG_FLAG_MMAP_IO', 0x4],
  ['SG_FLAG_NO_DXFER', 0x10000], ['SG_FLAG_Q_AT_TAIL', 0x10], ['SG_FLAG_Q_AT_HEAD', 0x20],
]);
export const SG_IO_INFO = xlat([
  ['SG_INFO_CHECK', 0x1], ['SG_INFO_DIRECT_IO', 0x2], ['SG_INFO_MIXED_IO', 0x4],
]);
export const BSG_PROTOCOL = xlat([
  ['BSG_PROTOCOL_SCSI', 0x0],
]);
export const BSG_SUBPROTOCOL = xlat([
  ['BSG_SUB_PROTOCOL_SCSI_CMD', 0x0], ['BSG_SUB_PROTOCOL_SCSI_TMF', 0x1],
  ['BSG_SUB_PROTOCOL_SCSI_TRANSPORT', 0x2],
]);
export const BSG_FLAGS = xlat([
  ['BSG_FLAG_Q_AT_TAIL', 0x10], ['BSG_FLAG_Q_AT_HEAD', 0x20],
]);
