// Time-reading instructions for unicorn-engine-ts (Unicorn 2.1.1): C hooks that catch the
// guest's reads of a cycle or time counter, take the value the emulator would have given,
// hand it to the binding's JavaScript trampoline (which may replace it), and give the guest
// the result in place of executing the instruction.
//
//  - arm64: UC_HOOK_INSN + UC_ARM64_INS_MRS. Unicorn calls the hook, at run time, for every
//    `mrs` of an op0=2/3 system register, before the register is read; returning 1 skips the
//    read (the PC moves on as after any instruction). Only CNTVCT_EL0 (op0=3 op1=3 CRn=14
//    CRm=0 op2=2) is taken; every other register is left to the CPU (return 0).
//  - x86: Unicorn 2.1.1 has no hook for rdtsc/rdtscp (its x86 UC_HOOK_INSN accepts only in,
//    out, syscall, sysenter and cpuid; rdtsc and rdtscp came in 2.1.2), and a UC_HOOK_CODE
//    over every address costs a helper call per guest instruction (40x on a CPU-bound loop).
//    So a UC_HOOK_BLOCK looks once at the bytes of each block (by start and size) the guest
//    enters. A block holding the bytes of rdtsc (0f 31) or rdtscp (0f 01 f9) anywhere gets a
//    UC_HOOK_CODE on each such address (once), and the run stops before the block's first instruction
//    (the block hook runs before the block's exit check): the binding drops the block's
//    translation and starts again at `restart_pc`, and the new translation calls the code hook
//    at those addresses. The code hook takes only a whole rdtsc or rdtscp (an
//    instruction of that size with those bytes, so a match inside another instruction's bytes
//    costs nothing but the hook call): it writes EDX:EAX (and ECX) and moves RIP past the
//    instruction, which a code hook may do (the block ends before the instruction runs and
//    emulation goes on at the new RIP). Not caught: code that rewrites a block in place (same
//    start and size: it is not looked at again), and rdtsc/rdtscp with a prefix byte (the hook
//    sits on the 0f byte, the instruction starts before it; compilers emit none).
//
// Unicorn is given a `struct tsu_time_reads *` as user_data; the binding owns that memory and
// mirrors its layout (TIME_* offsets in src/time-reads.ts).
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define TSU_TIME_RDTSC 1
#define TSU_TIME_RDTSCP 2
#define TSU_TIME_CNTVCT 3

#define MSR_TSC_AUX 0xc0000103u

struct tsu_seen {
    uint64_t start;
    uint64_t size; // 0: empty slot; HOOKED: `start` is an address with a code hook
};

#define HOOKED UINT64_MAX

struct tsu_time_reads {
    void (*trampoline)(uc_engine *uc, void *user_data); // the JS trampoline (uc_cb_insn_syscall_t's shape)
    uint64_t user_data; // passed to it: the binding's hook id
    uint32_t kind;      // TSU_TIME_*
    uint32_t pad;
    uint64_t value;     // in: the emulator's value; out: what the guest gets
    uint64_t aux;       // rdtscp: TSC_AUX (ECX), in and out
    uint64_t count;     // instructions taken so far
    uint64_t restart_pc;  // x86: a block to translate again and run from its start (0: none)
    uint64_t restart_end; // its end (exclusive)
    int32_t err;          // the first uc_err of adding a code hook, 0 if none
    uint32_t pad2;
    // x86, C only: the blocks looked at, an open-addressing set of (start, size).
    struct tsu_seen *seen;
    uint64_t seen_cap;
    uint64_t seen_len;
    // In front of it, the blocks entered last, by their start's low bits: a hot loop's blocks
    // are found with one compare instead of a hash probe (that probe alone is ~2x on a tight
    // CPU-bound loop).
    struct tsu_seen recent[256];
};


_Static_assert(offsetof(struct tsu_time_reads, user_data) == 8, "layout");
_Static_assert(offsetof(struct tsu_time_reads, kind) == 16, "layout");
_Static_assert(offsetof(struct tsu_time_reads, value) == 24, "layout");
_Static_assert(offsetof(struct tsu_time_reads, aux) == 32, "layout");
_Static_assert(offsetof(struct tsu_time_reads, count) == 40, "layout");
_Static_assert(offsetof(struct tsu_time_reads, restart_pc) == 48, "layout");
_Static_assert(offsetof(struct tsu_time_reads, restart_end) == 56, "layout");
_Static_assert(offsetof(struct tsu_time_reads, err) == 64, "layout");
_Static_assert(offsetof(struct tsu_time_reads, seen) == 72, "layout");
_Static_assert(sizeof(struct tsu_time_reads) == 4192, "layout");

// What Unicorn's own rdtsc gives: the host's time-stamp counter (cpu_get_host_ticks), or on
// a host without one, nanoseconds of a monotonic clock.
static uint64_t host_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static void hand_over(uc_engine *uc, struct tsu_time_reads *t, uint32_t kind)
{
    t->kind = kind;
    t->count++;
    t->trampoline(uc, (void *)(uintptr_t)t->user_data);
}

