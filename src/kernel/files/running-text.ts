// Linux refuses to open for writing a file that some process is running (ETXTBSY): the text of
// a live guest process is the host file it was loaded from, identified by device and inode.
import { statSync } from 'node:fs';
import type { Kernel } from '../kernel.js';

function identity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** Whether the host file at `hostPath` (followed through links) is the executable of a live guest process. */
export function isRunningText(kernel: Kernel, hostPath: string): boolean {
  const id = identity(hostPath);
  if (id === undefined) return false;
  for (const group of kernel.processes()) {
    if (group.termination === undefined && group.exe !== '' && identity(group.exe) === id) return true;
  }
  return false;
}
