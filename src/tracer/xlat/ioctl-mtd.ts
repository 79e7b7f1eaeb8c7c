// MTD constants (strace's mtd_*.in, values from mtd/mtd-abi.h).
import { xlat } from './xlat.js';

export const MTD_FILE_MODES = xlat([
  ['MTD_FILE_MODE_NORMAL', 0], ['MTD_FILE_MODE_OTP_FACTORY', 1], ['MTD_FILE_MODE_OTP_USER', 2],
  ['MTD_FILE_MODE_RAW', 3],
]);
export const MTD_FLAGS = xlat([
  ['MTD_WRITEABLE', 0x400], ['MTD_BIT_WRITEABLE', 0x800], ['MTD_NO_ERASE', 0x1000],
  ['MTD_POWERUP_LOCK', 0x2000], ['MTD_SLC_ON_MLC_EMULATION', 0x4000],
]);
export const MTD_MODES = xlat([
  ['MTD_OPS_PLACE_OOB', 0], ['MTD_OPS_AUTO_OOB', 1], ['MTD_OPS_RAW', 2],
]);
export const MTD_NANDECC = xlat([
  ['MTD_NANDECC_OFF', 0], ['MTD_NANDECC_PLACE', 1], ['MTD_NANDECC_AUTOPLACE', 2],
  ['MTD_NANDECC_PLACEONLY', 3], ['MTD_NANDECC_AUTOPL_USR', 4],
]);
export const MTD_OTP = xlat([
  ['MTD_OTP_OFF', 0], ['MTD_OTP_FACTORY', 1], ['MTD_OTP_USER', 2],
]);
export const MTD_TYPES = xlat([
  ['MTD_ABSENT', 0], ['MTD_RAM', 1], ['MTD_ROM', 2], ['MTD_NORFLASH', 3], ['MTD_NANDFLASH', 4],
  ['MTD_DATAFLASH', 6], ['MTD_UBIVOLUME', 7], ['MTD_MLCNANDFLASH', 8],
]);
