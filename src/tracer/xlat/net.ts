// Socket constants (socketpair, sendmsg/recvmsg, shutdown, control messages).
import { xlat } from './xlat.js';

export const ADDRESS_FAMILIES = xlat([
  ['AF_UNSPEC', 0], ['AF_UNIX', 1], ['AF_INET', 2], ['AF_AX25', 3], ['AF_IPX', 4], ['AF_APPLETALK', 5],
  ['AF_NETROM', 6], ['AF_BRIDGE', 7], ['AF_ATMPVC', 8], ['AF_X25', 9], ['AF_INET6', 10], ['AF_ROSE', 11],
  ['AF_DECnet', 12], ['AF_NETBEUI', 13], ['AF_SECURITY', 14], ['AF_KEY', 15], ['AF_NETLINK', 16],
  ['AF_PACKET', 17], ['AF_ASH', 18], ['AF_ECONET', 19], ['AF_ATMSVC', 20], ['AF_RDS', 21], ['AF_SNA', 22],
  ['AF_IRDA', 23], ['AF_PPPOX', 24], ['AF_WANPIPE', 25], ['AF_LLC', 26], ['AF_IB', 27], ['AF_MPLS', 28],
  ['AF_CAN', 29], ['AF_TIPC', 30], ['AF_BLUETOOTH', 31], ['AF_IUCV', 32], ['AF_RXRPC', 33], ['AF_ISDN', 34],
  ['AF_PHONET', 35], ['AF_IEEE802154', 36], ['AF_CAIF', 37], ['AF_ALG', 38], ['AF_NFC', 39], ['AF_VSOCK', 40],
  ['AF_KCM', 41], ['AF_QIPCRTR', 42], ['AF_SMC', 43], ['AF_XDP', 44], ['AF_MCTP', 45],
]);

export const SOCKET_TYPES = xlat([
  ['SOCK_STREAM', 1], ['SOCK_DGRAM', 2], ['SOCK_RAW', 3], ['SOCK_RDM', 4], ['SOCK_SEQPACKET', 5],
  ['SOCK_DCCP', 6], ['SOCK_PACKET', 10],
]);

export const SOCKET_TYPE_FLAGS = xlat([['SOCK_CLOEXEC', 0o2000000], ['SOCK_NONBLOCK', 0o4000]]);

export const SOCKET_LEVELS = xlat([
  ['SOL_IP', 0], ['SOL_SOCKET', 1], ['SOL_TCP', 6], ['SOL_UDP', 17], ['SOL_IPV6', 41], ['SOL_ICMPV6', 58],
  ['SOL_SCTP', 132], ['SOL_UDPLITE', 136], ['SOL_RAW', 255], ['SOL_IPX', 256], ['SOL_AX25', 257],
  ['SOL_ATALK', 258], ['SOL_NETROM', 259], ['SOL_ROSE', 260], ['SOL_DECNET', 261], ['SOL_X25', 262],
  ['SOL_PACKET', 263], ['SOL_ATM', 264], ['SOL_AAL', 265], ['SOL_IRDA', 266], ['SOL_NETBEUI', 267],
  ['SOL_LLC', 268], ['SOL_DCCP', 269], ['SOL_NETLINK', 270], ['SOL_TIPC', 271], ['SOL_RXRPC', 272],
  ['SOL_PPPOL2TP', 273], ['SOL_BLUETOOTH', 274], ['SOL_PNPIPE', 275], ['SOL_RDS', 276], ['SOL_IUCV', 277],
  ['SOL_CAIF', 278], ['SOL_ALG', 279], ['SOL_NFC', 280], ['SOL_KCM', 281], ['SOL_TLS', 282], ['SOL_XDP', 283],
]);

export const MSG_FLAGS = xlat([
  ['MSG_OOB', 0x1], ['MSG_PEEK', 0x2], ['MSG_DONTROUTE', 0x4], ['MSG_CTRUNC', 0x8], ['MSG_PROBE', 0x10],
  ['MSG_TRUNC', 0x20], ['MSG_DONTWAIT', 0x40], ['MSG_EOR', 0x80], ['MSG_WAITALL', 0x100], ['MSG_FIN', 0x200],
  ['MSG_SYN', 0x400], ['MSG_CONFIRM', 0x800], ['MSG_RST', 0x1000], ['MSG_ERRQUEUE', 0x2000],
  ['MSG_NOSIGNAL', 0x4000], ['MSG_MORE', 0x8000], ['MSG_WAITFORONE', 0x10000], ['MSG_SENDPAGE_NOTLAST', 0x20000],
  ['MSG_BATCH', 0x40000], ['MSG_NO_SHARED_FRAGS', 0x80000], ['MSG_ZEROCOPY', 0x4000000],
  ['MSG_FASTOPEN', 0x20000000], ['MSG_CMSG_CLOEXEC', 0x40000000], ['MSG_CMSG_COMPAT', 0x80000000],
]);

/** SOL_SOCKET control message types. */
export const SCM_TYPES = xlat([
  ['SCM_RIGHTS', 1], ['SCM_CREDENTIALS', 2], ['SCM_SECURITY', 3], ['SO_TIMESTAMP_OLD', 29],
  ['SO_TIMESTAMPNS_OLD', 35], ['SO_TIMESTAMPING_OLD', 37], ['SO_WIFI_STATUS', 41], ['SO_TXTIME', 61],
  ['SO_TIMESTAMP_NEW', 63], ['SO_TIMESTAMPNS_NEW', 64], ['SO_TIMESTAMPING_NEW', 65],
]);

export const SHUTDOWN_HOW = xlat([['SHUT_RD', 0], ['SHUT_WR', 1], ['SHUT_RDWR', 2]]);

/** The protocol argument of an AF_INET/AF_INET6 socket. */
export const INET_PROTOCOLS = xlat([
  ['IPPROTO_IP', 0], ['IPPROTO_ICMP', 1], ['IPPROTO_IGMP', 2], ['IPPROTO_IPIP', 4], ['IPPROTO_TCP', 6],
  ['IPPROTO_EGP', 8], ['IPPROTO_PUP', 12], ['IPPROTO_UDP', 17], ['IPPROTO_IDP', 22], ['IPPROTO_TP', 29],
  ['IPPROTO_DCCP', 33], ['IPPROTO_IPV6', 41], ['IPPROTO_ROUTING', 43], ['IPPROTO_FRAGMENT', 44],
  ['IPPROTO_RSVP', 46], ['IPPROTO_GRE', 47], ['IPPROTO_ESP', 50], ['IPPROTO_AH', 51], ['IPPROTO_ICMPV6', 58],
  ['IPPROTO_NONE', 59], ['IPPROTO_DSTOPTS', 60], ['IPPROTO_MTP', 92], ['IPPROTO_BEETPH', 94],
  ['IPPROTO_ENCAP', 98], ['IPPROTO_PIM', 103], ['IPPROTO_COMP', 108], ['IPPROTO_L2TP', 115],
  ['IPPROTO_SCTP', 132], ['IPPROTO_MH', 135], ['IPPROTO_UDPLITE', 136], ['IPPROTO_MPLS', 137],
  ['IPPROTO_ETHERNET', 143], ['IPPROTO_RAW', 255], ['IPPROTO_MPTCP', 262],
]);
