// Netlink decoding against the real strace: the net_netlink fixture's x86_64 build run natively
// under strace 6.1 and under tstrace, the netlink socket's calls compared line by line. Masked
// on both sides: port ids and pids (the host's pid natively, the guest's under tstrace),
// sequence numbers (glibc's getaddrinfo takes them from the clock). Reply buffers are compared
// up to their first route attribute: tstrace prints attributes as bytes, strace decodes them.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace, describeEnd } from './helpers/run.js';

const NETLINK_CALL = /^(socket\(AF_NETLINK|bind|getsockname|setsockopt|getsockopt|sendto|sendmsg|recvfrom|recvmsg|recv|send)\b/;

function netlinkLines(trace: string): string[] {
  return trace
    .split('\n')
    .filter((l) => NETLINK_CALL.test(l) && !/AF_UNIX|nscd/.test(l))
    .map((l) => l
      .replace(/\b(nl_pid|nlmsg_pid|nlmsg_seq)=\d+/g, '$1=…')
      // The first attribute and all after it, whatever the printing.
      .replace(/, (\[\[\{nla_len=|"\\x).*$/, ', …'));
}

const skip = hostArch() !== 'x86_64' ? 'not an x86_64 host' : !hasCommand('strace') ? 'no strace' : false;

test('netlink calls as strace 6.1 prints them', { skip }, () => {
  const bin = fixturePath('x86_64', 'net_netlink');
  assert.ok(fixtureExists('x86_64', 'net_netlink'), `missing ${bin}: run scripts/build-fixtures.sh`);
  const dir = makeTempDir('tstrace-netlink-');
  try {
    const a = path.join(dir, 'A.txt');
    const b = path.join(dir, 'B.txt');
    const s = runStrace(['-o', a], bin, [], { cwd: dir, timeoutMs: 60_000 });
    const t = runTstrace(['-o', b, bin], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(describeEnd(s), 'exit 0', s.stderr);
    assert.equal(describeEnd(t), 'exit 0', t.stderr);
    assert.equal(t.stdout, s.stdout);
    const want = netlinkLines(fs.readFileSync(a, 'utf8'));
    const got = netlinkLines(fs.readFileSync(b, 'utf8'));
    assert.ok(want.length >= 20, `few netlink lines natively:\n${want.join('\n')}`);
    assert.deepEqual(got, want);
  } finally {
    removeTempDir(dir);
  }
});
