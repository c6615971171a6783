/**
 * Query-parameter binding for the test endpoint, with the semantics of the
 * ClickHouse HTTP interface: each `param_NAME` URL value is text in the
 * "Escaped" (TabSeparated) format, parsed as the type written in the
 * `{NAME:Type}` placeholder. The endpoint rewrites each placeholder into
 * `CAST('<text>' AS Type)` before the query reaches chDB, because chDB's own
 * binding escapes backslashes a second time inside arrays and maps.
 */

/** A ClickHouse exception with its numeric code and name, as the server reports it. */
export class EndpointError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly codeName: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;

/** Types whose text value is a bare string, which the Escaped format unescapes once. */
const STRING_TYPE = /^(?:LowCardinality\()?(?:Nullable\()?(?:String|FixedString\(\d+\))\)?\)?$/;

/** Replaces every `{name:Type}` placeholder; throws code 456 when a parameter is missing, as the server does. */
export function bindQueryParameters(sql: string, params: ReadonlyMap<string, string>): string {
  if (params.size === 0 && !sql.includes('{')) return sql;
  return sql.replace(PLACEHOLDER, (placeholder, name: string, type: string) => {
    const value = params.get(name);
    if (value === undefined) {
      throw new EndpointError(456, `Substitution \`${name}\` is not set`, 'UNKNOWN_QUERY_PARAMETER');
    }
    const compactType = type.replace(/\s+/g, '');
    if (compactType === 'Identifier') return `\`${unescapeText(value).replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
    if (value === '\\N' && compactType.includes('Nullable(')) return `CAST(NULL AS ${type})`;
    const text = STRING_TYPE.test(compactType) ? unescapeText(value) : value;
    return `CAST(${quoteString(text)} AS ${type})`;
  });
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0' };

/** Reverses the Escaped format: `\t` is a tab, `\\` a backslash, and `\x` for any other x is x. */
export function unescapeText(text: string): string {
  return text.replace(/\\(.)/gs, (_, character: string) => ESCAPES[character] ?? character);
}

function quoteString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
