/**
 * Terminal column width of a string, following the rules of string-width 4
 * (the measure cli-table3 0.6 uses), so hand-drawn tables line up the same
 * way: control characters and combining diacritics take no column, East Asian
 * wide and fullwidth characters and emoji take two.
 */

// Emoji sequences (with variation selector or zero-width joiner) count as one wide character.
// NOTE: string-width matches emoji with the emoji-regex package; Extended_Pictographic is close to it,
// but a rare symbol may measure one column differently.
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;
// Only characters outside printable ASCII need the slow path.
const NON_ASCII = /[^\x20-\x7e]/;

/** Return how many terminal columns `text` takes on one line. */
export function displayWidth(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;

  const withoutEmoji = text.replace(EMOJI, '  ');
  let width = 0;
  for (const character of withoutEmoji) {
    const code = character.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) continue;
    if (code >= 0x300 && code <= 0x36f) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

/** East Asian Wide and Fullwidth ranges as string-width 4 (is-fullwidth-code-point 3) lists them. */
function isWide(code: number): boolean {
  if (code < 0x1100) return false;
  return (
    code <= 0x115f ||
    code === 0x2329 ||
    code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
    (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) ||
    (code >= 0xa960 && code <= 0xa97c) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
