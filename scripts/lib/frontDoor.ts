/**
 * What the browser talks to in front of the VS Code server, as VS Code's own `code serve-web` does: it
 * passes every request and WebSocket through, and answers `POST /mint-key` itself.
 *
 * The workbench encrypts the browser's secret storage (where the extension keeps the API token) with a
 * key made of a half kept in the page and a half fetched from `/mint-key`. The bare server answers that
 * with 405, so without this every page load would start signed out.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';

export interface FrontDoor {
  port: number;
  close(): Promise<void>;
}

/** The connection token's cookie, set by the server when the page is opened with `?tkn=`. */
const TOKEN_COOKIE = 'vscode-tkn';

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export async function startFrontDoor(opts: { port: number; serverPort: number; connectionToken: string }): Promise<FrontDoor> {
  // One key for the server's lifetime: the same half on every page load is what keeps the secrets readable.
  const keyHalf = randomBytes(32);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/mint-key') {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
      } else if (cookie(req, TOKEN_COOKIE) !== opts.connectionToken) {
        // The key is worth as much as the token: only a page that was let in gets it.
        res.writeHead(403).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(keyHalf);
      }
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: opts.serverPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('connection', track);
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const upstream = net.connect(opts.serverPort, '127.0.0.1');
    track(upstream);
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
    upstream.once('connect', () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
