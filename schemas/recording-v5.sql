-- tstrace recording, schema version 5. One file holds one run: every ptrace stop of every
-- task in order, the bytes the kernel wrote into guest memory during each syscall, the values
-- the guest's time-reading instructions got, the signals that came from outside, and the
-- executed binaries as content-addressed blobs, so the run can be replayed from this file.
-- Reading commands open it read-only and use the views at the end.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- 'format' = 'tstrace-recording', 'schema_version' = '5'
);

CREATE TABLE run (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  argv            TEXT NOT NULL,  -- JSON array, as the program was started
  env             TEXT NOT NULL,  -- JSON array of NAME=VALUE
  cwd             TEXT NOT NULL,
  arch            TEXT NOT NULL,  -- aarch64 | x86_64 | riscv64
  program         TEXT NOT NULL,  -- host path of the executable at record time
  tstrace_version TEXT NOT NULL,
  unicorn_version TEXT NOT NULL,
  started_at      TEXT NOT NULL,  -- ISO 8601, UTC
  decode_options  TEXT NOT NULL,  -- JSON: the -s/-v/-X/-y the stored lines were decoded with
  ended_how       TEXT,           -- exited | killed | NULL while running or cut short
  exit_code       INTEGER,
  exit_signal     INTEGER,
  complete        INTEGER NOT NULL DEFAULT 0  -- 1 once the run ended and everything was written
);

CREATE TABLE task_rows (
  tid         INTEGER PRIMARY KEY,
  pid         INTEGER NOT NULL,   -- its process (thread group)
  parent      INTEGER,            -- the parent process's pid (NULL for the first process)
  start_seq   INTEGER NOT NULL,   -- its first stop
  end_seq     INTEGER,            -- its exit stop
  ended_how   TEXT,               -- exited | killed
  exit_code   INTEGER,
  exit_signal INTEGER
);

-- The strace lines, each distinct text once (the recorder interns them; no index on the text).
CREATE TABLE lines (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL
);

-- Syscall numbers and the names the recorded architecture gives them, each pair once.
CREATE TABLE syscall_names (
  id   INTEGER PRIMARY KEY,
  nr   INTEGER NOT NULL,
  name TEXT NOT NULL
);

-- Raw argument lists, each distinct one once: the six arguments, hex, comma separated.
CREATE TABLE arg_lists (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL
);

-- The kinds of stops, as the views name them.
CREATE TABLE stop_kinds (
  id   INTEGER PRIMARY KEY,
  kind TEXT NOT NULL UNIQUE
);
INSERT INTO stop_kinds (id, kind) VALUES (0, 'syscall-entry'), (1, 'syscall-exit'), (2, 'signal'), (3, 'event'), (4, 'exit');

-- One row per syscall: its entry stop and, once recorded, its exit stop. Sequence numbers
-- (0, 1, 2… in the order the stops happened, over every table of stops) and times of the exit
-- are stored as differences from the entry's, and a task's previous stop as a difference from
-- the stop; the views give them back whole.
CREATE TABLE calls (
  seq          INTEGER PRIMARY KEY,  -- the entry stop
  tid          INTEGER NOT NULL,
  call         INTEGER NOT NULL REFERENCES syscall_names(id),
  args         INTEGER NOT NULL REFERENCES arg_lists(id),
  prev         INTEGER,              -- seq minus the task's previous stop (NULL: its first stop)
  entry_ns     INTEGER NOT NULL,     -- nanoseconds since the run started
  entry_blocks INTEGER,              -- where in the task's run: the guest code it had run (bytes of blocks)
  exit         INTEGER,              -- the exit stop's seq minus seq (NULL: no exit recorded)
  result       INTEGER,              -- the raw return value
  line_id      INTEGER REFERENCES lines(id), -- the line strace prints for the call
  exit_ns      INTEGER,              -- the exit's time minus entry_ns
  exit_blocks  INTEGER,
  raised       TEXT,                 -- JSON of the siginfo of signals the call raised in its own task (SIGPIPE)
  exit_prev    INTEGER               -- the exit's seq minus the task's stop before it, when that is not the entry (an exec event)
);

