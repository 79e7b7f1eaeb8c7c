// Netlink decoding against the real strace: the net_netlink fixture's x86_64 build run natively
// under strace 6.1 and under tstrace, the netlink socket's calls compared line by line, whole:
// headers, family structs and every route attribute (IFA_*, IFLA_* with the nested IFLA_AF_SPEC
// lists, RTA_*), by default (lists cut at -s entries) and with -v, -X verbose, -X raw, -s 8 -xx.
// The kernel's replies are the host's, so only what changes between two runs is masked, on
// both sides:
//  - port ids and pids (nl_pid, nlmsg_pid: the host's pid natively, the guest's under tstrace);
//  - sequence numbers (nlmsg_seq: glibc's getaddrinfo takes them from the clock);
//  - interface traffic counters, which move with every packet the host sends or receives:
//    the fields of IFLA_STATS and IFLA_STATS64 (struct rtnl_link_stats{,64}: rx_*, tx_*,
//    multicast, collisions) and the values of IFLA_INET6_STATS / IFLA_INET6_ICMP6STATS
//    (arrays indexed by IPSTATS_MIB_* / ICMP6_MIB_*);
//  - IFLA_INET6_CACHEINFO's reachable_time, which Linux re-randomizes every few minutes.
// The netlink_attrs fixture, whose messages are built by hand, is compared by
// oracle-strace.test.ts; its `edges` run here, since strace warns on its stderr about the short
// reads it makes: messages running into an unreadable page (the addresses strace prints for
// what it cannot read differ, native against guest, and are masked), short payloads, control
// messages.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, repoRoot, runStrace, runTstrace, describeEnd } from './helpers/run.js';

