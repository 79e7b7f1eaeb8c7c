// Which root filesystem a run uses: --sysroot DIR, else $QEMU_LD_PREFIX (qemu-user's own
// variable), else Debian's cross sysroot /usr/<triple> when it exists and the program is for
// another CPU than the host's; a program of the host's own CPU uses the host's / (no sysroot).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArchDescriptor } from '../arch/types.js';
import { Sysroot, checkSysroot } from '../loader/sysroot.js';

/** The host CPU in tstrace's naming. */
function hostArchName(): string {
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
}

/** The root to use ({ sysroot: undefined } for the host's /), or the one-line reason it cannot be used. */
export function chooseSysroot(flag: string | undefined, env: string | undefined, arch: ArchDescriptor): { sysroot: Sysroot | undefined } | string {
  const given = flag ?? (env === '' ? undefined : env);
  if (given !== undefined) {
    const dir = resolve(given);
    const why = checkSysroot(dir);
    if (why !== undefined) return flag !== undefined ? why : `QEMU_LD_PREFIX=${given}: ${why.replace(/^--sysroot \S+: /, '')}`;
    return { sysroot: dir === '/' ? undefined : new Sysroot(dir) };
  }
  if (arch.name === hostArchName()) return { sysroot: undefined };
  const debian = `/usr/${arch.gnuTriple}`;
  try {
    if (statSync(debian).isDirectory()) return { sysroot: new Sysroot(debian) };
  } catch {
    // no cross sysroot installed: the host's paths
  }
  return { sysroot: undefined };
}
