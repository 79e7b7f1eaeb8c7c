// Signal-related constants (rt_sigaction, rt_sigprocmask, sigaltstack).
import { xlat } from './xlat.js';

/** sa_flags in strace's print order (SA_INTERRUPT is glibc's historical no-op bit). */
export const SA_FLAGS = xlat([
  ['SA_RESTORER', 0x04000000], ['SA_ONSTACK', 0x08000000], ['SA_RESTART', 0x10000000],
  ['SA_INTERRUPT', 0x20000000], ['SA_NODEFER', 0x40000000], ['SA_RESETHAND', 0x80000000],
  ['SA_SIGINFO', 4], ['SA_NOCLDSTOP', 1], ['SA_NOCLDWAIT', 2],
]);

/** Special sa_handler values. */
export const SA_HANDLER_VALUES = xlat([['SIG_ERR', 0xffffffffffffffffn], ['SIG_DFL', 0], ['SIG_IGN', 1]]);

export const SIGPROCMASK_HOW = xlat([['SIG_BLOCK', 0], ['SIG_UNBLOCK', 1], ['SIG_SETMASK', 2]]);

export const SS_FLAGS = xlat([['SS_ONSTACK', 1], ['SS_DISABLE', 2], ['SS_AUTODISARM', 0x80000000]]);

/** signalfd4's flags. */
export const SFD_FLAGS = xlat([['SFD_CLOEXEC', 0o2000000], ['SFD_NONBLOCK', 0o4000]]);
