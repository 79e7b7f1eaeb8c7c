// Child process of test/fuzz-elf.test.ts: runs mutants [from, to) of one executable through
// the loader and kernel in this one process (no tracer, standard streams on /dev/null), and
// reports each on stdout as a JSON line: {"start": i} before it runs, then its outcome. The
// parent kills this process when a mutant runs too long (a hang) and goes on after it; a host
// crash shows as this process dying with a signal.
//   node elf-fuzz-worker.js BINARY SCRATCH_FILE SEED FROM TO [APPLET]
import * as fs from 'node:fs';
import { Kernel } from '../../src/kernel/kernel.js';
import { LoaderError } from '../../src/loader/elf.js';
import { LOADER_EXIT } from '../../src/cli/exit-codes.js';
import { mutate } from './elf-mutate.js';

export type FuzzOutcome =
  | { readonly i: number; readonly kind: 'refused'; readonly code: number; readonly message: string }
  | { readonly i: number; readonly kind: 'exited'; readonly code: number }
  | { readonly i: number; readonly kind: 'killed'; readonly signal: number }
  | { readonly i: number; readonly kind: 'error'; readonly message: string };

const [binary, scratch, seedArg, fromArg, toArg, applet] = process.argv.slice(2);
if (binary === undefined || scratch === undefined || toArg === undefined) {
  process.stderr.write('usage: elf-fuzz-worker BINARY SCRATCH SEED FROM TO [APPLET]\n');
  process.exit(2);
}
const original = fs.readFileSync(binary);
const nul = fs.openSync('/dev/null', 'r+');
const say = (o: object): void => {
  fs.writeSync(1, `${JSON.stringify(o)}\n`);
};

function runOne(i: number): FuzzOutcome {
  const m = mutate(original, Number(seedArg), i);
  fs.writeFileSync(scratch!, m.bytes, { mode: 0o755 });
  const kernel = new Kernel();
  let group;
  try {
    group = kernel.spawn({ path: scratch!, argv: applet === undefined ? ['prog'] : ['busybox', applet], envp: ['PATH=/bin'], stdio: [nul, nul, nul] });
  } catch (e) {
    if (e instanceof LoaderError) return { i, kind: 'refused', code: LOADER_EXIT[e.kind], message: e.message };
    return { i, kind: 'error', message: `${m.what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
  try {
    const end = kernel.run(group);
    return end.kind === 'exited' ? { i, kind: 'exited', code: end.code } : { i, kind: 'killed', signal: end.signal };
  } catch (e) {
    return { i, kind: 'error', message: `${m.what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  } finally {
    kernel.release(group);
  }
}

for (let i = Number(fromArg); i < Number(toArg); i++) {
  say({ start: i });
  say(runOne(i));
}
