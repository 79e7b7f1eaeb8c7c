// Host signals for unicorn-engine-ts: Node runs a JavaScript signal handler only between turns
// of its event loop, never while Unicorn runs guest code or a synchronous host call waits. This
// handler notes the signal in a word the binding reads through a view (no FFI call per check)
// and stops every registered engine, so a program that loops forever still lets its host see
// Ctrl-C within one translation block. It is installed without SA_RESTART: a host call the
// main thread is waiting in (poll, pause) returns EINTR. A signal that lands on another thread
// of the process is passed on to the main thread, where those calls wait. An engine whose
// block budget counts its guest code is stopped through the budget instead (its limit set to
// 0): at the next block boundary, with the count exact (block-budget.c), where uc_emu_stop
// could stop a block that was already counted.
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unicorn/unicorn.h>

#define TSU_MAX_ENGINES 1024

static uc_engine *volatile engines[TSU_MAX_ENGINES];
// Per engine, the limit word of its counting budget (struct tsu_budget), or NULL.
static volatile uint64_t *volatile budget_limits[TSU_MAX_ENGINES];
static volatile sig_atomic_t pending_signal;
static pthread_t main_thread;

static void on_signal(int sig)
{
    if (!pthread_equal(pthread_self(), main_thread)) {
        pthread_kill(main_thread, sig);
        return;
    }
    pending_signal = sig;
    for (int i = 0; i < TSU_MAX_ENGINES; i++) {
        uc_engine *uc = engines[i];
        if (uc == NULL) continue;
        volatile uint64_t *limit = budget_limits[i];
        if (limit != NULL) *limit = 0;
        else uc_emu_stop(uc);
    }
}

// Catches each of `signals` not ignored already, from now on (called on the main thread). 0,
// or -1 if one failed.
int tsu_signals_watch(const int32_t *signals, int32_t count)
{
    main_thread = pthread_self();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int32_t i = 0; i < count; i++) sigaddset(&sa.sa_mask, signals[i]);
    for (int32_t i = 0; i < count; i++) {
        // A signal the parent had ignored stays ignored (nohup, a background job), as strace
        // leaves it.
        struct sigaction old;
        if (sigaction(signals[i], NULL, &old) != 0) return -1;
        if (old.sa_handler == SIG_IGN) continue;
        if (sigaction(signals[i], &sa, NULL) != 0) return -1;
    }
    return 0;
}

// The word the handler writes the signal number into (the binding reads and clears it).
volatile sig_atomic_t *tsu_signals_pending(void)
{
    return &pending_signal;
}

// An engine the handler stops. 0, or -1 when the table is full.
int tsu_signals_add_engine(uc_engine *uc)
{
    for (int i = 0; i < TSU_MAX_ENGINES; i++) {
        if (engines[i] == NULL) {
            engines[i] = uc;
            return 0;
        }
    }
    return -1;
}

// The handler stops `uc` by setting the limit word of its budget to 0 (NULL: uc_emu_stop again).
void tsu_signals_stop_through(uc_engine *uc, volatile uint64_t *limit)
{
    for (int i = 0; i < TSU_MAX_ENGINES; i++) {
        if (engines[i] == uc) budget_limits[i] = limit;
    }
}

// Before the engine is closed.
void tsu_signals_remove_engine(uc_engine *uc)
{
    for (int i = 0; i < TSU_MAX_ENGINES; i++) {
        if (engines[i] == uc) {
            budget_limits[i] = NULL;
            engines[i] = NULL;
        }
    }
}
