import type { Logger } from '../../core/logger.js';
import { OperationError } from '../../core/errors.js';
import type { RepositoryAdapter } from '../repository.js';

// Placeholder until the SQLite store lands.
export class SQLiteRepository {
  constructor(path: string, _options: { logger: Logger }) {
    throw new OperationError(`the SQLite store is not built yet (${path})`);
  }
}
export type _Check = RepositoryAdapter;