// Fibonacci hashing: the product's high bits, which depend on every bit of the key.
static uint64_t slot_of(uint64_t start, uint64_t size, uint64_t cap)
{
    return (((start ^ (size << 40)) * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

// Adds (start, size) to the set; returns 0 if it was there already (or memory ran out).
static int first_sight(struct tsu_time_reads *t, uint64_t start, uint64_t size)
{
    if ((t->seen_len + 1) * 2 > t->seen_cap) {
        uint64_t cap = t->seen_cap ? t->seen_cap * 2 : 4096;
        struct tsu_seen *next = calloc(cap, sizeof *next);
        if (next == NULL) return 0;
        for (uint64_t i = 0; i < t->seen_cap; i++) {
            struct tsu_seen e = t->seen[i];
            if (e.size == 0) continue;
            uint64_t j = slot_of(e.start, e.size, cap);
            while (next[j].size != 0) j = (j + 1) & (cap - 1);
            next[j] = e;
        }
        free(t->seen);
        t->seen = next;
        t->seen_cap = cap;
    }
    uint64_t j = slot_of(start, size, t->seen_cap);
    while (t->seen[j].size != 0) {
        if (t->seen[j].start == start && t->seen[j].size == size) return 0;
        j = (j + 1) & (t->seen_cap - 1);
    }
    t->seen[j].start = start;
    t->seen[j].size = size;
    t->seen_len++;
    return 1;
}

void tsu_time_x86_code(uc_engine *uc, uint64_t address, uint32_t size, void *user);

// UC_HOOK_BLOCK (uc_cb_hookcode_t) over every address.
void tsu_time_x86_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct tsu_time_reads *t = user;
    struct tsu_seen *r = &t->recent[(address ^ (address >> 8)) & 255];
    if (r->start == address && r->size == size) return;
    r->start = address;
    r->size = size;
    if (size < 2 || !first_sight(t, address, size)) return;
    uint8_t small[4096];
    uint8_t *b = size <= sizeof small ? small : malloc(size);
    if (b == NULL) return;
    int added = 0;
    if (uc_mem_read(uc, address, b, size) == UC_ERR_OK) {
        for (uint32_t i = 0; i + 1 < size; i++) {
            if (b[i] != 0x0f) continue;
            if (!(b[i + 1] == 0x31 || (i + 2 < size && b[i + 1] == 0x01 && b[i + 2] == 0xf9))) continue;
            // One code hook per address (blocks overlap; two hooks would take one rdtsc twice).
            if (!first_sight(t, address + i, HOOKED)) continue;
            uc_hook h;
            uc_err err = uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)tsu_time_x86_code, t, address + i, address + i);
            if (err != UC_ERR_OK) {
                if (t->err == 0) t->err = (int32_t)err;
                break;
            }
            added = 1;
        }
    }
    if (b != small) free(b);
    if (!added && t->err == 0) return;
    if (t->err == 0) {
        t->restart_pc = address;
        t->restart_end = address + size;
    }
    uc_emu_stop(uc);
}

// Frees what the block hook allocated (once the engine is closed).
void tsu_time_free(struct tsu_time_reads *t)
{
    free(t->seen);
    t->seen = NULL;
    t->seen_cap = t->seen_len = 0;
}

// UC_HOOK_CODE (uc_cb_hookcode_t) on an address that holds rdtsc or rdtscp bytes.
void tsu_time_x86_code(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    if (size != 2 && size != 3) return;
    uint8_t b[3];
    if (uc_mem_read(uc, address, b, size) != UC_ERR_OK) return;
    uint32_t kind;
    if (size == 2 && b[0] == 0x0f && b[1] == 0x31) kind = TSU_TIME_RDTSC;
    else if (size == 3 && b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xf9) kind = TSU_TIME_RDTSCP;
    else return;
    struct tsu_time_reads *t = user;
    t->value = host_ticks();
    t->aux = 0;
    if (kind == TSU_TIME_RDTSCP) {
        uc_x86_msr msr = { MSR_TSC_AUX, 0 };
        if (uc_reg_read(uc, UC_X86_REG_MSR, &msr) == UC_ERR_OK) t->aux = msr.value;
    }
    hand_over(uc, t, kind);
    uint64_t lo = t->value & 0xffffffffu, hi = t->value >> 32, next = address + size;
    uc_reg_write(uc, UC_X86_REG_RAX, &lo);
    uc_reg_write(uc, UC_X86_REG_RDX, &hi);
    if (kind == TSU_TIME_RDTSCP) {
        uint64_t c = t->aux & 0xffffffffu;
        uc_reg_write(uc, UC_X86_REG_RCX, &c);
    }
    uc_reg_write(uc, UC_X86_REG_RIP, &next);
}

// UC_HOOK_INSN + UC_ARM64_INS_MRS (uc_cb_insn_sys_t).
uint32_t tsu_time_arm64_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
    if (!(cp->op0 == 3 && cp->op1 == 3 && cp->crn == 14 && cp->crm == 0 && cp->op2 == 2)) return 0;
    struct tsu_time_reads *t = user;
    uc_arm64_cp_reg own = *cp;
    own.val = 0;
    if (uc_reg_read(uc, UC_ARM64_REG_CP_REG, &own) != UC_ERR_OK) return 0; // let the CPU do it
    t->value = own.val;
    t->aux = 0;
    hand_over(uc, t, TSU_TIME_CNTVCT);
    if (reg != UC_ARM64_REG_XZR) uc_reg_write(uc, reg, &t->value);
    return 1;
}
