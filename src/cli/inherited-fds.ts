// The descriptors above 2 that tstrace was started with, to pass on to the guest as strace and
// qemu-user pass them. Node marks them close-on-exec and opens its own before any JavaScript
// runs, so they are told apart by what they are: Node's (libuv's) own are epoll and eventfd
// instances and pipes whose two ends are both held here; anything else was inherited.
import { readdirSync, readlinkSync } from 'node:fs';

const RUNTIME_OWN = /^anon_inode:\[(eventpoll|eventfd|io_uring|signalfd|timerfd)\]$/;

/** Call first thing at start-up, before tstrace opens any file of its own. */
export function inheritedDescriptors(): number[] {
  const targets = new Map<number, string>();
  try {
    for (const name of readdirSync('/proc/self/fd')) {
      const fd = Number(name);
      if (!Number.isInteger(fd) || fd <= 2) continue;
      try {
        targets.set(fd, readlinkSync(`/proc/self/fd/${name}`));
      } catch {
        // the directory listing's own descriptor, closed already
      }
    }
  } catch {
    return [];
  }
  const seen = new Map<string, number>();
  for (const t of targets.values()) seen.set(t, (seen.get(t) ?? 0) + 1);
  return [...targets]
    .filter(([, t]) => !RUNTIME_OWN.test(t) && !(t.startsWith('pipe:') && seen.get(t)! > 1))
    .map(([fd]) => fd)
    .sort((a, b) => a - b);
}
