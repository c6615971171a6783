import type { Logger } from '../../core/logger.js';
import { OperationError } from '../../core/errors.js';
import type { RepositoryAdapter } from '../repository.js';

// Placeholder until the ClickHouse store lands.
export class ClickHousePromptLogRepository {
  static fromUrl(_url: string, _options: { logger: Logger; env: NodeJS.ProcessEnv }): RepositoryAdapter {
    throw new OperationError('the ClickHouse store is not built yet');
  }
}
