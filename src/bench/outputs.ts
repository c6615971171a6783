/**
 * Writing result files. Each file is written to a temporary name and renamed
 * into place, so a failed or interrupted write never leaves half a baseline.
 */
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import { OperationError } from '../core/errors.js';

export async function writeFileAtomic(path: string, text: string, description: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OperationError(`writing the ${description} to ${path} failed: ${(error as Error).message}: check that the directory exists and is writable`, {
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
