/**
 * Loading and validating suite files. YAML and JSON both go through the
 * `yaml` parser (JSON is a subset of YAML 1.2), so every error can name the
 * file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { quoteExcerpt } from '../output/excerpt.js';
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import { InputError } from '../core/errors.js';
import {
  CASE_FIELDS,
  DEFAULT_FIELDS,
  DEFAULT_MAX_TOKENS,
  MAX_REPETITIONS,
  SUITE_FIELDS,
  fillVariables,
  type BenchCase,
  type BenchMessage,
  type BenchSuite,
} from './suite.js';

type Path = (string | number)[];
type Fields = Record<string, unknown>;

export interface LoadSuiteOptions {
  /** Values from `--var`; they override the suite's own variables. */
  variables?: Record<string, string>;
}

function suiteReadMessage(file: string, error: NodeJS.ErrnoException): string {
  const advice = 'pass the path of a YAML or JSON suite, such as fixtures/bench/smoke.yaml';
  if (error.code === 'ENOENT') return `suite file ${file} not found: ${advice}`;
  if (error.code === 'EISDIR') return `suite file ${file} is a directory: ${advice}`;
  return `cannot read suite file ${file}: ${error.message}; ${advice}`;
}

export async function loadSuite(file: string, options: LoadSuiteOptions = {}): Promise<BenchSuite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(suiteReadMessage(file, error as NodeJS.ErrnoException), { cause: error });
  }
  return parseSuite(text, file, options);
}

/** Parse and validate suite text; `file` is used only in messages and the result. */
export function parseSuite(text: string, file: string, options: LoadSuiteOptions = {}): BenchSuite {
  const reader = new SuiteReader(text, file);
  const root = reader.map([], 'the suite');
  reader.checkFields(root, [], SUITE_FIELDS);

  const defaults = root.defaults === undefined ? {} : reader.map(['defaults'], 'defaults');
  reader.checkFields(defaults, ['defaults'], DEFAULT_FIELDS);

  if (!Array.isArray(root.cases) || root.cases.length === 0) {
    reader.fail(['cases'], 'cases must be a non-empty list of cases');
  }
  const cases: BenchCase[] = [];
  const seen = new Map<string, number>();
  (root.cases as unknown[]).forEach((_, index) => {
    for (const benchCase of reader.readCase(index, defaults, options.variables ?? {})) {
      const earlier = seen.get(benchCase.name);
      if (earlier !== undefined) {
        reader.fail(['cases', index, 'name'], `duplicate case name ${quoteExcerpt(benchCase.name)}, already used on line ${earlier}: give each case a unique name`);
      }
      seen.set(benchCase.name, benchCase.line);
      cases.push(benchCase);
    }
  });

  const name = root.name === undefined ? basenameWithoutExtension(file) : reader.string(['name'], root.name);
  return { name, file, cases };
}

class SuiteReader {
  private readonly lines = new LineCounter();
  private readonly document: Document;
  readonly data: unknown;

  constructor(text: string, readonly file: string) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const [first] = this.document.errors;
    if (first) {
      const line = this.lines.linePos(first.pos[0]).line;
      // The parser's message may quote the offending text, which can be binary: keep it short and printable.
      // Drop the excerpt's outer quotes and undo its escaping of quotes and backslashes, which the message does not need.
      const reason = quoteExcerpt(first.message.split('\n')[0] ?? '')
        .slice(1, -1)
        .replace(/\\(["\\])/g, '$1');
      throw new InputError(`invalid suite ${file}:${line}: ${reason}: fix the YAML or JSON syntax`);
    }
    this.data = this.document.toJS();
  }

  /** Return the 1-based line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: Path): number {
    for (let length = path.length; length >= 0; length--) {
      const node = this.document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  /** Return the 1-based line of the key that ends `path`, falling back to its value's line. */
  keyLineOf(path: Path): number {
    const parent = this.document.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return this.lineOf(path);
  }

  fail(path: Path, message: string, line = this.lineOf(path)): never {
    throw new InputError(`invalid suite ${this.file}:${line}: ${message}`);
  }

  map(path: Path, description: string): Fields {
    const value = path.reduce<unknown>((parent, key) => (parent as Record<string | number, unknown>)?.[key], this.data);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `${description} must be a mapping of fields, got ${describe(value)}`);
    }
    return value as Fields;
  }

