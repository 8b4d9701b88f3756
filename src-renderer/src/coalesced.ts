/**
 * Wraps an async task so overlapping calls collapse: while it runs, any number of calls
 * schedule exactly one more run after it (which sees every change made meanwhile). Every
 * caller's promise settles once a run that started after its call has finished.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  const start = (): Promise<void> => {
    running = task().finally(() => (running = undefined));
    return running;
  };
  return () => {
    if (!running) return start();
    again ??= running.catch(() => undefined).then(() => {
      again = undefined;
      return start();
    });
    return again;
  };
}
