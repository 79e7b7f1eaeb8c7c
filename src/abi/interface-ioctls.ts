// The socket ioctls on network interfaces (linux/sockios.h), reached from a socket of any
// family: which requests read an interface and which change one. The kernel passes the first
// kind to the host and refuses the second; the tracer prints both. struct ifreq and struct
// ifconf have one layout on every 64-bit architecture tstrace runs.

/** sizeof(struct ifreq): a 16-byte name, then a 24-byte union. */
export const IFREQ_SIZE = 40;
/** sizeof(struct ifconf): int ifc_len, padding, the buffer pointer. */
export const IFCONF_SIZE = 16;

export const SIOCGIFNAME = 0x8910;
export const SIOCGIFCONF = 0x8912;

/** Queries: the kernel reads the ifreq (its name, or the index for SIOCGIFNAME) and answers in it. */
export const IFREQ_QUERIES: ReadonlySet<number> = new Set([SIOCGIFNAME, 0x8913, 0x8915, 0x8917, 0x8919, 0x891b,
  0x891d, 0x8921, 0x8927, 0x8929, 0x8933, 0x8942, 0x8970]);

/** Changes to an interface (the SIOCSIF* requests, SIOCADDMULTI and SIOCDELMULTI). */
export const IFREQ_CHANGES: ReadonlySet<number> = new Set([0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8922,
  0x8923, 0x8924, 0x8930, 0x8931, 0x8932, 0x8937, 0x8943, 0x8971]);

export type InterfaceIoctl = 'query' | 'change' | 'ifconf';

/** What kind of interface ioctl request `cmd` is, if it is one. */
export function interfaceIoctl(cmd: number): InterfaceIoctl | undefined {
  if (cmd === SIOCGIFCONF) return 'ifconf';
  if (IFREQ_QUERIES.has(cmd)) return 'query';
  if (IFREQ_CHANGES.has(cmd)) return 'change';
  return undefined;
}