  checkFields(fields: Fields, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(fields)) {
      if (!allowed.includes(key)) {
        // An unknown field is reported on its key's line, because its value may start on a later line.
        this.fail([...path, key], `unknown field ${fieldName([...path, key])}: allowed fields are ${allowed.join(', ')}`, this.keyLineOf([...path, key]));
      }
    }
  }

  string(path: Path, value: unknown): string {
    if (typeof value !== 'string' || value === '') this.fail(path, `${fieldName(path)} must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  integer(path: Path, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `${fieldName(path)} must be an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  }

  /** Read a mapping whose values are strings, numbers or booleans, converting each value to a string. */
  stringMap(path: Path, value: unknown): Record<string, string> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `${fieldName(path)} must be a mapping of names to text, got ${describe(value)}`);
    }
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(value as Fields)) {
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        this.fail([...path, key], `${fieldName([...path, key])} must be text, a number or a boolean, got ${describe(item)}`);
      }
      result[key] = String(item);
    }
    return result;
  }

  /** Read case `index`, one `BenchCase` per model. */
  readCase(index: number, defaults: Fields, flagVariables: Record<string, string>): BenchCase[] {
    const path: Path = ['cases', index];
    const fields = this.map(path, `${fieldName(path)}`);
    this.checkFields(fields, path, CASE_FIELDS);
    const line = this.lineOf(path);
    const name = this.string([...path, 'name'], fields.name);

    // A field set on the case wins over `defaults`; `from` is the path used in messages.
    const pick = (field: string): { value: unknown; from: Path } =>
      fields[field] !== undefined ? { value: fields[field], from: [...path, field] } : { value: defaults[field], from: ['defaults', field] };

    const models = this.readModels(path, fields, defaults, name);
    const variables = {
      ...(defaults.variables === undefined ? {} : this.stringMap(['defaults', 'variables'], defaults.variables)),
      ...(fields.variables === undefined ? {} : this.stringMap([...path, 'variables'], fields.variables)),
      ...flagVariables,
    };
    const fill = (from: Path, text: string): string => {
      const { text: filled, undefinedNames } = fillVariables(text, variables);
      if (undefinedNames.length > 0) {
        const missing = undefinedNames[0]!;
        this.fail(from, `${fieldName(from)} uses {{${missing}}}, which is not defined: add it under variables or pass --var ${missing}=VALUE`);
      }
      return filled;
    };

    const system = pick('system');
    const maxTokens = pick('max_tokens');
    const temperature = pick('temperature');
    const category = pick('category');
    const repetitions = pick('repetitions');
    const tags = {
      ...(defaults.tags === undefined ? {} : this.stringMap(['defaults', 'tags'], defaults.tags)),
      ...(fields.tags === undefined ? {} : this.stringMap([...path, 'tags'], fields.tags)),
    };
    const shared = {
      system: system.value === undefined ? null : fill(system.from, this.string(system.from, system.value)),
      messages: this.readMessages(path, fields, fill),
      maxTokens: maxTokens.value === undefined ? DEFAULT_MAX_TOKENS : this.integer(maxTokens.from, maxTokens.value, 1, 1_000_000),
      temperature: temperature.value === undefined ? null : this.temperature(temperature.from, temperature.value),
      category: category.value === undefined ? null : this.string(category.from, category.value),
      tags,
      repetitions: repetitions.value === undefined ? 1 : this.integer(repetitions.from, repetitions.value, 1, MAX_REPETITIONS),
      line,
    };
    return models.map((model) => ({ ...shared, name: models.length > 1 ? `${name}@${model}` : name, model }));
  }

  private readModels(path: Path, fields: Fields, defaults: Fields, name: string): string[] {
    const source = fields.model !== undefined || fields.models !== undefined ? { fields, at: path } : { fields: defaults, at: ['defaults'] as Path };
    if (source.fields.model !== undefined && source.fields.models !== undefined) {
      this.fail([...source.at, 'models'], `${fieldName(source.at)} sets both model and models: keep one`);
    }
    if (source.fields.model !== undefined) return [this.string([...source.at, 'model'], source.fields.model)];
    if (source.fields.models === undefined) {
      this.fail(path, `case ${quoteExcerpt(name)} has no model: set model or models in the case or in defaults`);
    }
    const list = source.fields.models;
    if (!Array.isArray(list) || list.length === 0) {
      this.fail([...source.at, 'models'], `${fieldName([...source.at, 'models'])} must be a non-empty list of model ids, got ${describe(list)}`);
    }
    return list.map((model, index) => this.string([...source.at, 'models', index], model));
  }

  private readMessages(path: Path, fields: Fields, fill: (from: Path, text: string) => string): BenchMessage[] {
    if (fields.prompt !== undefined && fields.messages !== undefined) {
      this.fail([...path, 'messages'], `${fieldName(path)} sets both prompt and messages: keep one`);
    }
    if (fields.prompt !== undefined) {
      const from = [...path, 'prompt'];
      return [{ role: 'user', content: fill(from, this.string(from, fields.prompt)) }];
    }
    if (fields.messages === undefined) this.fail(path, `${fieldName(path)} has no prompt: set prompt or messages`);
    const list = fields.messages;
    if (!Array.isArray(list) || list.length === 0) {
      this.fail([...path, 'messages'], `${fieldName([...path, 'messages'])} must be a non-empty list of {role, content}, got ${describe(list)}`);
    }
    return list.map((_, index) => {
      const at = [...path, 'messages', index];
      const message = this.map(at, fieldName(at));
      this.checkFields(message, at, ['role', 'content']);
      if (message.role !== 'user' && message.role !== 'assistant') {
        this.fail([...at, 'role'], `${fieldName([...at, 'role'])} must be user or assistant, got ${describe(message.role)}`);
      }
      return { role: message.role, content: fill([...at, 'content'], this.string([...at, 'content'], message.content)) };
    });
  }

  private temperature(path: Path, value: unknown): number {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      this.fail(path, `${fieldName(path)} must be a number from 0 to 1, got ${describe(value)}`);
    }
    return value;
  }
}

/** `cases[2].max_tokens` for the path `['cases', 2, 'max_tokens']`. */
function fieldName(path: Path): string {
  if (path.length === 0) return 'the suite';
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name === '' ? part : `.${part}`;
  }
  return name;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  // Strings may be long or binary; the other scalars (numbers, booleans, null) are short.
  return typeof value === 'string' ? quoteExcerpt(value) : JSON.stringify(value);
}

function basenameWithoutExtension(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(ya?ml|json)$/i, '');
}
