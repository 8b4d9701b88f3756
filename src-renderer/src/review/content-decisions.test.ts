import { describe, expect, it } from 'vitest';
import { resolveByContent } from './content-decisions';

const file = (digest: string, path: string) => ({ digest, path });

describe('resolveByContent', () => {
  it('keeps a decision on its own path while that path holds its content', () => {
    const files = [file('a', '/p/a.jpg'), file('a', '/p/a copy.jpg'), file('b', '/p/b.jpg')];
    expect(resolveByContent([file('a', '/p/a copy.jpg')], files)).toEqual(new Map([[0, '/p/a copy.jpg']]));
  });

  it('follows a renamed or moved file to its new path', () => {
    const files = [file('a', '/p/a.jpg'), file('b', '/p/moved/b.jpg')];
    expect(resolveByContent([file('b', '/p/b.jpg')], files)).toEqual(new Map([[0, '/p/moved/b.jpg']]));
  });

  it('never lets a moved decision take a copy another decision names', () => {
    // Two identical copies, both marked; one was renamed.
    const files = [file('a', '/p/1.jpg'), file('a', '/p/2-renamed.jpg')];
    const marks = [file('a', '/p/2.jpg'), file('a', '/p/1.jpg')];
    expect(resolveByContent(marks, files)).toEqual(
      new Map([
        [1, '/p/1.jpg'],
        [0, '/p/2-renamed.jpg'],
      ]),
    );
  });

  it('drops a decision whose content no file holds', () => {
    expect(resolveByContent([file('gone', '/p/x.jpg')], [file('a', '/p/x.jpg')])).toEqual(new Map());
  });

  it('gives each copy to at most one moved decision', () => {
    const files = [file('a', '/q/1.jpg')];
    const resolved = resolveByContent([file('a', '/p/1.jpg'), file('a', '/p/2.jpg')], files);
    expect([...resolved.values()]).toEqual(['/q/1.jpg']);
  });
});
