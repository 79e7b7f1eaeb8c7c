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

/**
 * The root named by --sysroot or QEMU_LD_PREFIX (`explicit`; sysroot undefined for "/"), or
 * { explicit: false } when none is named, or the one-line reason the named one cannot be used.
 */
export function givenSysroot(flag: string | undefined, env: string | undefined): { explicit: boolean; sysroot: Sysroot | undefined } | string {
  const given = flag ?? (env === '' ? undefined : env);
  if (given === undefined) return { explicit: false, sysroot: undefined };
  const dir = resolve(given);
  const why = checkSysroot(dir);
  if (why !== undefined) return flag !== undefined ? `--sysroot ${given}: ${why}` : `QEMU_LD_PREFIX=${given}: ${why}`;
  return { explicit: true, sysroot: dir === '/' ? undefined : new Sysroot(dir) };
}

/** The default root for a program of `arch`: /usr/<triple> for a foreign one, when installed. */
export function defaultSysroot(arch: ArchDescriptor): Sysroot | undefined {
  if (arch.name === hostArchName()) return undefined;
  const debian = `/usr/${arch.gnuTriple}`;
  try {
    if (statSync(debian).isDirectory()) return new Sysroot(debian);
  } catch {
    // no cross sysroot installed: the host's paths
  }
  return undefined;
}
