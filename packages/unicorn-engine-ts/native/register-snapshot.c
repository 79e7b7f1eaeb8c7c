// Register-snapshot hooks for unicorn-engine-ts (Unicorn 2.1.1).
//
// A JavaScript hook that reads a syscall number and six arguments and writes a result pays one
// FFI call per register. These C hooks do that work natively: read every register the binding
// listed with one uc_reg_read_batch into memory JavaScript views directly, call the binding's
// ordinary JavaScript trampoline (with the arguments Unicorn would have passed it), then write
// back with uc_reg_write each register whose dirty bit JavaScript set.
//
// Unicorn is given a `struct tsu_snapshot *` as user_data. The binding owns that memory and
// keeps it alive while the hook can run; src/engine.ts mirrors this layout (SNAP_* offsets).
// Nothing here knows of Linux or of any CPU: the register ids come from the binding.
//
// Build: scripts/build-native.sh -> native/build/libtsu-snapshot.so (linked against
// libunicorn.so.2 by soname, no rpath: the binding loads it after libunicorn itself).
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#define TSU_MAX_REGS 32
// Bytes uc_reg_read may write for one register: 64 covers the widest (x86 ZMM).
#define TSU_WIDE_BYTES 64

// Errors recorded for the binding (err_op); it rethrows them from emuStart.
#define TSU_OP_READ 1  // uc_reg_read_batch
#define TSU_OP_WRITE 2 // uc_reg_write

struct tsu_snapshot {
    void (*trampoline)(void); // the JS trampoline: uc_cb_hookintr_t or uc_cb_insn_syscall_t
    uint64_t user_data;       // passed to the trampoline as user_data: the binding's hook id
    uint32_t count;           // registers listed, at most TSU_MAX_REGS
    uint32_t dirty;           // bit i set: values[i] is to be written back to ids[i]
    int32_t err;              // first uc_err of a read or write-back, 0 if none
    int32_t err_reg;          // the register a write-back failed for (-1: the batch read)
    uint32_t err_op;          // TSU_OP_READ or TSU_OP_WRITE
    uint32_t pad;
    int ids[TSU_MAX_REGS];          // UC_*_REG_* ids
    uint64_t values[TSU_MAX_REGS];  // their low 64 bits, zero-extended
};

// The binding's offsets (SNAP_* in src/engine.ts) depend on this layout.
_Static_assert(offsetof(struct tsu_snapshot, user_data) == 8, "layout");
_Static_assert(offsetof(struct tsu_snapshot, count) == 16, "layout");
_Static_assert(offsetof(struct tsu_snapshot, dirty) == 20, "layout");
_Static_assert(offsetof(struct tsu_snapshot, err) == 24, "layout");
_Static_assert(offsetof(struct tsu_snapshot, ids) == 40, "layout");
_Static_assert(offsetof(struct tsu_snapshot, values) == 168, "layout");
_Static_assert(sizeof(struct tsu_snapshot) == 424, "layout");

typedef void (*intr_trampoline)(uc_engine *uc, uint32_t intno, void *user_data);
typedef void (*insn_trampoline)(uc_engine *uc, void *user_data);

// Records the first failure and stops emulation: the guest must not run on with a register
// it should have had but does not.
static void record_error(uc_engine *uc, struct tsu_snapshot *s, uc_err err, int reg, uint32_t op)
{
    if (s->err == 0) {
        s->err = (int32_t)err;
        s->err_reg = reg;
        s->err_op = op;
    }
    uc_emu_stop(uc);
}

// Reads every listed register with one uc_reg_read_batch and clears the dirty bits. A
// register wider than 64 bits lands in a wide scratch slot; its low 64 bits are kept. Returns
// 0 on failure (recorded).
static int snapshot_read(uc_engine *uc, struct tsu_snapshot *s)
{
    uint64_t wide[TSU_MAX_REGS][TSU_WIDE_BYTES / 8];
    void *ptrs[TSU_MAX_REGS];
    int n = s->count < TSU_MAX_REGS ? (int)s->count : TSU_MAX_REGS;

    for (int i = 0; i < n; i++) {
        wide[i][0] = 0; // a register narrower than 8 bytes writes only its own bytes
        ptrs[i] = wide[i];
    }
    uc_err err = uc_reg_read_batch(uc, s->ids, ptrs, n);
    if (err != UC_ERR_OK) {
        record_error(uc, s, err, -1, TSU_OP_READ); // the batch does not say which register
        return 0;
    }
    for (int i = 0; i < n; i++)
        s->values[i] = wide[i][0];
    s->dirty = 0;
    return 1;
}

// Writes back each register whose dirty bit is set, then clears the bits. A register wider
// than 64 bits gets a zero upper part (as the binding's regWrite does).
static void snapshot_write_back(uc_engine *uc, struct tsu_snapshot *s)
{
    uint32_t dirty = s->dirty;
    if (s->count < TSU_MAX_REGS)
        dirty &= (UINT32_C(1) << s->count) - 1;
    s->dirty = 0;
    while (dirty != 0) {
        int i = __builtin_ctz(dirty);
        dirty &= dirty - 1;
        uint64_t wide[TSU_WIDE_BYTES / 8] = { s->values[i] };
        uc_err err = uc_reg_write(uc, s->ids[i], wide);
        if (err != UC_ERR_OK)
            record_error(uc, s, err, s->ids[i], TSU_OP_WRITE);
    }
}

// UC_HOOK_INTR (uc_cb_hookintr_t).
void tsu_snapshot_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct tsu_snapshot *s = user;
    if (!snapshot_read(uc, s))
        return;
    // The trampolines ignore uc: passing NULL spares koffi boxing a pointer-sized number per call.
    ((intr_trampoline)s->trampoline)(NULL, intno, (void *)(uintptr_t)s->user_data);
    snapshot_write_back(uc, s);
}

// UC_HOOK_INSN with UC_X86_INS_SYSCALL (uc_cb_insn_syscall_t).
void tsu_snapshot_insn(uc_engine *uc, void *user)
{
    struct tsu_snapshot *s = user;
    if (!snapshot_read(uc, s))
        return;
    ((insn_trampoline)s->trampoline)(NULL, (void *)(uintptr_t)s->user_data); // uc: as above
    snapshot_write_back(uc, s);
}
