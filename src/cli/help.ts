export const TSTRACE_VERSION = '0.1.0';

export const VERSION_TEXT = 'tstrace -- version 0.1.0 (strace for emulated aarch64 and x86_64 Linux programs)\n';

export const HELP_TEXT = `Usage: tstrace [-fqvyTrtcC] [-o FILE] [-s STRSIZE] [-e EXPR]... [-X FORMAT] PROG [ARGS]
       tstrace diff [OPTIONS] A B        (strace logs or recordings)
       tstrace record -o RUN.db [OPTIONS] -- PROG [ARGS]
       tstrace replay RUN.db [OPTIONS] [--to SEQ]
       tstrace show|stats RUN.db [OPTIONS]
       tstrace query RUN.db [--syscall N] [--task TID] [--failed] [--path P] [--class C]
                            [--seq A..B] [--json|--table] [--sql "SELECT ..."]
       tstrace export --perfetto RUN.db

Runs PROG, a static Linux executable for aarch64 or x86_64, in an emulator and prints its
system calls as strace does.

Output:
  -o FILE        write the trace to FILE instead of stderr
  -s STRSIZE     print at most STRSIZE bytes of each string (default 32)
  -v             print whole structures, argv and environment
  -y             print paths of file descriptors
  -X raw|abbrev|verbose
                 constants as numbers, names, or both
  -t, -tt, -ttt  time of day, with microseconds, or seconds since the epoch
  -r             time since the previous line
  -T             time spent in each system call
  -q, -qq        fewer messages (-qq: no exit lines)
Filtering:
  -e trace=SET   only these syscalls: names, %file %desc %memory %process %signal
                 %network %ipc %creds %clock %pure %stat..., /regex, !negation
  -e signal=SET  only these signals
  -e status=SET  successful, failed, unfinished, unavailable, detached
Statistics:
  -c             count time, calls and errors per syscall, print only the table
  -C             like -c, and print the trace too
Recording:
  --record FILE  record every stop into FILE (SQLite) while tracing
Tracing:
  -f             follow threads and child processes (-ff with -o: FILE.PID per process)
Misc:
  -h             this help
  -V             version
`;
