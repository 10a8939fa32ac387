import { errorMessage } from '../core/util/errorMessage';

/**
 * A failure the user can act on: src/cli/commands.ts prints `offbrowse: ` and
 * the message as one line on stderr (no usage, no stack) and exits with
 * `exitCode`. The message names the input or path and says what to do.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Exit codes besides 0 and 2 (docs: the CLI's error contract). */
export const EXIT_BUG = 70;

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
}

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EIO: 'input/output error',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EFBIG: 'the file is too large',
  EINVAL: 'the operating system refused it (invalid argument)',
};

export function isSystemError(e: unknown): e is SystemError & { code: string } {
  return e instanceof Error && typeof (e as SystemError).code === 'string' && /^E[A-Z]+$/.test((e as SystemError).code!);
}

/** A file system error in words, without Node's code and path (the caller's message names the path). */
export function fsWords(e: unknown): string {
  if (isSystemError(e)) return WORDS[e.code] ?? `${e.code} (${e.syscall ?? 'file system'} failed)`;
  return errorMessage(e);
}
