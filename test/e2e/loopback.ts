/** Test support for the browser tests: apps served on free loopback ports, and shut down with their sockets. */
import type { Server } from 'node:http';
import type express from 'express';

/** Serves `app` on 127.0.0.1 (`port`, or a free one) and answers the server and its origin. */
export function listen(app: express.Express, port = 0): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    });
    server.once('error', reject);
  });
}

/** Closes the servers; the browser's and fetch's keep-alive sockets would hold them (and jest) open otherwise. */
export async function closeAll(servers: Server[]): Promise<void> {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
}
