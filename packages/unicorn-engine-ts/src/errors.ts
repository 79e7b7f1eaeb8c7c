// The binding's error types: Unicorn's uc_err codes, a library that cannot be used, host calls.
import { UC_ERR_NAMES } from './consts.js';

/** A Unicorn call that returned something other than UC_ERR_OK. */
export class UnicornError extends Error {
  /** The uc_err value. */
  readonly code: number;
  /** Its UC_ERR_* name, for example 'UC_ERR_MAP'. */
  readonly codeName: string;
  /** The Unicorn function that failed, for example 'uc_mem_map'. */
  readonly op: string;

  /** @param description uc_strerror's text (or why the call could not be made). */
  constructor(code: number, op: string, description: string) {
    const codeName = UC_ERR_NAMES[code] ?? `UC_ERR_${code}`;
    // uc_strerror's texts already end with the name, for example 'Invalid memory read (UC_ERR_READ_UNMAPPED)'.
    super(description.includes(codeName) ? `${op}: ${description}` : `${op}: ${description} (${codeName})`);
    this.name = 'UnicornError';
    this.code = code;
    this.codeName = codeName;
    this.op = op;
  }
}

/** libunicorn is missing, cannot be loaded, or is not version 2.1.x. The message is one line. */
export class UnicornLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnicornLoadError';
  }
}

/** A host libc call (mmap, madvise, mincore, msync, munmap) behind HostMemory that failed. */
export class HostMemoryError extends Error {
  /** The host errno value. */
  readonly errno: number;
  /** Its name, for example 'ENOMEM' ('' if unknown). */
  readonly code: string;
  /** The libc function, for example 'mmap'. */
  readonly op: string;

  constructor(op: string, errno: number, code: string, description: string) {
    super(`${op}: ${description}${code === '' ? '' : ` (${code})`}`);
    this.name = 'HostMemoryError';
    this.errno = errno;
    this.code = code;
    this.op = op;
  }
}
