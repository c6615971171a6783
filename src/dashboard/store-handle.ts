/**
 * The dashboard's store connection. It opens lazily and, when opening fails,
 * tries again on the next request, so the page can show the error and recover
 * once the store is back, without a restart.
 */
import { OperationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { plural } from '../output/plural.js';

export class StoreHandle {
  private repository: RepositoryAdapter | null = null;
  private opening: Promise<RepositoryAdapter> | null = null;

  constructor(private readonly open: () => Promise<RepositoryAdapter>) {}

  async get(): Promise<RepositoryAdapter> {
    if (this.repository !== null) return this.repository;
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    try {
      this.repository = await this.opening;
      return this.repository;
    } catch (error) {
      throw new OperationError(`failed to open the store: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const repository = this.repository;
    this.repository = null;
    if (repository !== null) await repository.close();
  }
}

/**
 * Logs failed requests. The page polls every few seconds, so the same failure
 * repeats: a repeat is counted instead of logged, and the count is logged when
 * requests succeed again.
 */
export class FailureLog {
  private lastMessage: string | null = null;
  private repeats = 0;

  constructor(private readonly logger: Logger) {}

  failed(path: string, message: string): void {
    if (message === this.lastMessage) {
      this.repeats += 1;
      return;
    }
    this.logger.error(`${path} failed: ${message}`);
    this.lastMessage = message;
    this.repeats = 0;
  }

  succeeded(): void {
    if (this.lastMessage === null) return;
    this.logger.info(`requests succeed again after ${plural(this.repeats + 1, 'failure')} of: ${this.lastMessage}`);
    this.lastMessage = null;
    this.repeats = 0;
  }
}
