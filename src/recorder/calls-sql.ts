// How the readers select a recording's calls (table `calls`, schemas/recording-v4.sql).

const SAFE = '9007199254740991';
/** An integer column as a number when it fits, else as text (read back as a bigint). */
export const wide = (col: string): string => `CASE WHEN ${col} BETWEEN -${SAFE} AND ${SAFE} THEN ${col} ELSE CAST(${col} AS TEXT) END`;

export const CALL_VALUES = `seq, tid, call, args, prev, entry_ns, entry_blocks, exit, ${wide('result')}, line_id, exit_ns, exit_blocks, raised, exit_prev`;

/**
 * The calls with seq in [?, ?) as one JSON array of rows: SQLite builds it in C and JSON.parse
 * reads it at about twice the speed of one row object per call (reading costs per value).
 */
export const CALLS_JSON = `SELECT json_group_array(json_array(${CALL_VALUES})) FROM (SELECT * FROM calls WHERE seq >= ? AND seq < ? ORDER BY seq)`;
