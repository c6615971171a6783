/**
 * Benchmark suites: the cases a team commits and runs on every change.
 * A suite file (YAML or JSON) has optional `name` and `defaults`, then
 * `cases`; loading and validation live in suite-load.ts.
 */
import { InputError } from '../core/errors.js';
import { quoteExcerpt } from '../output/excerpt.js';

export interface BenchMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** One case for one model, with its variables already filled in. */
export interface BenchCase {
  /** Unique within the suite; `name@model` when the case lists several models. */
  name: string;
  model: string;
  system: string | null;
  messages: BenchMessage[];
  maxTokens: number;
  temperature: number | null;
  category: string | null;
  tags: Record<string, string>;
  repetitions: number;
  /** 1-based line of the case in the suite file, for messages. */
  line: number;
}

export interface BenchSuite {
  name: string;
  /** The path the suite was loaded from. */
  file: string;
  cases: BenchCase[];
}

/** Fields a case may set; `defaults` accepts the same minus `name`, `prompt` and `messages`. */
export const CASE_FIELDS = [
  'name',
  'model',
  'models',
  'system',
  'prompt',
  'messages',
  'max_tokens',
  'temperature',
  'category',
  'tags',
  'repetitions',
  'variables',
] as const;

export const DEFAULT_FIELDS = CASE_FIELDS.filter((field) => field !== 'name' && field !== 'prompt' && field !== 'messages');

export const SUITE_FIELDS = ['name', 'description', 'defaults', 'cases'] as const;

/** Used when neither the case nor `defaults` sets `max_tokens`. */
export const DEFAULT_MAX_TOKENS = 1024;

/** Upper bound on `repetitions`, so a typo cannot start a run of a million paid calls. */
export const MAX_REPETITIONS = 1000;

const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/**
 * Replace every `{{name}}` in `text` with its value. Returns the names that
 * have no value instead of leaving them in place, so the caller can reject
 * the suite.
 */
export function fillVariables(text: string, variables: Record<string, string>): { text: string; undefinedNames: string[] } {
  const undefinedNames: string[] = [];
  const filled = text.replace(VARIABLE_PATTERN, (whole, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      undefinedNames.push(name);
      return whole;
    }
    return value;
  });
  return { text: filled, undefinedNames };
}

/** Parse `--var key=value` flags; the value may itself contain `=`. */
export function parseVariableFlags(flags: string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const key = equals > 0 ? flag.slice(0, equals) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(`invalid --var ${quoteExcerpt(flag)}: use NAME=VALUE, where NAME starts with a letter or _`);
    }
    variables[key] = flag.slice(equals + 1);
  }
  return variables;
}
