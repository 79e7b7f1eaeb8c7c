// Clock and timer constants.
import { xlat } from './xlat.js';

export const CLOCK_IDS = xlat([
  ['CLOCK_REALTIME', 0], ['CLOCK_MONOTONIC', 1], ['CLOCK_PROCESS_CPUTIME_ID', 2], ['CLOCK_THREAD_CPUTIME_ID', 3],
  ['CLOCK_MONOTONIC_RAW', 4], ['CLOCK_REALTIME_COARSE', 5], ['CLOCK_MONOTONIC_COARSE', 6], ['CLOCK_BOOTTIME', 7],
  ['CLOCK_REALTIME_ALARM', 8], ['CLOCK_BOOTTIME_ALARM', 9], ['CLOCK_SGI_CYCLE', 10], ['CLOCK_TAI', 11],
]);

/** clock_nanosleep / timer_settime flags. */
export const TIMER_FLAGS = xlat([['TIMER_ABSTIME', 1]]);

export const SIGEV_NOTIFY = xlat([['SIGEV_SIGNAL', 0], ['SIGEV_NONE', 1], ['SIGEV_THREAD', 2], ['SIGEV_THREAD_ID', 4]]);

export const ITIMER_WHICH = xlat([['ITIMER_REAL', 0], ['ITIMER_VIRTUAL', 1], ['ITIMER_PROF', 2]]);

export const TIMERFD_FLAGS = xlat([['TFD_TIMER_ABSTIME', 1], ['TFD_TIMER_CANCEL_ON_SET', 2]]);
