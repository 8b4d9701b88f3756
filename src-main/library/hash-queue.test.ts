import { describe, expect, it } from 'vitest';
import { HashQueue } from './hash-queue';

describe('HashQueue', () => {
  it('takes roots in turn, a limited root one file at a time', () => {
    const queue = new HashQueue((root) => (root === '/nas' ? 1 : Infinity));
    queue.push('/nas', ['/nas/1', '/nas/2', '/nas/3']);
    queue.push('/local', ['/local/1', '/local/2', '/local/3']);
    const taken = [queue.take(), queue.take(), queue.take(), queue.take()].map((t) => t?.path);
    // The NAS gets one read; the local root fills the rest.
    expect(taken).toEqual(['/nas/1', '/local/1', '/local/2', '/local/3']);
    expect(queue.take()).toBeUndefined(); // only NAS files wait, and one is in flight
    expect(queue.inFlightByRoot()).toEqual(new Map([['/nas', 1], ['/local', 3]]));
    queue.done('/nas');
    expect(queue.take()).toEqual({ root: '/nas', path: '/nas/2' });
    expect(queue.size).toBe(1);
    expect(queue.clear()).toEqual(['/nas/3']);
    expect(queue.size).toBe(0);
  });

  it('counts what each root has left, waiting or in flight', () => {
    const queue = new HashQueue((root) => (root === '/nas' ? 1 : Infinity));
    queue.push('/nas', ['/nas/1', '/nas/2', '/nas/3']);
    queue.push('/local', ['/local/1']);
    queue.take();
    queue.take();
    expect(queue.remainingByRoot()).toEqual(new Map([['/nas', 3], ['/local', 1]]));
    queue.done('/local');
    expect(queue.remainingByRoot()).toEqual(new Map([['/nas', 3]]));
  });

  it('keeps order through a long queue without shifting its array', () => {
    const queue = new HashQueue(() => Infinity);
    const paths = Array.from({ length: 20_000 }, (_, i) => `/p/${i}`);
    queue.push('/p', paths);
    const out: string[] = [];
    for (let t = queue.take(); t; t = queue.take()) out.push(t.path);
    expect(out).toEqual(paths);
  });
});
