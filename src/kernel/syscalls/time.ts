// Clocks and sleeps, passed to the host (a recording keeps their results for replay).
import { HOST } from '../../../packages/host-syscall/src/index.js';
import { passToHost as pass } from './host-pass.js';
import { full, type SyscallTable } from './types.js';

const TIMESPEC = 16;

export const TIME_SYSCALLS: SyscallTable = {
  clock_gettime: full(pass(HOST.clock_gettime, [[1, TIMESPEC, 'out']])),
  clock_getres: full(pass(HOST.clock_getres, [[1, TIMESPEC, 'out']])),
  gettimeofday: full(pass(HOST.gettimeofday, [[0, 16, 'out'], [1, 8, 'out']])),
  time: full(pass(201, [[0, 8, 'out']])),
  nanosleep: full(pass(HOST.nanosleep, [[0, TIMESPEC, 'in'], [1, TIMESPEC, 'out']])),
  clock_nanosleep: full(pass(HOST.clock_nanosleep, [[2, TIMESPEC, 'in'], [3, TIMESPEC, 'out']])),
  getrusage: full(pass(98, [[1, 144, 'out']])),
  times: full(pass(100, [[0, 32, 'out']])),
};