-- Every other stop: signal deliveries, ptrace events, exits, and a syscall exit whose entry
-- this recording does not hold.
CREATE TABLE other_stops (
  seq      INTEGER PRIMARY KEY,
  tid      INTEGER NOT NULL,
  kind     INTEGER NOT NULL REFERENCES stop_kinds(id),
  nr       INTEGER,                -- syscall-exit: the syscall number
  name     TEXT,                   -- syscall, signal or event name
  result   INTEGER,                -- event: its message; exit: the wait status; syscall-exit: the return value
  signo    INTEGER,                -- signal stops, deaths by signal
  line_id  INTEGER REFERENCES lines(id),
  wall_ns  INTEGER NOT NULL,
  prev     INTEGER,                -- seq minus the task's previous stop (NULL: its first)
  blocks   INTEGER,
  raised   TEXT
);

-- Bytes the kernel wrote into guest memory during a syscall, attached to its exit stop.
CREATE TABLE memory_writes (
  seq  INTEGER NOT NULL,
  addr INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX memory_writes_by_seq ON memory_writes(seq);

-- Each time the scheduler gave the CPU to another task.
CREATE TABLE schedule (
  after_seq INTEGER NOT NULL,     -- the last stop before the switch (-1: before the first)
  tid       INTEGER NOT NULL,     -- the task that runs next
  units     INTEGER,              -- how long the previous task ran, in scheduler units
  executed  INTEGER               -- how much guest code the previous task had run in all (bytes of blocks)
);

-- Values the guest's time-reading instructions got (x86_64 rdtsc and rdtscp, aarch64 mrs of
-- CNTVCT_EL0), per task in the order it executed them: replay gives them back.
CREATE TABLE insn_values (
  tid       INTEGER NOT NULL,
  ordinal   INTEGER NOT NULL,     -- 0, 1, 2… per task
  after_seq INTEGER,              -- the task's last stop before the instruction (NULL: before its first)
  kind      TEXT NOT NULL CHECK (kind IN ('rdtsc', 'rdtscp', 'cntvct')),
  value     INTEGER NOT NULL,     -- the 64-bit counter value (EDX:EAX, or the mrs destination)
  aux       INTEGER,              -- rdtscp: the TSC_AUX it put in ECX
  PRIMARY KEY (tid, ordinal)
) WITHOUT ROWID;

-- Signals sent to tstrace itself that it passed on to the program (Ctrl-C, SIGTERM, SIGHUP; the
-- SIGKILL of every process that a second one sends), in the order they came: where each was
-- sent, and the stop where the program got it.
CREATE TABLE outside_signals (
  ordinal    INTEGER PRIMARY KEY, -- 1, 2…; a call's `raised` marks the one it saw: "outside": ordinal
  seq        INTEGER NOT NULL,    -- sent before this stop (after every stop before it)
  tid        INTEGER,             -- the task running guest code when it came (NULL: every task was in a call)
  executed   INTEGER,             -- how much guest code that task had run then (bytes of the blocks it ran)
  signo      INTEGER NOT NULL,
  pid        INTEGER NOT NULL,    -- the process it was sent to; 0: every process
  sender_pid INTEGER NOT NULL,    -- si_pid and si_uid: tstrace's pid and user
  sender_uid INTEGER NOT NULL,
  delivered  INTEGER              -- its signal-delivery stop (NULL: none, as for SIGKILL)
);

-- Timers' signals that came to a task out of any call (a call in flight carries them in its
-- `raised`), at the end of a slice of a task that ran guest code: replay sends them there.
CREATE TABLE timer_signals (
  seq      INTEGER NOT NULL,      -- sent before this stop
  tid      INTEGER NOT NULL,      -- the task whose slice had just ended
  executed INTEGER NOT NULL,      -- how much guest code it had run then (bytes of the blocks it ran)
  target   INTEGER NOT NULL,      -- the task the signal went to
  siginfo  TEXT NOT NULL          -- its siginfo, as JSON (as in `raised`)
);

-- Writes whose bytes went to tstrace's own standard output or error (through the descriptors the
-- program inherited, or copies of them; not a pipe or file put in their place): replay writes
-- them there again.
CREATE TABLE echoes (
  seq    INTEGER PRIMARY KEY,     -- the write's exit stop
  stream INTEGER NOT NULL CHECK (stream IN (1, 2))
);

