// Memory-management constants (mmap, mprotect, mremap, madvise, msync, mlock).
import { xlat } from './xlat.js';

export const PROT_FLAGS = xlat([
  ['PROT_NONE', 0], ['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4], ['PROT_SEM', 8],
  ['PROT_GROWSDOWN', 0x01000000], ['PROT_GROWSUP', 0x02000000],
]);

/** MAP_TYPE values (the low four bits). */
export const MAP_TYPES = xlat([['MAP_FILE', 0], ['MAP_SHARED', 1], ['MAP_PRIVATE', 2], ['MAP_SHARED_VALIDATE', 3]]);
export const MAP_TYPE_MASK = 0xf;
export const MAP_HUGE_SHIFT = 26;
export const MAP_HUGE_MASK = 0x3f;

/** The other mmap flags, in strace's print order (the values shared by x86_64, aarch64 and riscv64). */
const MAP_FLAG_ROWS: readonly (readonly [string, number])[] = [
  ['MAP_FIXED', 0x10], ['MAP_ANONYMOUS', 0x20], ['MAP_32BIT', 0x40], ['MAP_NORESERVE', 0x4000],
  ['MAP_POPULATE', 0x8000], ['MAP_NONBLOCK', 0x10000], ['MAP_GROWSDOWN', 0x100], ['MAP_DENYWRITE', 0x800],
  ['MAP_EXECUTABLE', 0x1000], ['MAP_LOCKED', 0x2000], ['MAP_STACK', 0x20000], ['MAP_HUGETLB', 0x40000],
  ['MAP_SYNC', 0x80000], ['MAP_UNINITIALIZED', 0x4000000], ['MAP_FIXED_NOREPLACE', 0x100000],
];

/** x86_64's table: MAP_32BIT exists only there. */
export const MAP_FLAGS_X86_64 = xlat(MAP_FLAG_ROWS);
/** The generic table (aarch64, riscv64), where 0x40 has no name. */
export const MAP_FLAGS_GENERIC = xlat(MAP_FLAG_ROWS.filter(([n]) => n !== 'MAP_32BIT'));

export const SHMAT_FLAGS = xlat([['SHM_RDONLY', 0o10000], ['SHM_RND', 0o20000], ['SHM_REMAP', 0o40000], ['SHM_EXEC', 0o100000]]);

export const MREMAP_FLAGS = xlat([['MREMAP_MAYMOVE', 1], ['MREMAP_FIXED', 2], ['MREMAP_DONTUNMAP', 4]]);

export const MADVISE_ADVICE = xlat([
  ['MADV_NORMAL', 0], ['MADV_RANDOM', 1], ['MADV_SEQUENTIAL', 2], ['MADV_WILLNEED', 3], ['MADV_DONTNEED', 4],
  ['MADV_FREE', 8], ['MADV_REMOVE', 9], ['MADV_DONTFORK', 10], ['MADV_DOFORK', 11], ['MADV_MERGEABLE', 12],
  ['MADV_UNMERGEABLE', 13], ['MADV_HUGEPAGE', 14], ['MADV_NOHUGEPAGE', 15], ['MADV_DONTDUMP', 16],
  ['MADV_DODUMP', 17], ['MADV_WIPEONFORK', 18], ['MADV_KEEPONFORK', 19], ['MADV_COLD', 20],
  ['MADV_PAGEOUT', 21], ['MADV_POPULATE_READ', 22], ['MADV_POPULATE_WRITE', 23],
  ['MADV_DONTNEED_LOCKED', 24], ['MADV_COLLAPSE', 25], ['MADV_HWPOISON', 100], ['MADV_SOFT_OFFLINE', 101],
]);

export const MSYNC_FLAGS = xlat([['MS_ASYNC', 1], ['MS_INVALIDATE', 2], ['MS_SYNC', 4]]);

export const MLOCKALL_FLAGS = xlat([['MCL_CURRENT', 1], ['MCL_FUTURE', 2], ['MCL_ONFAULT', 4]]);

/** riscv_flush_icache's flags (asm/cachectl.h). */
export const RISCV_FLUSH_ICACHE_FLAGS = xlat([['SYS_RISCV_FLUSH_ICACHE_LOCAL', 1]]);
