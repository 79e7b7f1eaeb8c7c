// AF_SMC sock_diag messages (strace 6.1's netlink_smc_diag.c).
import type { Body } from './netlink-body.js';
import { family } from './netlink-body.js';

export const SMC_DIAG_REQ: Body = { size: 1, attrs: 'none', fields: [{ name: 'diag_family', offset: 0, size: 1, print: family }] };
export const SMC_DIAG_MSG: Body = { size: 1, attrs: 'none', fields: [{ name: 'diag_family', offset: 0, size: 1, print: family }] };
