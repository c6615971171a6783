// Copies the data files that tsc does not emit (price table, dashboard assets) into dist/.
import { cpSync, existsSync } from 'node:fs';

const assets = [
  ['src/pricing/prices.json', 'dist/pricing/prices.json'],
  ['src/dashboard/static', 'dist/dashboard/static'],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
