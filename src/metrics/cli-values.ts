/**
 * Parsers for the metrics options given on the command line. Each throws an
 * `InputError` that names the option, echoes the value and states what is accepted.
 */
import { InputError } from '../core/errors.js';

export function parsePort(text: string, option: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new InputError(`invalid ${option} ${JSON.stringify(text)}: use a TCP port from 0 to 65535 (0 picks a free one)`);
  }
  return port;
}

export function parsePositiveInteger(text: string, option: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`invalid ${option} ${JSON.stringify(text)}: use a whole number of at least 1`);
  }
  return value;
}

/** Label names as Prometheus defines them; names starting with `__` are reserved for its internal use. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parse one repeatable `--push-label key=value` into `labels`, rejecting invalid or repeated names. */
export function collectPushLabel(text: string, labels: Record<string, string> = {}): Record<string, string> {
  const separator = text.indexOf('=');
  const name = separator < 0 ? '' : text.slice(0, separator);
  const value = separator < 0 ? '' : text.slice(separator + 1);
  if (!LABEL_NAME.test(name) || name.startsWith('__') || value === '') {
    throw new InputError(
      `invalid --push-label ${JSON.stringify(text)}: use name=value with a name of letters, digits and underscores (not starting with a digit or "__") and a non-empty value`,
    );
  }
  if (name === 'job') throw new InputError(`invalid --push-label ${JSON.stringify(text)}: set the job with --push-job instead`);
  if (name in labels) throw new InputError(`invalid --push-label ${JSON.stringify(text)}: the label ${name} is already given`);
  return { ...labels, [name]: value };
}

/** Check a Pushgateway base URL such as `http://127.0.0.1:9091`. */
export function parsePushgatewayUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`invalid --pushgateway ${JSON.stringify(text)}: use an http or https URL such as http://127.0.0.1:9091`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`invalid --pushgateway ${JSON.stringify(text)}: use an http or https URL such as http://127.0.0.1:9091`);
  }
  return text;
}
