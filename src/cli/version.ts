import { readFileSync } from 'node:fs';

export function readPackageVersion(): string {
  const packageUrl = new URL('../../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(packageUrl, 'utf8')) as { version: string };
  return version;
}
