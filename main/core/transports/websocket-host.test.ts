import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../shared/api/client';
import { ApiError } from '../../../shared/api/protocol';
import type { SyncStatus } from '../../../shared/api/views';
import { OFFLINE_STATUS, TEST_SETTINGS, testDispatcher, waitFor } from './test-table';
import { connectApiWebSocket } from './websocket-client';
import {
  API_SUBPROTOCOL,
  MAX_MESSAGE_BYTES,
  apiSubprotocols,
  newLaunchSecret,
  startWebSocketHost,
  type WebSocketHost,
} from './websocket-host';

let staticDir: string;
let host: WebSocketHost;
let core: ReturnType<typeof testDispatcher>;
const secret = newLaunchSecret();

beforeEach(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'topsmile-static-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>TopSmile</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'topsmile-outside.txt'), 'outside');
  core = testDispatcher();
  host = await startWebSocketHost({ dispatcher: core.dispatcher, secret, port: 0, staticDir });
});

afterEach(async () => {
  await host.close();
  rmSync(staticDir, { recursive: true, force: true });
});

/** The HTTP status of a refused upgrade, or 101 when it was accepted. */
function upgradeStatus(protocols: string[], headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(host.apiUrl, protocols, { headers, origin: headers.Origin });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(`${host.origin}${path}`, { headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('WebSocket host: who may connect', () => {
  it('refuses a connection without the secret', async () => {
    expect(await upgradeStatus([API_SUBPROTOCOL], { Origin: host.origin })).toBe(401);
    expect(await upgradeStatus([], { Origin: host.origin })).toBe(401);
  });

  it('refuses a wrong secret, even one of the right length', async () => {
    expect(await upgradeStatus(apiSubprotocols(newLaunchSecret()), { Origin: host.origin })).toBe(
      401,
    );
    expect(await upgradeStatus(apiSubprotocols(secret.slice(1)), { Origin: host.origin })).toBe(
      401,
    );
  });

  it('refuses another origin, or none, even with the secret', async () => {
    const protocols = apiSubprotocols(secret);
    expect(await upgradeStatus(protocols, { Origin: 'http://localhost:5173' })).toBe(403);
    expect(await upgradeStatus(protocols, { Origin: `http://127.0.0.1:${host.port + 1}` })).toBe(
      403,
    );
    expect(await upgradeStatus(protocols)).toBe(403);
    expect(await upgradeStatus(protocols, { Origin: host.origin })).toBe(101);
  });

  it('puts the secret in the page address fragment only', () => {
    expect(host.url).toBe(`${host.origin}/#secret=${secret}`);
    expect(host.apiUrl).toBe(`ws://127.0.0.1:${host.port}/api`);
  });

  it('refuses a secret shorter than 32 bytes', async () => {
    await expect(
      startWebSocketHost({ dispatcher: core.dispatcher, secret: 'short' }),
    ).rejects.toThrow(/32 random bytes/);
  });
});

describe('WebSocket host: the app API', () => {
  it('serves calls and errors end to end through the typed client', async () => {
    const link = await connectApiWebSocket({ apiUrl: host.apiUrl, secret, origin: host.origin });
    const api = createApiClient(link.transport);
    await expect(api.call('settings.get', {})).resolves.toEqual(TEST_SETTINGS);
    const refused = await api.call('patients.search', { text: 'a' }).catch((error) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'not_signed_in' });
    await link.close();
  });

  it('streams subscription events, and ends them when the socket closes', async () => {
    const link = await connectApiWebSocket({ apiUrl: host.apiUrl, secret, origin: host.origin });
    const api = createApiClient(link.transport);
    const seen: SyncStatus[] = [];
    api.subscribe('live.syncStatus', {}, (value) => seen.push(value));
    await waitFor(() => core.live.subscribers === 1);
    core.status.next(OFFLINE_STATUS);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([OFFLINE_STATUS]);
    await link.close();
    await waitFor(() => core.live.subscribers === 0);
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const link = await connectApiWebSocket({ apiUrl: host.apiUrl, secret, origin: host.origin });
    let closed = false;
    link.transport.onClose?.(() => (closed = true));
    link.transport.send({
      type: 'call',
      id: 1,
      method: 'patients.search',
      input: { text: 'x'.repeat(MAX_MESSAGE_BYTES) },
    });
    await waitFor(() => closed);
  });
});

describe('WebSocket host: the renderer files', () => {
  it('serves the built renderer with the CSP that allows only its own socket', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>TopSmile</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port}`,
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await get('/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves files outside the folder, unknown files, or to another Host', async () => {
    expect((await get('/../topsmile-outside.txt')).status).toBe(404);
    expect((await get('/%2e%2e/topsmile-outside.txt')).status).toBe(404);
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/', { Host: `evil.example:${host.port}` })).status).toBe(403);
  });
});
