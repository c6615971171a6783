/**
 * The commit under test, for the records' tags and the result. `git rev-parse
 * HEAD` wins when the working directory is a repository; GITHUB_SHA covers
 * CI checkouts without a .git directory.
 */
import { execFile } from 'node:child_process';

export function currentCommit(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<string | null> {
  const fromEnv = env.GITHUB_SHA && /^[0-9a-f]{7,64}$/i.test(env.GITHUB_SHA) ? env.GITHUB_SHA : null;
  return new Promise((resolve) => {
    // git missing, not a repository, or a repository without commits: fall back to the environment.
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (error, stdout) => {
      const commit = stdout.trim();
      resolve(!error && /^[0-9a-f]{40,64}$/.test(commit) ? commit : fromEnv);
    });
  });
}
