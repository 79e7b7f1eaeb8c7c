// Namespace descriptors: /proc/PID/ns/pid (and pid_for_children) names the process's pid
// namespace, /proc/PID/ns/user the one user namespace the guest has (user namespaces change
// nothing here). Their links read `pid:[N]` and `user:[N]`; an open descriptor answers the nsfs
// ioctls (NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE, NS_GET_OWNER_UID). Behind each is a host
// descriptor of tstrace's own namespace file of that kind, so fstat and close work as on any
// descriptor.
import { openSync, constants as fsConstants } from 'node:fs';
import { E } from '../../abi/errno.js';
import { OpenFile } from './open-file.js';
import type { PidNamespace } from '../pid-namespace.js';

/** The user namespace's inode number (Linux's PROC_USER_INIT_INO). */
const USER_NS_INODE = 0xeffffffd;

/** A namespace as a /proc/PID/ns entry names it. */
export type NsRef = { readonly kind: 'pid'; readonly pidns: PidNamespace } | { readonly kind: 'user' };

/** The link text: `pid:[4026531836]`. */
export function nsLinkText(ref: NsRef): string {
  return `${ref.kind}:[${ref.kind === 'pid' ? ref.pidns.inode : USER_NS_INODE}]`;
}

/** The host file that stands behind a descriptor of this kind. */
export function nsHostPath(ref: NsRef): string {
  return `/proc/self/ns/${ref.kind}`;
}

export class NsFile extends OpenFile {
  constructor(hostFd: number, readonly ref: NsRef) {
    super(hostFd, nsLinkText(ref));
  }

  override hostPath(): string {
    return nsLinkText(this.ref);
  }
}

const NS_GET_USERNS = 0xb701;
const NS_GET_PARENT = 0xb702;
const NS_GET_NSTYPE = 0xb703;
const NS_GET_OWNER_UID = 0xb704;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWUSER = 0x10000000;

/** What an nsfs request asks for. */
export type NsIoctlResult =
  /** A new descriptor (close-on-exec) for this namespace. */
  | { readonly open: NsRef }
  /** A uid written to the argument (NS_GET_OWNER_UID). */
  | { readonly uid: number }
  /** A plain return value, or -errno. */
  | { readonly ret: bigint };

/**
 * An nsfs request on `file`, made by a process of pid namespace `active`; undefined: not an
 * nsfs request (ENOTTY for the caller).
 */
export function nsIoctl(file: NsFile, cmd: number, active: PidNamespace): NsIoctlResult | undefined {
  const ref = file.ref;
  switch (cmd) {
    // Every namespace is owned by the one user namespace, which has no owner above it.
    case NS_GET_USERNS:
      return ref.kind === 'user' ? { ret: -BigInt(E.EPERM) } : { open: { kind: 'user' } };
    case NS_GET_PARENT: {
      if (ref.kind === 'user') return { ret: -BigInt(E.EPERM) };
      // Only a parent within the caller's view: its own namespace or one below it.
      const parent = ref.pidns.parent;
      if (parent === undefined || !active.contains(parent)) return { ret: -BigInt(E.EPERM) };
      return { open: { kind: 'pid', pidns: parent } };
    }
    case NS_GET_NSTYPE:
      return { ret: BigInt(ref.kind === 'pid' ? CLONE_NEWPID : CLONE_NEWUSER) };
    case NS_GET_OWNER_UID:
      return ref.kind === 'user' ? { uid: 0 } : { ret: -BigInt(E.EINVAL) };
    default:
      return undefined;
  }
}

/** Opens the host file behind a new namespace descriptor; the host descriptor (close-on-exec). */
export function openNsHost(ref: NsRef): number {
  return openSync(nsHostPath(ref), fsConstants.O_RDONLY | 0o2000000 /* O_CLOEXEC */);
}
