// riscv64 layouts of the structs whose shape differs between architectures. riscv64 uses the
// generic 64-bit ABI throughout (include/uapi/asm-generic/stat.h, include/uapi/linux/eventpoll.h,
// asm-generic/signal.h's struct sigaction).
import type { ArchStructs } from '../types.js';

export const STRUCTS: ArchStructs = {
  // The generic struct stat (as on arm64).
  stat: {
    size: 128,
    fields: {
      st_dev: { offset: 0, size: 8 },
      st_ino: { offset: 8, size: 8 },
      st_mode: { offset: 16, size: 4 },
      st_nlink: { offset: 20, size: 4 },
      st_uid: { offset: 24, size: 4 },
      st_gid: { offset: 28, size: 4 },
      st_rdev: { offset: 32, size: 8 },
      // __pad1 at 40
      st_size: { offset: 48, size: 8, signed: true },
      st_blksize: { offset: 56, size: 4, signed: true },
      // __pad2 at 60
      st_blocks: { offset: 64, size: 8, signed: true },
      st_atime: { offset: 72, size: 8, signed: true },
      st_atime_nsec: { offset: 80, size: 8 },
      st_mtime: { offset: 88, size: 8, signed: true },
      st_mtime_nsec: { offset: 96, size: 8 },
      st_ctime: { offset: 104, size: 8, signed: true },
      st_ctime_nsec: { offset: 112, size: 8 },
      // __unused4, __unused5 up to 128
    },
  },
  // Naturally aligned: 4 bytes of padding after events.
  epollEvent: {
    size: 16,
    fields: {
      events: { offset: 0, size: 4 },
      data: { offset: 8, size: 8 },
    },
  },
  // riscv does not define SA_RESTORER, so the kernel's struct sigaction has no sa_restorer: the
  // mask follows the flags.
  sigaction: {
    size: 24,
    fields: {
      sa_handler: { offset: 0, size: 8 },
      sa_flags: { offset: 8, size: 8 },
      sa_mask: { offset: 16, size: 8 },
    },
  },
};

/**
 * Where rt_sigreturn finds the signal mask it restores: the stack pointer at the syscall is the
 * rt_sigframe, whose 128-byte siginfo is followed by the ucontext with uc_sigmask at 40.
 */
export const RT_SIGFRAME_SIGMASK_FROM_SP = 168;
