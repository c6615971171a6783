/**
 * The user's configuration file, the third source of a setting after its flag
 * and its environment variable. It is JSON at `$ANTHROTRACE_CONFIG`, else
 * `$XDG_CONFIG_HOME/anthrotrace/config.json` (falling back to `~/.config`),
 * and a missing file means no settings.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

export interface UserConfig {
  /** Same as --store. */
  store?: string;
  /** Same as --pricing. */
  pricing?: string;
  /** False keeps prompt text and reply summaries out of the log, like --no-store-text. */
  storeText?: boolean;
}

const FIELDS: Record<string, { key: keyof UserConfig; type: 'string' | 'boolean' }> = {
  store: { key: 'store', type: 'string' },
  pricing: { key: 'pricing', type: 'string' },
  store_text: { key: 'storeText', type: 'boolean' },
};

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.ANTHROTRACE_CONFIG) return env.ANTHROTRACE_CONFIG;
  const configHome = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'anthrotrace', 'config.json');
}

export function loadUserConfig(env: NodeJS.ProcessEnv): UserConfig {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !env.ANTHROTRACE_CONFIG) return {};
    let problem = code ?? String(error);
    if (code === 'EISDIR') problem = 'it is a directory';
    if (code === 'ENOENT') problem = 'not found';
    const hint = env.ANTHROTRACE_CONFIG ? 'point ANTHROTRACE_CONFIG at a JSON file or unset it' : 'make it a JSON file such as {"store_text": false}, or remove it';
    throw new InputError(`cannot read the config file ${path}: ${problem}; ${hint}`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid JSON in the config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`invalid config file ${path}: expected a JSON object such as {"store_text": false}`);
  }

  const config: UserConfig = {};
  for (const [name, value] of Object.entries(parsed)) {
    const field = FIELDS[name];
    if (!field) {
      throw new InputError(`unknown field "${name}" in the config file ${path}: allowed fields are ${Object.keys(FIELDS).join(', ')}`);
    }
    if (typeof value !== field.type) {
      throw new InputError(`invalid "${name}" in the config file ${path}: expected a ${field.type}, got ${JSON.stringify(value)}`);
    }
    (config as Record<string, unknown>)[field.key] = value;
  }
  return config;
}

/** Whether to store prompt text: `--no-store-text`, then ANTHROTRACE_STORE_TEXT, then the config file, then true. */
export function resolveStoreText(flag: boolean | undefined, env: NodeJS.ProcessEnv, config: UserConfig): boolean {
  if (flag === false) return false;
  const fromEnv = env.ANTHROTRACE_STORE_TEXT;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (/^(1|true|yes|on)$/i.test(fromEnv)) return true;
    if (/^(0|false|no|off)$/i.test(fromEnv)) return false;
    throw new InputError(`invalid ANTHROTRACE_STORE_TEXT ${JSON.stringify(fromEnv)}: use true or false`);
  }
  return config.storeText ?? true;
}
