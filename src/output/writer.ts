/**
 * Buffered writing to stdout with back-pressure, so streamed output
 * (`query --format jsonl` over millions of records) stays in constant memory
 * and does not pay one callback per line.
 */

/** Bytes gathered before a write; large enough to amortise the write call, small enough to keep memory flat. */
const CHUNK_BYTES = 64 * 1024;

export class OutputWriter {
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    // Without a listener, EPIPE would also surface as an uncaught 'error' event.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.closed = true;
    });
  }

  /** Queue text; resolves once the buffer is handed over when it was full. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_BYTES) await this.flush();
  }

  /** Hand over everything queued and wait until the stream accepts more. */
  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.closed) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await new Promise<void>((resolve, reject) => {
      this.stream.write(chunk, (error) => {
        if (!error) return resolve();
        // A closed pipe (`anthrotrace query | head`) means the reader has all it wants.
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
          this.closed = true;
          return resolve();
        }
        reject(error);
      });
    });
  }

  /** Whether the reader closed the pipe, after which writes are dropped. */
  get readerGone(): boolean {
    return this.closed;
  }
}
