// x86_64 layouts of the structs whose shape differs between architectures
// (arch/x86/include/uapi/asm/stat.h, include/uapi/linux/eventpoll.h, the kernel's sigaction).
import type { ArchStructs } from '../types.js';

export const STRUCTS: ArchStructs = {
  stat: {
    size: 144,
    fields: {
      st_dev: { offset: 0, size: 8 },
      st_ino: { offset: 8, size: 8 },
      st_nlink: { offset: 16, size: 8 },
      st_mode: { offset: 24, size: 4 },
      st_uid: { offset: 28, size: 4 },
      st_gid: { offset: 32, size: 4 },
      // 4 bytes of padding at 36
      st_rdev: { offset: 40, size: 8 },
      st_size: { offset: 48, size: 8, signed: true },
      st_blksize: { offset: 56, size: 8, signed: true },
      st_blocks: { offset: 64, size: 8, signed: true },
      st_atime: { offset: 72, size: 8, signed: true },
      st_atime_nsec: { offset: 80, size: 8 },
      st_mtime: { offset: 88, size: 8, signed: true },
      st_mtime_nsec: { offset: 96, size: 8 },
      st_ctime: { offset: 104, size: 8, signed: true },
      st_ctime_nsec: { offset: 112, size: 8 },
      // 3 unused longs up to 144
    },
  },
  // EPOLL_PACKED on x86_64: the 64-bit data follows the events word directly.
  epollEvent: {
    size: 12,
    fields: {
      events: { offset: 0, size: 4 },
      data: { offset: 4, size: 8 },
    },
  },
  // struct sigaction as rt_sigaction takes it (x86_64 has SA_RESTORER).
  sigaction: {
    size: 32,
    fields: {
      sa_handler: { offset: 0, size: 8 },
      sa_flags: { offset: 8, size: 8 },
      sa_restorer: { offset: 16, size: 8 },
      sa_mask: { offset: 24, size: 8 },
    },
  },
};

/**
 * Where rt_sigreturn finds the signal mask it restores: uc.uc_sigmask of the rt_sigframe, as an
 * offset from the stack pointer at the syscall (the handler's `ret` has popped pretcode, so the
 * frame starts 8 bytes below; uc is at 8 and uc_sigmask at 8+8+24+256 within it).
 */
export const RT_SIGFRAME_SIGMASK_FROM_SP = 296;
