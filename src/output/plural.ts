/** Write a count with its noun, adding `s` unless the count is 1: `1 case`, `3 cases`, `0 calls`. */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
