// A recording's format name and schema version (meta), apart from the zod schemas so that
// the recorder's writer thread loads no more than it needs.
export const SCHEMA_VERSION = 5;
export const RECORDING_FORMAT = 'tstrace-recording';
