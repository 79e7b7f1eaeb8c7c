/*
 * engine-floor: the fastest a Unicorn-based runner can be on this machine.
 *
 * Runs a static aarch64 ELF on libunicorn with no kernel to speak of: PT_LOAD segments mapped
 * RWX, an initial stack with argv and a minimal auxv, and a C interrupt hook that answers the
 * dozen syscalls glibc's static start-up and the benchmark programs make (brk, mmap, write,
 * getppid, exit...). Nothing is checked, nothing is traced. What it measures is the emulated
 * CPU itself and the bare cost of a syscall trap, so that bench/core-bench.mjs can show how
 * much of tstrace's time is the engine's and how much is tstrace's own.
 *
 * Usage: engine-floor PROGRAM [ARG]   (only one argument is passed on)
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicorn/unicorn.h>

#define PAGE 0x1000ULL
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define STACK_TOP 0x7ffff0000000ULL
#define STACK_SIZE (8ULL << 20)
#define ENOSYS 38

/* aarch64 syscall numbers the runner answers. */
enum { NR_WRITEV = 66, NR_WRITE = 64, NR_EXIT = 93, NR_EXIT_GROUP = 94, NR_GETPPID = 173,
       NR_BRK = 214, NR_MMAP = 222, NR_MPROTECT = 226 };

static uint64_t brk_end;
static uint64_t mmap_next = 0x7f0000000000ULL;

static uint64_t reg(uc_engine *uc, int id) {
  uint64_t v = 0;
  uc_reg_read(uc, id, &v);
  return v;
}

static uint64_t guest_write(uc_engine *uc, uint64_t fd, uint64_t addr, uint64_t len) {
  char *buf = malloc(len ? len : 1);
  if (buf == NULL || uc_mem_read(uc, addr, buf, len) != UC_ERR_OK) {
    free(buf);
    return (uint64_t)-14; /* EFAULT */
  }
  ssize_t n = write(fd == 1 ? 1 : 2, buf, len);
  free(buf);
  return (uint64_t)n;
}

static void on_interrupt(uc_engine *uc, uint32_t intno, void *user) {
  (void)user;
  if (intno != 2) { /* not svc: give up, as a crash would */
    fprintf(stderr, "engine-floor: interrupt %u\n", intno);
    exit(1);
  }
  uint64_t nr = reg(uc, UC_ARM64_REG_X8);
  uint64_t a0 = reg(uc, UC_ARM64_REG_X0), a1 = reg(uc, UC_ARM64_REG_X1), a2 = reg(uc, UC_ARM64_REG_X2);
  uint64_t ret = (uint64_t)-ENOSYS;
  switch (nr) {
  case NR_GETPPID: ret = 1; break;
  case NR_MPROTECT: ret = 0; break;
  case NR_WRITE: ret = guest_write(uc, a0, a1, a2); break;
  case NR_WRITEV:
    ret = 0;
    for (uint64_t i = 0; i < a2; i++) {
      uint64_t iov[2];
      if (uc_mem_read(uc, a1 + 16 * i, iov, sizeof iov) != UC_ERR_OK) break;
      ret += guest_write(uc, a0, iov[0], iov[1]);
    }
    break;
  case NR_BRK:
    if (a0 > brk_end && PAGE_UP(a0) > PAGE_UP(brk_end)) uc_mem_map(uc, PAGE_UP(brk_end), PAGE_UP(a0) - PAGE_UP(brk_end), UC_PROT_ALL);
    if (a0 > brk_end) brk_end = a0;
    ret = brk_end;
    break;
  case NR_MMAP: /* anonymous only: a bump allocator */
    ret = mmap_next;
    uc_mem_map(uc, mmap_next, PAGE_UP(a1), UC_PROT_ALL);
    mmap_next += PAGE_UP(a1);
    break;
  case NR_EXIT:
  case NR_EXIT_GROUP:
    fflush(stdout);
    _exit((int)a0);
  }
  uc_reg_write(uc, UC_ARM64_REG_X0, &ret);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: engine-floor PROGRAM [ARG]\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 2;
  }
  const unsigned char *file = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
  if (file == MAP_FAILED || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_machine != EM_AARCH64 || eh->e_type != ET_EXEC) {
    fprintf(stderr, "engine-floor: %s is not a static aarch64 ET_EXEC\n", argv[1]);
    return 2;
  }
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);

  uc_engine *uc;
  if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) return 2;
  uc_ctl_set_tcg_buffer_size(uc, 8 << 20); /* as tstrace does */

  uint64_t phdr = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_PHDR) phdr = ph[i].p_vaddr;
    if (ph[i].p_type != PT_LOAD) continue;
    uint64_t start = ph[i].p_vaddr & ~(PAGE - 1), end = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz);
    uc_mem_map(uc, start, end - start, UC_PROT_ALL);
    uc_mem_write(uc, ph[i].p_vaddr, file + ph[i].p_offset, ph[i].p_filesz);
    if (ph[i].p_offset == 0 && phdr == 0) phdr = ph[i].p_vaddr + eh->e_phoff;
    if (end > brk_end) brk_end = end;
  }

  /* The stack: strings near the top, then argc, argv, envp (empty) and auxv. */
  uc_mem_map(uc, STACK_TOP - STACK_SIZE, STACK_SIZE, UC_PROT_ALL);
  const char *arg = argc > 2 ? argv[2] : "";
  uint64_t name_at = STACK_TOP - 256, arg_at = name_at + 16, random_at = STACK_TOP - 64;
  uc_mem_write(uc, name_at, "prog", 5);
  uc_mem_write(uc, arg_at, arg, strlen(arg) + 1);
  uint64_t frame[] = {
    2, name_at, arg_at, 0, /* argc, argv[], NULL */
    0,                     /* envp: none */
    AT_PHDR, phdr, AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, eh->e_phnum,
    AT_PAGESZ, PAGE, AT_ENTRY, eh->e_entry, AT_RANDOM, random_at, AT_NULL, 0,
  };
  uint64_t sp = STACK_TOP - 4096;
  uc_mem_write(uc, sp, frame, sizeof frame);
  uc_reg_write(uc, UC_ARM64_REG_SP, &sp);

  uc_hook hook;
  uc_hook_add(uc, &hook, UC_HOOK_INTR, on_interrupt, NULL, 1, 0);
  uc_err err = uc_emu_start(uc, eh->e_entry, 0, 0, 0);
  fprintf(stderr, "engine-floor: emulation ended without exit: %s\n", uc_strerror(err));
  return 1;
}
