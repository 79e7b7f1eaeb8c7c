export const TSTRACE_VERSION = '0.1.0';

export const VERSION_TEXT = 'tstrace -- version 0.1.0 (strace for emulated aarch64, x86_64 and riscv64 Linux programs)\n';

export const HELP_TEXT = `Usage: tstrace [-ACDfhiknqrtTvVwxyYzZ] [-a COLUMN] [-b execve] [-e EXPR]... [-E VAR=VAL]...
               [-o FILE] [-O OVERHEAD] [-P PATH]... [-s STRSIZE] [-S SORTBY] [-U COLUMNS]
               [-u USER] [-X FORMAT] PROG [ARGS]
       tstrace diff [OPTIONS] A.log B.log
       tstrace diff [OPTIONS] A B        (strace logs or recordings)
       tstrace record -o RUN.db [OPTIONS] -- PROG [ARGS]
       tstrace replay RUN.db [OPTIONS] [--to SEQ]
       tstrace show|stats RUN.db [OPTIONS]
       tstrace query RUN.db [--syscall N] [--task TID] [--failed] [--path P] [--class C]
                            [--seq A..B] [--json|--table] [--sql "SELECT ..."]
       tstrace export --perfetto RUN.db

Runs PROG, a Linux executable for aarch64, x86_64 or riscv64 (static, or dynamic on aarch64
and x86_64), in an emulator and prints its system calls as strace does.

Startup:
  --sysroot DIR               the guest's root filesystem: absolute paths (and the dynamic
                              loader) are looked up in DIR first, then on the host (qemu -L);
                              default: $QEMU_LD_PREFIX, else /usr/<gnu-triple> when present
                              for a foreign program, else the host's /
  -E VAR=VAL, --env=VAR=VAL   put VAR=VAL in PROG's environment
  -E VAR, --env=VAR           remove VAR from PROG's environment
  -u USER, --user=USER        PROG sees USER's uid, gid and groups (host files are still
                              opened with tstrace's rights)
Recording:
  --record FILE  record every stop into FILE (SQLite) while tracing
Tracing:
  -f, --follow-forks          follow threads and child processes
  -ff, --output-separately    with -o FILE: one file per task, FILE.PID
  -b execve, --detach-on=execve
                              stop tracing a task when it execs
  --syscall-limit=N           stop tracing after N printed syscalls (PROG goes on)
  -D, -DD, -DDD, --daemonize  accepted: there is no separate tracer process to move
  --seccomp-bpf               accepted: only the calls asked for stop anyway
Filtering:
  -e trace=SET, --trace=SET   names, %file %desc %memory %process %signal %network %ipc
                              %creds %clock %pure %stat..., /regex, ?name, !negation
  -e signal=SET, --signal=SET only these signals
  -e status=SET, --status=SET successful, failed, unfinished, unavailable, detached
  -P PATH, --trace-path=PATH  only calls that touch PATH (by name or descriptor)
  -z, --successful-only       only calls that succeeded
  -Z, --failed-only           only calls that failed
Output format:
  -a COLUMN, --columns=COLUMN align results at COLUMN (default 40)
  -e abbrev=SET, -e verbose=SET, -e raw=SET
                              abbreviate / dereference structures / print undecoded, per call
  -e read=SET, -e write=SET   hex dump of the data read from / written to descriptors in SET
  -e quiet=SET, --quiet=SET   attach, exit, path-resolution, personality, thread-execve,
                              superseded
  -e decode-fds=SET, --decode-fds=SET
                              path, socket, dev (all with -yy)
  -i, --instruction-pointer   the program counter at each syscall
  -k, --stack-traces          the call stack after each syscall (.eh_frame, .symtab)
  -n, --syscall-number        the syscall number (the guest architecture's)
  -o FILE, --output=FILE      write the trace to FILE; '|CMD' or '!CMD' pipes it into CMD
  -A, --output-append-mode    append to FILE
  -q, -qq, -qqq               fewer messages (-qq: no exit lines)
  -r, --relative-timestamps[=s|ms|us|ns]
                              time since the previous line (default precision us)
  -s STRSIZE, --string-limit=STRSIZE
                              print at most STRSIZE bytes of each string (default 32)
  -t, -tt, -ttt, --absolute-timestamps[=[format:]time|unix|none][,[precision:]s|ms|us|ns]
                              time of day, with microseconds, or seconds since the epoch
  -T, --syscall-times[=s|ms|us|ns]
                              time spent in each system call (default precision us)
  -v, --no-abbrev             print whole structures, argv and environment
  -x, -xx, --strings-in-hex[=non-ascii|non-ascii-chars|all]
                              strings with non-ASCII bytes in hex; all strings in hex
  -X raw|abbrev|verbose, --const-print-style=...
                              constants as numbers, names, or both
  -y, -yy, --decode-fds       paths of descriptors; with -yy also sockets and devices
  -Y, --decode-pids=comm      command names after pids
  --decode-pids=pidns         strace's id after a pid of another pid namespace
  --color=auto|always|never   colour names, errors, signals (auto: a terminal without NO_COLOR)
  --json FILE                 also write every stop as one JSON object a line
                              (schemas/trace-json.schema.json)
Statistics:
  -c, --summary-only          count time, calls and errors per syscall, print only the table
  -C, --summary               like -c, and print the trace too
  -O OVERHEAD                 subtract OVERHEAD (us, or with s/ms/us/ns) from each call's time
  -S SORTBY                   time, min-time, max-time, avg-time, calls, errors, name, nothing
  -U COLUMNS                  time-percent, total-time, min-time, max-time, avg-time, calls,
                              errors, name
  -w, --summary-wall-clock    wall-clock time per call (default: the kernel's own time)
Tampering:
  -e inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:delay_enter=DELAY][:delay_exit=DELAY][:when=WHEN]
  -e fault=SET[:error=ERRNO][:when=WHEN]   (error ENOSYS by default)
                              WHEN: FIRST[..LAST][+[STEP]]; DELAY: microseconds or N{s|ms|us|ns}
Misc:
  -h, --help                  this help
  -V, --version               version
Not supported (refused with a reason): -p/--attach, -d/--debug, -I/--interruptible, -F,
  -e kvm=, --tips, inject's syscall=/poke_enter=/poke_exit=.
`;
