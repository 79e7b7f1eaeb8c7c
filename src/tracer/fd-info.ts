// -yy / --decode-fds=socket,dev: what strace adds about a descriptor beyond its path. A
// character or block device gets `<char 1:3>` after its path; a socket (`socket:[INODE]`)
// is named by protocol, with its addresses where the host's /proc/net tables have them:
// `UNIX-STREAM:[INODE]`, `UNIX-STREAM:[INODE,"/path"]`, `TCP:[127.0.0.1:80]`,
// `TCP:[10.0.0.1:5000->10.0.0.2:80]`, `UDPv6:[[::1]:53]`. The guest's descriptors are host
// descriptors passed through, so the host's tables describe them.
import { readFileSync, statSync } from 'node:fs';

const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/** ` <char M:m>`-style suffix for a device path (no leading space), or undefined. */
export function deviceSuffix(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  const type = st.mode & S_IFMT;
  if (type !== S_IFCHR && type !== S_IFBLK) return undefined;
  const rdev = st.rdev;
  const major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >> 12) & ~0xff);
  return `<${type === S_IFCHR ? 'char' : 'block'} ${major}:${minor}>`;
}

const UNIX_TYPES: Readonly<Record<number, string>> = { 1: 'STREAM', 2: 'DGRAM', 5: 'SEQPACKET' };

/** The protocol-specific name of a `socket:[INODE]` path, or undefined when not found. */
export function describeSocket(path: string): string | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(path);
  if (m === null) return undefined;
  const inode = m[1]!;
  return unixSocket(inode) ?? inetSocket(inode);
}

function table(name: string): string[] {
  try {
    return readFileSync(`/proc/net/${name}`, 'latin1').split('\n').slice(1).filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

function unixSocket(inode: string): string | undefined {
  for (const line of table('unix')) {
    const f = line.trim().split(/\s+/);
    if (f[6] !== inode) continue;
    const type = UNIX_TYPES[parseInt(f[4]!, 16)] ?? 'STREAM';
    const path = f[7];
    return path === undefined ? `UNIX-${type}:[${inode}]` : `UNIX-${type}:[${inode},"${path}"]`;
  }
  return undefined;
}

function inetSocket(inode: string): string | undefined {
  for (const [file, proto, v6] of [['tcp', 'TCP', false], ['udp', 'UDP', false], ['tcp6', 'TCPv6', true], ['udp6', 'UDPv6', true]] as const) {
    for (const line of table(file)) {
      const f = line.trim().split(/\s+/);
      if (f[9] !== inode) continue;
      const local = address(f[1]!, v6);
      const remote = address(f[2]!, v6);
      const connected = !/^0+:0000$/.test(f[2]!);
      return `${proto}:[${local}${connected ? `->${remote}` : ''}]`;
    }
  }
  return undefined;
}

/** `0100007F:1F90` (host-endian words) as `127.0.0.1:8080`, or `[::1]:8080`. */
function address(text: string, v6: boolean): string {
  const [hexAddr, hexPort] = text.split(':') as [string, string];
  const port = parseInt(hexPort, 16);
  const words = hexAddr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (!v6) return `${bytes.join('.')}:${port}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${compressV6(groups)}]:${port}`;
}

function compressV6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; i++) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
