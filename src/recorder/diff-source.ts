// A recording as an input of `tstrace diff`: its stops rendered as `strace -f -o` text (every
// line with its pid), parsed into the diff's event model and loaded like any other log.
import { closeSync, openSync, readSync } from 'node:fs';
import { parseTraceArgs } from '../tracer/options.js';
import { parseStraceText } from '../diff/api.js';
import { InputError, loadEvents, type Interner, type LoadedLog } from '../diff/load.js';
import type { Normalizer } from '../diff/normalize.js';
import { RecordingReader, RecordingError, asRecordingError } from './reader.js';
import { StopRenderer } from './render.js';

/** Whether `path` is an SQLite file (a recording, or meant to be one). */
export function looksLikeRecording(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/** The recording's trace as `strace -f -o FILE` writes it. */
export function recordingAsStraceText(path: string): { text: string; warnings: string[] } {
  let reader: RecordingReader;
  try {
    reader = new RecordingReader(path);
  } catch (e) {
    const r = asRecordingError(path, e);
    throw r instanceof RecordingError ? new InputError(r.message) : r;
  }
  const warnings: string[] = [];
  const at = reader.incompleteAt();
  if (at !== undefined) warnings.push(`${path}: recording is incomplete; compared up to stop ${at}`);
  const lines: string[] = [];
  try {
    const renderer = new StopRenderer(parseTraceArgs(['-f', '-o', path, path]), reader, (l) => lines.push(l));
    for (const s of reader.iterateStops()) renderer.stop(s);
  } finally {
    reader.close();
  }
  return { text: lines.join('\n') + '\n', warnings };
}

export async function loadRecording(path: string, normalizer: Normalizer, interner: Interner): Promise<LoadedLog> {
  const { text, warnings } = recordingAsStraceText(path);
  const loaded = await loadEvents({ label: path, kind: 'events', files: [{ path }] }, parseStraceText(text), normalizer, interner);
  return { ...loaded, warnings: [...loaded.warnings, ...warnings] };
}
