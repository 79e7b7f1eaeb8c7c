// strace 6.1's own test suite as the oracle (issue 12, item 8): scripts/strace-suite.sh fetches
// strace's source from Debian bookworm, builds its test programs statically for x86_64 and runs
// each selected test through strace's harness with the real strace and with tstrace in its
// place. A ratchet: every test recorded as passing in test/strace-suite-baseline.json must still
// pass under tstrace, and the pass count may not fall below the recorded one (raise the baseline
// as tests start to pass). The first run fetches and builds (about 15 minutes on 2 cores); the
// runs take about 8 minutes. Skipped when the source cannot be fetched or built (no Debian
// archive, not an x86_64 host), or when STRACE_SUITE=0.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/run.js';

interface Baseline {
  readonly tstrace: number;
  readonly passing: readonly string[];
}
interface Outcome {
  readonly native?: string;
  readonly tstrace?: string;
}
interface Results {
  readonly summary: { readonly selected: number; readonly native: number | null; readonly tstrace: number | null };
  readonly tests: Readonly<Record<string, Outcome>>;
}

const script = path.join(repoRoot, 'scripts', 'strace-suite.sh');
const baseline = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'strace-suite-baseline.json'), 'utf8')) as Baseline;

function prepare(): string | false {
  if (process.env.STRACE_SUITE === '0') return 'STRACE_SUITE=0';
  if (process.arch !== 'x64') return `the test programs are x86_64; this host is ${process.arch}`;
  const built = spawnSync('bash', [script, '--build-only'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (built.status !== 0) {
    const last = (built.stderr ?? '').trim().split('\n').pop() ?? '';
    return `strace's source could not be fetched or built: ${last}`;
  }
  return false;
}

const skip = prepare();

test('strace 6.1 test suite: no test that passed under tstrace fails, the count does not fall', { skip }, (t) => {
  const out = path.join(repoRoot, 'build', 'strace-suite-runs', 'results.json');
  const run = spawnSync('bash', [script, '--out', out], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(run.status, 0, `strace-suite.sh failed: ${run.stderr}`);
  const results = JSON.parse(fs.readFileSync(out, 'utf8')) as Results;
  const lost = baseline.passing.filter((name) => results.tests[name]?.tstrace !== 'pass');
  assert.deepEqual(lost, [], `tests that passed under tstrace and fail now (logs in build/strace-suite-runs/logs/tstrace): ${lost.join(' ')}`);
  const passes = Object.values(results.tests).filter((r) => r.tstrace === 'pass').length;
  assert.ok(passes >= baseline.tstrace, `${passes} tests pass under tstrace, fewer than the recorded ${baseline.tstrace}`);
  const nativePasses = Object.values(results.tests).filter((r) => r.native === 'pass').length;
  t.diagnostic(`selected ${results.summary.selected}, native strace passes ${nativePasses}, tstrace ${passes} (recorded: ${baseline.tstrace})`);
});
