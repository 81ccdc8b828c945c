// Browser mode: the same app API table served to the renderer over a loopback WebSocket, and the
// built renderer itself served over plain HTTP from the same origin.
//
// Who may call: only a page that knows this launch's secret and is served by this host.
//  - The secret (32 random bytes, base64url) travels as a WebSocket subprotocol:
//    `new WebSocket(apiUrl, ['topsmile.v1', 'topsmile.secret.' + secret])`. Not in the URL's
//    query (URLs end up in logs and history); the host answers with `topsmile.v1` only.
//  - The page learns it from the address the core prints, `http://127.0.0.1:<port>/#secret=<s>`:
//    a fragment is never sent to any server, so only whoever was handed the address has it.
//  - The Origin header must be this host's own origin and the Host header its own address, so
//    another local page (or a DNS-rebinding one) cannot connect even if it guessed the port.
// A wrong or missing secret or origin is refused with HTTP 401/403 before the upgrade.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  API_PATH,
  API_SUBPROTOCOL,
  apiSubprotocols,
  SECRET_SUBPROTOCOL_PREFIX,
} from '../../../shared/api/protocol';
import type { Dispatcher } from '../dispatcher';

// Re-exported for the Node-side client and the tests; the page imports them from shared/.
export { API_PATH, API_SUBPROTOCOL, apiSubprotocols, SECRET_SUBPROTOCOL_PREFIX };

/** Largest message a page may send; the biggest real input (a 50,000-character note) fits. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A fresh per-launch secret: 32 random bytes, base64url (valid in a subprotocol token). */
export function newLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface WebSocketHostOptions {
  readonly dispatcher: Dispatcher;
  /** This launch's secret (see `newLaunchSecret`). */
  readonly secret: string;
  readonly host?: '127.0.0.1';
  /** 0 picks a free port. */
  readonly port?: number;
  /** The built renderer (dist/renderer); without it only the API is served. */
  readonly staticDir?: string;
}

export interface WebSocketHost {
  /** The address to open in a browser, with the secret in its fragment. */
  readonly url: string;
  readonly origin: string;
  /** The WebSocket endpoint, `ws://127.0.0.1:<port>/api`. */
  readonly apiUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The same policy as renderer/index.html's meta tag, with this host's own WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Compares in constant time, whatever the lengths (both sides are hashed first). */
function sameSecret(offered: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

function offeredSecret(request: IncomingMessage): string | null {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  const protocols = header.split(',').map((value) => value.trim());
  if (!protocols.includes(API_SUBPROTOCOL)) return null;
  const secret = protocols.find((value) => value.startsWith(SECRET_SUBPROTOCOL_PREFIX));
  return secret ? secret.slice(SECRET_SUBPROTOCOL_PREFIX.length) : null;
}

function refuseUpgrade(socket: Socket, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebSocketHost(options: WebSocketHostOptions): Promise<WebSocketHost> {
  const host = options.host ?? '127.0.0.1';
  if (Buffer.from(options.secret, 'base64url').length < 32) {
    throw new Error('The WebSocket host needs a secret of at least 32 random bytes.');
  }
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: () => API_SUBPROTOCOL,
  });
  const server = createServer((request, response) => serveStatic(request, response));
  let origin = '';
  let ownHost = '';
  let csp = '';

  function serveStatic(request: IncomingMessage, response: ServerResponse): void {
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const fail = (status: number) => {
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(status === 404 ? 'Not found' : 'Refused');
    };
    if (request.headers.host !== ownHost) return fail(403);
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405);
    if (!staticRoot) return fail(404);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', origin).pathname);
    } catch {
      return fail(400);
    }
    const file = resolve(
      staticRoot,
      '.' + (pathname.endsWith('/') ? pathname + 'index.html' : pathname),
    );
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) return fail(404);
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return fail(404);
      size = stat.size;
    } catch {
      return fail(404);
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== API_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (request.headers.origin !== origin || request.headers.host !== ownHost) {
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    const secret = offeredSecret(request);
    if (secret === null || !sameSecret(secret, options.secret)) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const connection = options.dispatcher.connect((message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return;
      }
      connection.handle(parsed);
    });
    ws.on('close', () => connection.close());
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ownHost = `${host}:${port}`;
  origin = `http://${ownHost}`;
  csp = contentSecurityPolicy(port);

  return {
    url: `${origin}/#secret=${options.secret}`,
    origin,
    apiUrl: `ws://${ownHost}${API_PATH}`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
