-- tstrace recording, schema version 3. One file holds one run: every ptrace stop of every
-- task in order, the bytes the kernel wrote into guest memory during each syscall, the values
-- the guest's time-reading instructions got, and the
-- executed binaries as content-addressed blobs, so the run can be replayed from this file.
-- Reading commands open it read-only and use the views at the end.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- 'format' = 'tstrace-recording', 'schema_version' = '3'
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

-- The strace lines, each distinct text once.
CREATE TABLE lines (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);

CREATE TABLE stops_raw (
  seq      INTEGER PRIMARY KEY,   -- 0, 1, 2… in the order the stops happened
  tid      INTEGER NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('syscall-entry', 'syscall-exit', 'signal', 'event', 'exit')),
  nr       INTEGER,               -- syscall number (entry, exit, exec event)
  name     TEXT,                  -- syscall name, signal name, event name
  args     TEXT,                  -- entry: the six raw arguments, hex, comma separated
  result   INTEGER,               -- exit: the raw return value; exit: the wait status
  errno    INTEGER,               -- exit of a failed call: the errno number
  signo    INTEGER,               -- signal stops, deaths by signal
  line_id  INTEGER REFERENCES lines(id), -- the line strace prints here (exit stops, signals, exits)
  wall_ns  INTEGER NOT NULL,      -- nanoseconds since the run started
  prev_seq INTEGER,               -- the stop before this one in the same task
  blocks   INTEGER,               -- scheduler units (bytes of guest code) the task ran in its slice so far, where counted
  raised   TEXT                   -- exit: JSON of the siginfo of signals the call raised in its own task (SIGPIPE)
);
-- The one index: an exit stop by its entry (the syscalls view). Selections by name or task
-- scan the table, which is cheaper than keeping more indexes while recording.
CREATE INDEX stops_by_prev ON stops_raw(prev_seq);

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
  units     INTEGER               -- how long the previous task ran, in scheduler units
);

-- Values the guest's time-reading instructions got (x86_64 rdtsc and rdtscp, aarch64 mrs of
-- CNTVCT_EL0), per task in the order it executed them: replay gives them back (new in version 3).
CREATE TABLE insn_values (
  tid       INTEGER NOT NULL,
  ordinal   INTEGER NOT NULL,     -- 0, 1, 2… per task
  after_seq INTEGER,              -- the task's last stop before the instruction (NULL: before its first)
  kind      TEXT NOT NULL CHECK (kind IN ('rdtsc', 'rdtscp', 'cntvct')),
  value     INTEGER NOT NULL,     -- the 64-bit counter value (EDX:EAX, or the mrs destination)
  aux       INTEGER,              -- rdtscp: the TSC_AUX it put in ECX
  PRIMARY KEY (tid, ordinal)
) WITHOUT ROWID;

-- Signals that came from outside tstrace and where they were delivered.
CREATE TABLE outside_signals (
  seq   INTEGER NOT NULL,
  tid   INTEGER NOT NULL,
  signo INTEGER NOT NULL
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
  seq    INTEGER NOT NULL,        -- the stop where it was executed (exec, interp) or mapped
  tid    INTEGER NOT NULL,
  role   TEXT NOT NULL CHECK (role IN ('exec', 'interp', 'mmap')),
  path   TEXT NOT NULL,               -- exec: as executed; interp: the loader's guest path; mmap: the file
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  addr   INTEGER,                 -- mmap: where it was mapped (the bytes stop at the file's last page)
  at_random BLOB                  -- exec: the 16 AT_RANDOM bytes the new image got
);

CREATE VIEW stops AS
  SELECT s.seq, s.tid, s.kind, s.nr, s.name, s.args, s.result, s.errno, s.signo,
         l.text AS line, s.wall_ns, s.prev_seq, s.blocks, s.raised
  FROM stops_raw s LEFT JOIN lines l ON l.id = s.line_id;

CREATE VIEW syscalls AS
  SELECT e.seq AS seq, x.seq AS exit_seq, e.tid, e.nr, e.name, e.args, x.result, x.errno,
         x.result IS NOT NULL AND x.result < 0 AND x.result >= -4095 AS failed,
         l.text AS line, e.wall_ns AS entry_ns, x.wall_ns AS exit_ns, x.wall_ns - e.wall_ns AS duration_ns
  FROM stops_raw e
  LEFT JOIN stops_raw x ON x.prev_seq = e.seq AND x.kind = 'syscall-exit'
  LEFT JOIN lines l ON l.id = x.line_id
  WHERE e.kind = 'syscall-entry';

CREATE VIEW tasks AS
  SELECT t.*, (SELECT count(*) FROM stops_raw s WHERE s.tid = t.tid AND s.kind = 'syscall-entry') AS syscalls
  FROM task_rows t;

CREATE VIEW signals AS
  SELECT s.seq, s.tid, s.signo, s.name, l.text AS line,
         EXISTS (SELECT 1 FROM outside_signals o WHERE o.seq = s.seq) AS outside
  FROM stops_raw s LEFT JOIN lines l ON l.id = s.line_id
  WHERE s.kind = 'signal';

CREATE VIEW files AS
  SELECT path, count(*) AS uses, min(seq) AS first_seq, group_concat(DISTINCT tid) AS tids
  FROM paths GROUP BY path;
