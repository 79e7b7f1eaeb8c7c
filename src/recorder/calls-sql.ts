// How the readers select a recording's calls (table `calls`, schemas/recording-v5.sql).

const SAFE = '9007199254740991';
/** An integer column as a number when it fits, else as text (read back as a bigint). */
export const wide = (col: string): string => `CASE WHEN ${col} BETWEEN -${SAFE} AND ${SAFE} THEN ${col} ELSE CAST(${col} AS TEXT) END`;

const COLUMNS = ['seq', 'tid', 'call', 'args', 'prev', 'entry_ns', 'entry_blocks', 'exit', wide('result'), 'line_id', 'exit_ns', 'exit_blocks', 'raised', 'exit_prev'];
export const CALL_VALUES = COLUMNS.join(', ');
export const CALL_COLUMN_COUNT = COLUMNS.length;

/**
 * The calls with seq in [?, ?) as one JSON array of columns (each an array of the rows'
 * values): SQLite builds it in C and JSON.parse reads it at about twice the speed of one row
 * object per call (reading costs per value), into a few flat arrays instead of one per call.
 */
export const CALLS_JSON = `SELECT json_array(${COLUMNS.map((c) => `json_group_array(${c})`).join(', ')})
  FROM (SELECT * FROM calls WHERE seq >= ? AND seq < ? ORDER BY seq)`;
