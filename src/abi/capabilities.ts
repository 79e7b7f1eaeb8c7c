// Linux capabilities as data (include/uapi/linux/capability.h): names by number, the header
// versions of capget/capset, and the prctl sub-commands that read and change capability sets.

/** Capability names, index = capability number. */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER',
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** The highest capability number the emulated kernel knows (CAP_LAST_CAP). */
export const CAP_LAST_CAP = CAPABILITY_NAMES.length - 1;

/** Every known capability as a 64-bit set (bit n = capability n). */
export const CAP_VALID_MASK = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

export const CAP_SETPCAP = 8;

/** capget/capset header versions: V1 carries one 32-bit data struct, V2 and V3 two. */
export const CAP_VERSION = { V1: 0x19980330, V2: 0x20071026, V3: 0x20080522 } as const;

/** struct __user_cap_header_struct { u32 version; int pid; } and one __user_cap_data_struct. */
export const CAP_HEADER_SIZE = 8;
export const CAP_DATA_SIZE = 12; // u32 effective, permitted, inheritable

/** prctl options and PR_CAP_AMBIENT's sub-commands. */
export const PR_CAPBSET_READ = 23;
export const PR_CAPBSET_DROP = 24;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_OP = { IS_SET: 1, RAISE: 2, LOWER: 3, CLEAR_ALL: 4 } as const;

/** How many data structs a header version carries; undefined for an unknown version. */
export function capDataCount(version: number): 1 | 2 | undefined {
  if (version === CAP_VERSION.V1) return 1;
  if (version === CAP_VERSION.V2 || version === CAP_VERSION.V3) return 2;
  return undefined;
}
