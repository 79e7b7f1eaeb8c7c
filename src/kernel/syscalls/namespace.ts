// unshare: the pid namespace a process's next children are created in (CLONE_NEWPID), and a
// new user namespace accepted as Linux allows it (CLONE_NEWUSER; the guest's ids stay
// tstrace's user's, so it changes nothing here). Other namespaces are refused.
import { E } from '../../abi/errno.js';
import { PidNamespace } from '../pid-namespace.js';
import { CLONE } from './clone.js';
import { byReplay, partial, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);

/** What unshare takes besides the namespaces given: ways of sharing a lone process has nothing of. */
const SOLO = CLONE.THREAD | CLONE.SIGHAND | CLONE.VM;

function unshare({ args, proc }: SyscallContext): bigint {
  const flags = Number(BigInt.asUintN(32, args[0]!));
  if ((flags & ~(CLONE.NEWPID | CLONE.NEWUSER | SOLO)) !== 0) return err(E.EINVAL);
  const lone = proc.live === 1;
  // A new user namespace implies CLONE_THREAD: only a single-threaded process may make one.
  if ((flags & (CLONE.NEWUSER | SOLO)) !== 0 && !lone) return err(E.EINVAL);
  if ((flags & CLONE.NEWPID) !== 0) {
    // Once per process until it changes namespace (Linux's copy_pid_ns: the children's
    // namespace must be the caller's own).
    if (proc.childPidns !== proc.pidns) return err(E.EINVAL);
    proc.childPidns = new PidNamespace(proc.pidns);
  }
  return 0n;
}

export const NAMESPACE_SYSCALLS: SyscallTable = byReplay({
  execute: {
    unshare: partial(unshare, 'CLONE_NEWPID (a new pid namespace for the children) and CLONE_NEWUSER (accepted; ids unchanged); other namespaces EINVAL'),
  },
});
