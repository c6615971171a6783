import { SQLiteRepository } from '../../src/store/sqlite/repository.js';
import type { PromptRecord } from '../../src/core/record.js';

/** Every record in the SQLite store at `path`, oldest first. */
export async function storedRecords(path: string): Promise<PromptRecord[]> {
  const repository = new SQLiteRepository(path);
  await repository.init();
  const records: PromptRecord[] = [];
  for await (const record of repository.query({}, { order: 'asc' })) records.push(record);
  await repository.close();
  return records;
}
