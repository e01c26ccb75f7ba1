import type { ServerResponse } from 'node:http';
import { formatEvent, formatRetry, HEARTBEAT, type SseEvent } from './sse-format.js';

export interface ConnectionLimits {
  /** Bytes the socket may hold unsent before the client counts as not reading and is cut off. */
  maxBufferBytes: number;
  /** How long a backlog waits for the socket to drain before the client is cut off. */
  drainTimeoutMs: number;
}

/** Why a stream ended; logged, and tested. */
export type EndReason =
  | 'client closed'
  | 'slow client'
  | 'token expired'
  | 'shutting down'
  | 'account deleted'
  | 'signed out'
  | 'read failed';

/**
 * One client's event stream: bounded writes (a client whose socket does not drain is cut off,
 * never buffered without bound), and the ways it ends.
 */
export class StreamConnection {
  private ended: EndReason | undefined;
  private readonly closeListeners = new Set<(reason: EndReason) => void>();

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: ConnectionLimits,
  ) {
    // A client may leave while the request is still authenticated: its close has come and gone.
    if (res.destroyed) this.ended = 'client closed';
    else res.on('close', () => this.finish('client closed'));
  }

  /** Sends the stream's headers. `Connection: close`, so an ended stream frees its socket at once. */
  open(retryMs: number): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'close',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.write(formatRetry(retryMs));
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Calls `listener` once the stream has ended, at once if it already has. */
  onClose(listener: (reason: EndReason) => void): void {
    if (this.ended) listener(this.ended);
    else this.closeListeners.add(listener);
  }

  send(event: SseEvent): void {
    this.write(formatEvent(event));
  }

  heartbeat(): void {
    this.write(HEARTBEAT);
  }

  /** Waits until the socket has taken what was written; cuts the client off if it does not. */
  async drained(): Promise<void> {
    if (!this.isOpen || !this.res.writableNeedDrain) return;
    let timer: NodeJS.Timeout | undefined;
    const took = await new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.limits.drainTimeoutMs);
      this.res.once('drain', () => resolve(true));
      this.res.once('close', () => resolve(true));
    });
    clearTimeout(timer);
    if (!took) this.cutOff();
  }

  /** Ends the stream telling the client when to reconnect (with its Last-Event-ID). */
  endWithRetry(reason: EndReason, retryMs: number): void {
    if (!this.isOpen) return;
    this.res.end(formatRetry(retryMs));
    this.finish(reason);
  }

  /** Ends the stream after a last event, with no `retry:`: reconnecting would not help. */
  endWith(reason: EndReason, event: SseEvent): void {
    if (!this.isOpen) return;
    this.res.end(formatEvent(event));
    this.finish(reason);
  }

  private write(chunk: string): void {
    if (!this.isOpen) return;
    this.res.write(chunk);
    if (this.res.writableLength > this.limits.maxBufferBytes) this.cutOff();
  }

  private cutOff(): void {
    if (!this.isOpen) return;
    this.finish('slow client');
    this.res.destroy();
  }

  private finish(reason: EndReason): void {
    if (this.ended) return;
    this.ended = reason;
    for (const listener of this.closeListeners) listener(reason);
  }
}