const NETLINK_CALL = /^(socket\(AF_NETLINK|bind|getsockname|setsockopt|getsockopt|sendto|sendmsg|recvfrom|recvmsg|recv|send)\b/;

/** What varies between two runs on the same host (see the header), replaced by `…`. */
function mask(line: string): string {
  return line
    .replace(/\b(nl_pid|nlmsg_pid|nlmsg_seq)=\d+/g, '$1=…')
    .replace(/\b((?:rx|tx)_[a-z_]+|multicast|collisions|reachable_time)=\d+/g, '$1=…')
    // [IPSTATS_MIB_INPKTS]=7, [37 /* IPSTATS_MIB_??? */]=0, -X verbose's [1 /* IPSTATS_MIB_INPKTS */]=7;
    // -X raw prints every array index as a bare number ([1]=7): there all such values are masked.
    .replace(/(\[(?:IPSTATS|ICMP6)_MIB_[A-Z0-9_]+\]|\[\d+ \/\* (?:IPSTATS|ICMP6)_MIB_[A-Z0-9_?]+ \*\/\]|\[\d+\])=\d+/g, '$1=…');
}

function netlinkLines(trace: string): string[] {
  return trace
    .split('\n')
    .filter((l) => NETLINK_CALL.test(l) && !/AF_UNIX|nscd/.test(l))
    .map(mask);
}

const skip = hostArch() !== 'x86_64' ? 'not an x86_64 host' : !hasCommand('strace') ? 'no strace' : false;

/** Runs an x86_64 program (a fixture's build by default) under the real strace, then under tstrace; both must end with 0 and print the same. */
function traceBoth(name: string, args: readonly string[], flags: readonly string[], bin = fixturePath('x86_64', name)): { want: string; got: string; straceStderr: string } {
  assert.ok(fs.existsSync(bin), `missing ${bin}: run scripts/build-fixtures.sh (or scripts/setup.sh for busybox)`);
  const dir = makeTempDir('tstrace-netlink-');
  try {
    const a = path.join(dir, 'A.txt');
    const b = path.join(dir, 'B.txt');
    const s = runStrace(['-o', a, ...flags], bin, args, { cwd: dir, timeoutMs: 60_000 });
    const t = runTstrace(['-o', b, ...flags, bin, ...args], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(describeEnd(s), 'exit 0', s.stderr);
    assert.equal(describeEnd(t), 'exit 0', t.stderr);
    assert.equal(t.stdout, s.stdout);
    return { want: fs.readFileSync(a, 'utf8'), got: fs.readFileSync(b, 'utf8'), straceStderr: s.stderr };
  } finally {
    removeTempDir(dir);
  }
}

function assertSameLines(got: readonly string[], want: readonly string[], what: string): void {
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    assert.equal(got[i], want[i], `${what} ${i + 1} differs`);
  }
}

const VARIANTS: readonly (readonly string[])[] = [[], ['-v'], ['-v', '-X', 'verbose'], ['-v', '-X', 'raw'], ['-s', '8', '-xx']];

for (const flags of VARIANTS) {
  test(`netlink calls as strace 6.1 prints them${flags.length > 0 ? ` [${flags.join(' ')}]` : ''}`, { skip }, () => {
    const run = traceBoth('net_netlink', [], flags);
    const want = netlinkLines(run.want);
    const got = netlinkLines(run.got);
    assert.ok(want.length >= 20, `few netlink lines natively:\n${want.join('\n')}`);
    // The replies carry decoded attributes natively: a decoder printing them as bytes fails here.
    assert.ok(want.some((l) => l.includes('IFLA_IFNAME') || l.includes('nla_type=0x3}')), 'strace decoded no IFLA_IFNAME attribute');
    assertSameLines(got, want, 'netlink line');
  });
}

for (const flags of [[], ['-X', 'verbose']] as const) {
  test(`netlink messages cut by an unreadable page, short ones, control ones as strace 6.1 prints them${flags.length > 0 ? ` [${flags.join(' ')}]` : ''}`, { skip }, () => {
    const run = traceBoth('netlink_attrs', ['edges'], flags);
    assert.match(run.straceStderr, /short read/, 'strace made no short read: the fixture no longer reaches the unreadable page');
    // Addresses of the mmap'd pages (0x7f… natively, the guest's own under tstrace).
    const sends = (trace: string): string[] => trace.split('\n').filter((l) => l.startsWith('sendto(')).map((l) => l.replace(/0x[0-9a-f]{9,}/g, '0x…'));
    const want = sends(run.want);
    assert.ok(want.filter((l) => l.includes('EFAULT')).length >= 7, `few EFAULT sends natively:\n${want.join('\n')}`);
    assertSameLines(sends(run.got), want, 'sendto line');
  });
}

// busybox's `ip` (x86_64, vendor/busybox) as a real program: its dumps traced alike. Masked as
// above, plus what a host may change between the two runs: address lifetimes (ifa_prefered,
// ifa_valid count down for addresses from DHCP or router advertisements) and route cache times
// (rta_lastuse, rta_expires, rta_used, rta_ts, rta_tsage). `ip neigh` is left out: a neighbour's
// state and times move on their own between two runs.
const BUSYBOX = path.join(repoRoot, 'vendor', 'busybox', 'x86_64', 'bin', 'busybox');
const busyboxSkip = skip || (!fs.existsSync(BUSYBOX) ? `missing ${BUSYBOX}: run bash scripts/setup.sh` : false);
for (const args of [['ip', 'addr'], ['ip', 'link'], ['ip', 'route'], ['ip', '-6', 'route'], ['ip', 'rule']]) {
  for (const flags of [[], ['-v']] as const) {
    test(`busybox ${args.join(' ')}: netlink calls as strace 6.1 prints them${flags.length > 0 ? ` [${flags.join(' ')}]` : ''}`, { skip: busyboxSkip }, () => {
      const run = traceBoth('busybox', args, flags, BUSYBOX);
      const lines = (trace: string): string[] => netlinkLines(trace)
        .map((l) => l.replace(/\b(ifa_prefered|ifa_valid|rta_lastuse|rta_expires|rta_used|rta_ts|rta_tsage)=\d+/g, '$1=…'));
      const want = lines(run.want);
      assert.ok(want.some((l) => l.includes('nla_type=')), `strace decoded no attribute:\n${want.join('\n')}`);
      assertSameLines(lines(run.got), want, 'netlink line');
    });
  }
}
