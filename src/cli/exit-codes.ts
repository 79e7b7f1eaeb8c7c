// tstrace's own exit codes: one per kind of bad input, distinct from each other. A traced
// program's own status is passed through as strace does, so these are only used before the
// program runs or when tstrace itself fails.
import type { LoaderErrorKind } from '../loader/elf.js';

export const EXIT = {
  usage: 64,
  notFound: 66,
  isDirectory: 67,
  notElf: 68,
  truncated: 69,
  wrongClass: 70,
  unsupportedMachine: 71,
  unsupportedType: 72,
  permission: 73,
  emulatorMissing: 74,
  internal: 75,
  outputFile: 76,
  badProgramHeaders: 77,
  tooLarge: 78,
  interpreterMissing: 79,
  notRecording: 80,
  corruptRecording: 81,
  newerRecording: 82,
  replayDiverged: 83,
  incompleteRecording: 84,
  badInterpreter: 85,
  noSysroot: 86,
  olderRecording: 87,
} as const;

export const LOADER_EXIT: Readonly<Record<LoaderErrorKind, number>> = {
  'not-found': EXIT.notFound,
  'is-directory': EXIT.isDirectory,
  'not-elf': EXIT.notElf,
  'truncated': EXIT.truncated,
  'wrong-class': EXIT.wrongClass,
  'unsupported-machine': EXIT.unsupportedMachine,
  'unsupported-type': EXIT.unsupportedType,
  'permission': EXIT.permission,
  'bad-program-headers': EXIT.badProgramHeaders,
  'too-large': EXIT.tooLarge,
  'interpreter-missing': EXIT.interpreterMissing,
  'bad-interpreter': EXIT.badInterpreter,
};
