// One DoppelApi call from a page of `doppel serve`, over its own WebSocket (the session cookie
// authenticates): how the e2e suites send what a compromised page could send.
import type { Page } from 'playwright-core';

export function callApi(page: Page, method: string, ...args: unknown[]): Promise<{ result?: unknown; error?: string }> {
  return page.evaluate(
    ([m, a]) =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api`);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: m, args: a }));
        ws.onmessage = (e) => {
          const data = JSON.parse(e.data);
          if (data.id === 1) {
            resolve(data);
            ws.close();
          }
        };
      }),
    [method, args] as const,
  ) as Promise<{ result?: unknown; error?: string }>;
}
