// Flags and pin functions of the PTP hardware clock ioctls ('='), from <linux/ptp_clock.h>.
import { xlat } from './xlat.js';

export const PTP_EXTTS_FLAGS = xlat([
  ['PTP_ENABLE_FEATURE', 0x1], ['PTP_RISING_EDGE', 0x2], ['PTP_FALLING_EDGE', 0x4], ['PTP_STRICT_FLAGS', 0x8],
]);
export const PTP_PEROUT_FLAGS = xlat([
  ['PTP_PEROUT_ONE_SHOT', 0x1], ['PTP_PEROUT_DUTY_CYCLE', 0x2], ['PTP_PEROUT_PHASE', 0x4],
]);
export const PTP_PIN_FUNCS = xlat([
  ['PTP_PF_NONE', 0x0], ['PTP_PF_EXTTS', 0x1], ['PTP_PF_PEROUT', 0x2], ['PTP_PF_PHYSYNC', 0x3],
]);
