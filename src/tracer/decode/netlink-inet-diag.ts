// AF_INET / AF_INET6 sock_diag messages (strace 6.1's netlink_inet_diag.c).
import type { Body } from './netlink-body.js';
import { family } from './netlink-body.js';

export const INET_DIAG_REQ: Body = { size: 1, attrs: 'none', fields: [{ name: 'sdiag_family', offset: 0, size: 1, print: family }] };
export const INET_DIAG_MSG: Body = { size: 1, attrs: 'none', fields: [{ name: 'idiag_family', offset: 0, size: 1, print: family }] };
