// A dynamic program's loader (PT_INTERP), found as binfmt_elf opens it: by its absolute path,
// here looked up in the guest's root filesystem first (see Sysroot). Whatever is wrong with it
// becomes one LoaderError naming the program, the loader's path and every place it was looked
// for, so a missing or foreign root filesystem is obvious from one line.
import { LoaderError, readElf, type ElfImage } from './elf.js';
import type { Sysroot } from './sysroot.js';

export function readInterpreter(program: ElfImage, sysroot: Sysroot | undefined): ElfImage {
  const interp = program.interpreter;
  if (interp === undefined) throw new Error('readInterpreter: the program has no PT_INTERP');
  const host = sysroot === undefined ? interp : sysroot.hostPath(interp);
  const where = (): string => {
    const places = sysroot === undefined ? [interp] : sysroot.candidates(interp);
    const root = sysroot === undefined ? 'no --sysroot' : `--sysroot ${sysroot.dir}`;
    return `looked for ${places.join(' and ')}; ${root}`;
  };
  let elf: ElfImage;
  try {
    elf = readElf(host);
  } catch (e) {
    if (!(e instanceof LoaderError)) throw e;
    if (e.kind === 'not-found') {
      throw new LoaderError('interpreter-missing', `${program.path}: dynamic loader ${interp} not found (${where()})`);
    }
    // readElf's reason names the host file; say which loader that is.
    const reason = e.message.startsWith(`${host}: `) ? e.message.slice(host.length + 2) : e.message;
    throw new LoaderError('bad-interpreter', `${program.path}: dynamic loader ${interp} (${host}): ${reason}`);
  }
  if (elf.arch !== program.arch) {
    throw new LoaderError('bad-interpreter', `${program.path}: dynamic loader ${interp} (${host}) is ${elf.arch.name} code, the program is ${program.arch.name} (${where()})`);
  }
  return elf;
}
