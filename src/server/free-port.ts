import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 right now, for a server whose own URL must be known before it starts (the .qwc AppURL
 * is written from PUBLIC_URL). Another process could take it in between; callers here start at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}
