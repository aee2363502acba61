import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of a fake HR server that can hold requests until the test lets
 * them through: how many HR requests are in flight at once, and in what order, become facts the
 * test controls instead of timings it measures.
 */
export interface GateProxy {
  url: string;
  /** Requests whose path matches are held from now on. */
  close(match?: RegExp): void;
  /** Lets everything held through, and everything after. */
  open(): void;
  /** Requests held right now, and the most ever held at once. */
  held(): number;
  maxHeld(): number;
  /** Resolves once `n` requests are held at the same time. */
  untilHeld(n: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startGateProxy(target: string): Promise<GateProxy> {
  let match: RegExp | undefined;
  let waiting: (() => void)[] = [];
  let max = 0;
  const watchers = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (match?.test(req.url ?? '')) {
      await new Promise<void>((release) => {
        waiting.push(release);
        max = Math.max(max, waiting.length);
        for (const watch of watchers) watch();
      });
    }
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const answer = await fetch(`${target}${req.url}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))));
      res.end(text);
    } catch {
      res.socket?.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    const now = waiting;
    waiting = [];
    for (const go of now) go();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    close: (m = /./) => {
      match = m;
    },
    open: () => {
      match = undefined;
      release();
    },
    held: () => waiting.length,
    maxHeld: () => max,
    untilHeld: (n, timeoutMs = 60_000) =>
      new Promise<void>((ok, fail) => {
        const check = () => {
          if (waiting.length < n) return;
          watchers.delete(check);
          clearTimeout(timer);
          ok();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          fail(new Error(`timed out waiting for ${n} held requests (${waiting.length} held)`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    stop: () =>
      new Promise<void>((ok) => {
        release();
        for (const socket of sockets) socket.destroy();
        server.close(() => ok());
      }),
  };
}
