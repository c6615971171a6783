/**
 * Line splitting for import files. It ends lines where `node:readline` with
 * `crlfDelay: Infinity` ends them (CR LF, LF or a lone CR), but yields all the
 * lines of a chunk at once: one `await` per line costs more than parsing a
 * short line.
 */
import type { Readable } from 'node:stream';

const LINE_BREAK = /\r\n|\n|\r/;

/** Yield the lines of `input` in groups, without line breaks and without a UTF-8 byte order mark. */
export async function* readLineGroups(input: Readable): AsyncGenerator<string[]> {
  input.setEncoding('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of input as AsyncIterable<string>) {
    let text = rest + chunk;
    if (first && text !== '') {
      if (text.startsWith('\uFEFF')) text = text.slice(1);
      first = false;
    }
    // A CR at the end of a chunk may be the first half of a CR LF, so it waits for the next chunk.
    const heldCarriageReturn = text.endsWith('\r');
    if (heldCarriageReturn) text = text.slice(0, -1);
    const lines = text.split(LINE_BREAK);
    rest = lines.pop()! + (heldCarriageReturn ? '\r' : '');
    if (lines.length > 0) yield lines;
  }
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest !== '') yield [rest];
}
