// Direct delivery of outcomes to renderer windows, over real Node MessagePorts (the same
// interface as Electron's MessagePortMain).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { HashOutcome } from '../../src-core/fingerprint';
import type { PortedOutcome } from '../../src-core/hash-protocol';
import { ResultPorts } from './result-ports';

const outcome: HashOutcome = { ok: false, path: '/photos/a.jpg', error: { kind: 'corrupt', message: 'bad huffman code' } };
const nextMessage = (port: MessagePort) => new Promise<PortedOutcome>((resolve) => port.once('message', resolve));

describe('ResultPorts', () => {
  it('posts each outcome to every connected window and stops when a window goes away', async () => {
    const ports = new ResultPorts();
    expect(ports.deliver(outcome)).toBe(false); // no window: main relays it
    const first = new MessageChannel();
    const second = new MessageChannel();
    ports.add(first.port1);
    ports.add(second.port1);
    const received = Promise.all([nextMessage(first.port2), nextMessage(second.port2)]);
    expect(ports.deliver(outcome)).toBe(true);
    expect(await received).toEqual([{ outcome }, { outcome }]);

    const closed = new Promise((resolve) => first.port1.once('close', resolve));
    first.port2.close();
    await closed;
    const stillOpen = nextMessage(second.port2);
    expect(ports.deliver(outcome)).toBe(true);
    expect(await stillOpen).toEqual({ outcome });
    second.port2.close();
    await new Promise((resolve) => second.port1.once('close', resolve));
    expect(ports.deliver(outcome)).toBe(false);
  });
});
