// Real-time clock constants (strace's rtc_*.in).
import { xlat, xlatSeq } from './xlat.js';

export const RTC_VL_FLAGS = xlat([['RTC_VL_DATA_INVALID', 1], ['RTC_VL_BACKUP_LOW', 2], ['RTC_VL_BACKUP_EMPTY', 4],
  ['RTC_VL_ACCURACY_LOW', 8], ['RTC_VL_BACKUP_SWITCH', 16]]);
export const RTC_PARAMS = xlatSeq(0, ['RTC_PARAM_FEATURES', 'RTC_PARAM_CORRECTION', 'RTC_PARAM_BACKUP_SWITCH_MODE']);
export const RTC_FEATURES = xlat(['ALARM', 'ALARM_RES_MINUTE', 'NEED_WEEK_DAY', 'ALARM_RES_2S', 'UPDATE_INTERRUPT',
  'CORRECTION', 'BACKUP_SWITCH_MODE', 'ALARM_WAKEUP_ONLY'].map((n, i) => [`1<<RTC_FEATURE_${n}`, 2 ** i] as const));
export const RTC_BACKUP_SWITCH_MODES = xlatSeq(0, ['RTC_BSM_DISABLED', 'RTC_BSM_DIRECT', 'RTC_BSM_LEVEL', 'RTC_BSM_STANDBY']);
