// RTM_GETSTATS / RTM_NEWSTATS (strace 6.1's rtnl_stats.c): struct if_stats_msg, then IFLA_STATS_*.
import { IFLA_STATS_ATTRS } from '../xlat/rtnl-more.js';
import type { NlaTable, NlaValue } from './nlattr.js';
import { linkStats64 } from './rtnl.js';

export const IFLA_STATS_TABLE: NlaTable = {
  names: IFLA_STATS_ATTRS, dflt: 'IFLA_STATS_???',
  values: new Map<number, NlaValue>([
    [1, linkStats64], // IFLA_STATS_LINK_64
  ]),
};
