// A block budget for unicorn-engine-ts: stops emulation once the translation blocks executed
// since the budget was set add up to a limit, in bytes of guest code. It is how a deterministic
// scheduler preempts a thread without Unicorn's count mode (a per-instruction check, 2-6x
// slower) and without host time: a UC_HOOK_BLOCK in C costs ~1.3x, one in JavaScript ~18x.
//
// Unicorn is given a `struct tsu_budget *` as user_data; the binding owns that memory and
// mirrors its layout (BUDGET_* offsets in src/block-budget.ts).
#include <stdint.h>
#include <unicorn/unicorn.h>

struct tsu_budget {
    uint64_t used;    // bytes of guest code in the blocks entered since `used` was last reset
    uint64_t limit;   // stop when `used` reaches it (UINT64_MAX: never)
    uint64_t stops;   // how many times this hook stopped the engine
    uint64_t stop_pc; // the block of the last stop: where the run must go on
};

_Static_assert(sizeof(struct tsu_budget) == 32, "layout");

// UC_HOOK_BLOCK (uc_cb_hookcode_t). Unicorn calls it on entry to each block, before the block's
// own exit-request check: once the blocks run have brought `used` to the limit, the next block
// does not run and is not counted, the run stops at its first instruction, the same place in
// every run; `used` counts exactly the blocks that ran. The host-signal handler stops a counted
// engine by setting `limit` to 0 (host-signals.c): the stop then comes here too, at a block
// boundary that `used` names exactly.
//
// Unicorn 2.1.1 puts the PC back at the block a stop came before only while no UC_HOOK_CODE
// exists (cpu_tb_exec); with one anywhere (x86 time reads, a breakpoint) the PC stays where the
// last block that stored it began (chained blocks never do), so the block is kept here and the
// binding puts the PC there after the run.
void tsu_budget_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct tsu_budget *b = user;
    if (b->used >= b->limit) {
        b->stops++;
        b->stop_pc = address;
        b->limit = UINT64_MAX; // one stop per budget
        uc_emu_stop(uc);
        return;
    }
    b->used += size;
}
