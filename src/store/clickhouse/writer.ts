/**
 * The write buffer of the ClickHouse store. Rows wait here until a batch is
 * full or the flush interval has passed, then go out in one INSERT. While any
 * row waits or is on its way, process exit moves the rows to the spool
 * synchronously, so no handler that ends the process can lose them. The next
 * run or `anthrotrace flush` delivers them. SIGINT and SIGTERM, when
 * no other handler of the command takes them, first send the buffer for up
 * to SIGNAL_DELIVERY_MS and spool only what is still unsent.
 */
import type { InsertRow } from './rows.js';

export interface BatchWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Sends one batch; must not throw (a failed batch goes to the spool inside). */
  deliver(rows: InsertRow[]): Promise<void>;
  /** Saves rows to the spool synchronously. */
  spoolSync(rows: InsertRow[]): void;
  /** Called synchronously just before a signal ends the process, after the unsent rows were spooled. */
  beforeSignalExit(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** How long a signal waits for the buffered rows to reach ClickHouse before the rest is spooled and the process ends. */
const SIGNAL_DELIVERY_MS = 2000;

/** The signal handlers of every BatchWriter in the process, which must not count as a command's own handlers. */
const writerSignalHandlers = new Set<(signal: NodeJS.Signals) => void>();

export class BatchWriter {
  private pending: InsertRow[] = [];
  private readonly inFlight = new Set<InsertRow[]>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private hooked = false;
  private signalled = false;

  constructor(private readonly options: BatchWriterOptions) {}

  get size(): number {
    let count = this.pending.length;
    for (const batch of this.inFlight) count += batch.length;
    return count;
  }

  /** Buffers rows; sends full batches before returning. */
  async add(rows: InsertRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.pending.push(...rows);
    this.hook();
    if (this.pending.length >= this.options.batchSize) await this.flush();
    else this.arm();
  }

  /** Sends every buffered row, in batches of `batchSize`, one batch at a time. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending;
    this.pending = [];
    const run = this.chain.then(async () => {
      for (let start = 0; start < rows.length; start += this.options.batchSize) {
        const batch = rows.slice(start, start + this.options.batchSize);
        this.inFlight.add(batch);
        try {
          await this.options.deliver(batch);
        } finally {
          this.inFlight.delete(batch);
        }
      }
      this.unhookWhenIdle();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private arm(): void {
    if (this.timer) return;
    // unref: a waiting batch alone does not keep the process alive; the exit hook spools it instead.
    this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Moves every waiting and in-flight row to the spool; in-flight rows may then arrive twice, which reads collapse. */
  private spoolAllSync(): void {
    const rows = [...this.pending];
    for (const batch of this.inFlight) rows.push(...batch);
    this.pending = [];
    this.inFlight.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (rows.length > 0) this.options.spoolSync(rows);
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    // Another handler (a command's own) decides how the process ends: the command then closes the store, which sends
    // the buffer, or exits, and the exit hook spools it.
    if (process.listeners(signal).some((listener) => !writerSignalHandlers.has(listener as (signal: NodeJS.Signals) => void))) return;
    const end = (): void => {
      this.spoolAllSync();
      this.unhook();
      this.options.beforeSignalExit();
      process.kill(process.pid, signal);
    };
    // A second signal during the wait ends the process at once.
    if (this.signalled) return end();
    this.signalled = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_DELIVERY_MS));
    // flush() unhooks when it empties the buffer, so re-raising the signal then ends the process as it would alone.
    void Promise.race([this.flush().catch(() => undefined), timeout]).finally(end);
  };

  private readonly onExit = (): void => {
    this.spoolAllSync();
  };

  private hook(): void {
    if (this.hooked) return;
    this.hooked = true;
    writerSignalHandlers.add(this.onSignal);
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on('exit', this.onExit);
  }

  private unhook(): void {
    if (!this.hooked) return;
    this.hooked = false;
    writerSignalHandlers.delete(this.onSignal);
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    process.off('exit', this.onExit);
  }

  private unhookWhenIdle(): void {
    if (this.pending.length === 0 && this.inFlight.size === 0) this.unhook();
  }
}
