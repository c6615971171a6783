/**
 * A child process for the concurrency tests, with two modes.
 * - `insert PATH COUNT PREFIX` opens the store and inserts COUNT records, one
 *   insert call each, as `send` does.
 * - `hold PATH MS` takes the write lock with BEGIN IMMEDIATE, prints
 *   "locked", keeps the lock for MS milliseconds and commits.
 */
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../../src/store/sqlite/repository.js';
import { sampleRecord } from './records.js';

const [mode, path, arg1, arg2] = process.argv.slice(2);

if (mode === 'insert') {
  const repository = new SQLiteRepository(path!);
  await repository.init();
  const count = Number(arg1);
  let inserted = 0;
  for (let index = 0; index < count; index += 1) {
    const result = await repository.insert([sampleRecord({ id: `${arg2}-${index}`, requestId: `req_${arg2}_${index}` })]);
    inserted += result.inserted;
  }
  await repository.close();
  process.stdout.write(`inserted ${inserted}\n`);
} else if (mode === 'hold') {
  const db = new Database(path!);
  db.exec('BEGIN IMMEDIATE');
  process.stdout.write('locked\n');
  await new Promise((resolve) => setTimeout(resolve, Number(arg1)));
  db.exec('COMMIT');
  db.close();
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
