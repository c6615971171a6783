/**
 * Short, printable quotes of user values for error messages, so a value read
 * from a binary or huge file does not flood the terminal.
 */

/** Characters of a value quoted at most; longer values end with `…`. */
export const EXCERPT_CHARS = 60;

/** Quote the first EXCERPT_CHARS characters of `text` as a JSON string, with control characters escaped. */
export function quoteExcerpt(text: string): string {
  const characters = Array.from(text);
  const cut = characters.length > EXCERPT_CHARS;
  const head = characters.slice(0, EXCERPT_CHARS).join('');
  // JSON.stringify escapes C0 controls; also escape DEL, C1 controls and the replacement character of undecodable bytes.
  const quoted = JSON.stringify(head).replace(/[\u007f-\u009f\ufffd]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return cut ? `${quoted.slice(0, -1)}…"` : quoted;
}
