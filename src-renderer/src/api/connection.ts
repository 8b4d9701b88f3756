// Whether the page reaches main right now. Only the host's WebSocket can drop (Electron's IPC
// lives as long as the window): while it is down a banner says so and file actions wait, and
// once it is back the folders are watched again (a restarted host watches nothing).
import { reactive } from 'vue';

export const connection = reactive({ lost: false });

/** What a call in flight fails with when the connection drops. */
export const CONNECTION_LOST = 'connection to Doppel lost';

const reconnected = new Set<() => void>();

/** Runs `listener` each time the connection comes back after being lost. */
export function onReconnected(listener: () => void): void {
  reconnected.add(listener);
}

export function connectionLost(): void {
  connection.lost = true;
}

export function connectionBack(): void {
  if (!connection.lost) return;
  connection.lost = false;
  for (const listener of reconnected) listener();
}

/** Waits before the next attempt: quickly at first (a restart takes seconds), then at most
 *  every 5 s so a host that stays down is not hammered. */
export function reconnectDelay(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5_000);
}