-- Paths named by syscalls (the first path argument, read at the entry stop).
CREATE TABLE paths (
  seq  INTEGER NOT NULL,          -- the entry stop
  tid  INTEGER NOT NULL,
  path TEXT NOT NULL
);
CREATE INDEX paths_by_path ON paths(path);

-- Executed binaries, their dynamic loaders and file-backed mappings, by content.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,
  data   BLOB NOT NULL
);
CREATE TABLE images (
  seq    INTEGER NOT NULL,        -- the stop where it was executed (exec, interp, script) or mapped
  tid    INTEGER NOT NULL,
  role   TEXT NOT NULL CHECK (role IN ('exec', 'interp', 'mmap', 'script')),
  path   TEXT NOT NULL,               -- exec: as executed; interp: the loader's guest path; mmap: the file;
                                      -- script: a #! file the exec followed, as it was named (in order)
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  addr   INTEGER,                 -- mmap: where it was mapped (the bytes stop at the file's last page)
  at_random BLOB                  -- exec: the 16 AT_RANDOM bytes the new image got
);

-- Every stop, one row each, with the differences of the tables made whole again.
CREATE VIEW stops AS
  SELECT c.seq AS seq, c.tid AS tid, 'syscall-entry' AS kind, n.nr AS nr, n.name AS name, a.text AS args,
         NULL AS result, NULL AS errno, NULL AS signo, NULL AS line, c.entry_ns AS wall_ns,
         c.seq - c.prev AS prev_seq, c.entry_blocks AS blocks, NULL AS raised
  FROM calls c JOIN syscall_names n ON n.id = c.call JOIN arg_lists a ON a.id = c.args
  UNION ALL
  SELECT c.seq + c.exit, c.tid, 'syscall-exit', n.nr, n.name, NULL, c.result,
         CASE WHEN c.result < 0 AND c.result >= -4095 THEN -c.result END, NULL, l.text, c.entry_ns + c.exit_ns,
         coalesce(c.seq + c.exit - c.exit_prev, c.seq), c.exit_blocks, c.raised
  FROM calls c JOIN syscall_names n ON n.id = c.call LEFT JOIN lines l ON l.id = c.line_id
  WHERE c.exit IS NOT NULL
  UNION ALL
  SELECT o.seq, o.tid, k.kind, o.nr, o.name, NULL, o.result,
         CASE WHEN o.kind = 1 AND o.result < 0 AND o.result >= -4095 THEN -o.result END, o.signo, l.text, o.wall_ns,
         o.seq - o.prev, o.blocks, o.raised
  FROM other_stops o JOIN stop_kinds k ON k.id = o.kind LEFT JOIN lines l ON l.id = o.line_id;

CREATE VIEW syscalls AS
  SELECT c.seq AS seq, c.seq + c.exit AS exit_seq, c.tid AS tid, n.nr AS nr, n.name AS name, a.text AS args,
         c.result AS result, CASE WHEN c.result < 0 AND c.result >= -4095 THEN -c.result END AS errno,
         c.result IS NOT NULL AND c.result < 0 AND c.result >= -4095 AS failed,
         l.text AS line, c.entry_ns AS entry_ns, c.entry_ns + c.exit_ns AS exit_ns, c.exit_ns AS duration_ns
  FROM calls c JOIN syscall_names n ON n.id = c.call JOIN arg_lists a ON a.id = c.args
  LEFT JOIN lines l ON l.id = c.line_id;

CREATE VIEW tasks AS
  SELECT t.*, (SELECT count(*) FROM calls c WHERE c.tid = t.tid) AS syscalls
  FROM task_rows t;

CREATE VIEW signals AS
  SELECT s.seq, s.tid, s.signo, s.name, l.text AS line,
         EXISTS (SELECT 1 FROM outside_signals o WHERE o.delivered = s.seq) AS outside
  FROM other_stops s LEFT JOIN lines l ON l.id = s.line_id
  WHERE s.kind = 2;

CREATE VIEW files AS
  SELECT path, count(*) AS uses, min(seq) AS first_seq, group_concat(DISTINCT tid) AS tids
  FROM paths GROUP BY path;
