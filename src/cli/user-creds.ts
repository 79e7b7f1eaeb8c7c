// -u USER: the guest's credentials become USER's, from the host's /etc/passwd and /etc/group
// (uid, gid and supplementary groups, as initgroups gives them). Only the guest's view of its
// ids changes: host files are still opened with tstrace's own rights.
import { readFileSync } from 'node:fs';
import type { Credentials } from '../loader/load.js';

export class UnknownUserError extends Error {}

export function credentialsOf(user: string, passwdPath = '/etc/passwd', groupPath = '/etc/group'): Credentials {
  const lines = readLines(passwdPath);
  const entry = lines.map((l) => l.split(':')).find((f) => f[0] === user);
  if (entry === undefined || entry.length < 4) throw new UnknownUserError(`cannot find user '${user}'`);
  const uid = Number(entry[2]);
  const gid = Number(entry[3]);
  const groups = new Set<number>([gid]);
  for (const f of readLines(groupPath).map((l) => l.split(':'))) {
    if (f.length >= 4 && f[3]!.split(',').includes(user)) groups.add(Number(f[2]));
  }
  return { uid, euid: uid, gid, egid: gid, groups: [...groups].sort((a, b) => a - b) };
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  } catch {
    return [];
  }
}

/** The environment after strace's -E changes: `VAR=VAL` sets, `VAR` removes. */
export function applyEnvChanges(env: readonly string[], changes: readonly string[]): string[] {
  const out = [...env];
  for (const c of changes) {
    const eq = c.indexOf('=');
    const name = eq < 0 ? c : c.slice(0, eq);
    const i = out.findIndex((e) => e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')) === name);
    if (eq < 0) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return out;
}
