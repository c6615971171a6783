/**
 * Writing result files. Each file is written to a temporary name and renamed
 * into place, so a failed or interrupted write never leaves half a baseline.
 * Output paths are checked before a run starts, so a typo costs no API calls.
 */
import { constants } from 'node:fs';
import { access, appendFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, OperationError } from '../core/errors.js';

/**
 * Reject an output path that cannot be written: empty, a directory, or inside
 * a directory that is missing, not a directory or not writable (exit 2).
 * `label` names the option, such as `--junit`.
 */
export async function checkOutputPath(path: string, label: string): Promise<void> {
  if (path.trim() === '') throw new InputError(`invalid ${label} "": name the file to write`);
  const target = await statOrError(path);
  if (!(target instanceof Error) && target.isDirectory()) {
    throw new InputError(`invalid ${label} ${path}: it is a directory; name a file to write`);
  }

  const parent = dirname(resolve(path));
  const directory = await statOrError(parent);
  if (directory instanceof Error) {
    if ((directory as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`invalid ${label} ${path}: directory ${parent} does not exist; create it or name another path`);
    }
    throw new InputError(`invalid ${label} ${path}: ${parent} is not a directory (${describeFileError(directory)}); name another path`);
  }
  if (!directory.isDirectory()) throw new InputError(`invalid ${label} ${path}: ${parent} is not a directory; name another path`);
  try {
    await access(parent, constants.W_OK);
  } catch {
    throw new InputError(`invalid ${label} ${path}: directory ${parent} is not writable; name another path`);
  }
}

async function statOrError(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    return error as Error;
  }
}

/** Describe a file system error by its code, without the temporary file's name that Node puts in the message. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    case 'EISDIR':
      return 'the path is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? (error as Error).message;
  }
}

/** Write `text` to `path` atomically; `label` names the option or output in an error, such as `--junit`. */
export async function writeFileAtomic(path: string, text: string, label: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OperationError(`writing ${label} ${path} failed: ${describeFileError(error)}; check that the directory exists and is writable`, {
      cause: error,
    });
  }
}

/** Append the Markdown summary to the GitHub Actions job summary file, when the runner set one. */
export async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): Promise<string | null> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return null;
  try {
    await appendFile(path, `${markdown}\n`, 'utf8');
  } catch (error) {
    throw new OperationError(`appending the summary to GITHUB_STEP_SUMMARY (${path}) failed: ${(error as Error).message}`, { cause: error });
  }
  return path;
}
