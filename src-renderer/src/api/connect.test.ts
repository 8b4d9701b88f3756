// The page's WebSocket to the host, with a fake socket and a fake clock: calls wait for an open
// socket, a drop fails what was in flight and is said, and reconnecting backs off until the
// host answers again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webSocketTransport } from './connect';
import { CONNECTION_LOST, connection, onReconnected, reconnectDelay } from './connection';

class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  static made: FakeSocket[] = [];
  readyState = 0;
  readonly sent: Array<{ id: number; method: string }> = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  drop(): void {
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
  answer(id: number, result: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ id, result }) }));
  }
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the WebSocket transport', () => {
  it('waits for the socket, fails calls in flight when it drops, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const reconnected = vi.fn();
    onReconnected(reconnected);
    const transport = webSocketTransport('ws://host/api');
    const socket = () => FakeSocket.made.at(-1)!;

    const early = transport.call('getAppInfo', []);
    await vi.advanceTimersByTimeAsync(0);
    expect(socket().sent).toEqual([]);
    socket().open();
    await vi.advanceTimersByTimeAsync(0);
    socket().answer(socket().sent[0]!.id, 'info');
    await expect(early).resolves.toBe('info');
    expect(reconnected).not.toHaveBeenCalled();

    const inFlight = transport.call('hash', [[]]);
    await vi.advanceTimersByTimeAsync(0);
    socket().drop();
    await expect(inFlight).rejects.toThrow(CONNECTION_LOST);
    expect(connection.lost).toBe(true);

    // Made while the host is down: it waits for the next socket.
    const waiting = transport.call('getAppInfo', []);
    await vi.advanceTimersByTimeAsync(reconnectDelay(0));
    expect(FakeSocket.made).toHaveLength(2);
    socket().drop(); // the host is still down
    await vi.advanceTimersByTimeAsync(reconnectDelay(1) - 1);
    expect(FakeSocket.made).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.made).toHaveLength(3);
    socket().open();
    expect(connection.lost).toBe(false);
    expect(reconnected).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(0);
    socket().answer(socket().sent[0]!.id, 'again');
    await expect(waiting).resolves.toBe('again');
  });

  it('backs off to at most one attempt every 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(reconnectDelay)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
});
