import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import { createLogger } from './logger';
import {
  createTestClinic,
  loginAs,
  makeTempDir,
  postJson,
  startTestServer,
  TEST_SECRET,
} from '../test-support/harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function captureLogs(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('puts a request id on every line, echoes it, and never logs patient data', async () => {
    const logs = captureLogs();
    const server = await startTestServer({ logger: createLogger('trace', logs.stream) });
    cleanups.push(() => server.close());
    const clinic = await createTestClinic(server.store);
    const session = await loginAs(server, clinic, 'dentist');
    const patient = {
      ...sampleDocument('patients'),
      id: newId(),
      clinicId: clinic.clinic.id,
      firstName: 'Zebulon',
      lastName: 'Quixotewright',
      birthDate: '1931-07-04',
      _deleted: false,
    };
    const invalid = { ...patient, id: newId(), birthDate: '2999-99-99' };
    const response = await postJson(
      `${server.url}/v1/sync/patients/push`,
      [{ newDocumentState: patient }, { newDocumentState: invalid }],
      session.accessToken,
      { 'x-request-id': 'req-push-42' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-push-42');
    const generated = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const pushLines = logs.lines.filter((line) => line.includes('req-push-42'));
    expect(pushLines.length).toBeGreaterThanOrEqual(3);
    for (const line of pushLines) expect(JSON.parse(line)).toHaveProperty('reqId', 'req-push-42');
    const all = logs.lines.join('\n');
    expect(all).toContain('push rows refused');
    for (const secret of ['Zebulon', 'Quixotewright', '1931-07-04', session.accessToken]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('metrics, readiness and OpenAPI', () => {
  it('counts requests, pushed and pulled documents, conflicts, refusals and login failures', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const clinic = await createTestClinic(server.store);
    const session = await loginAs(server, clinic, 'admin');
    await postJson(`${server.url}/v1/auth/login`, {
      clinic: clinic.clinic.id,
      email: 'admin@example.com',
      password: 'wrong password',
      deviceName: 'PC',
    });
    const room = {
      ...sampleDocument('operatories'),
      id: newId(),
      clinicId: clinic.clinic.id,
      _deleted: false,
    };
    await postJson(
      `${server.url}/v1/sync/operatories/push`,
      [{ newDocumentState: room }],
      session.accessToken,
    );
    await postJson(
      `${server.url}/v1/sync/operatories/push`,
      [{ newDocumentState: { ...room, name: 'X' } }, { newDocumentState: { ...room, id: 5 } }],
      session.accessToken,
    );
    await postJson(
      `${server.url}/v1/sync/operatories/pull`,
      { checkpoint: null, limit: 5 },
      session.accessToken,
    );
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 'NaN');
    expect(value(/topsmile_sync_pushed_documents_total\{collection="operatories"\} (\d+)/)).toBe(1);
    expect(value(/topsmile_sync_pulled_documents_total\{collection="operatories"\} (\d+)/)).toBe(1);
    expect(value(/topsmile_sync_conflicts_total\{collection="operatories"\} (\d+)/)).toBe(1);
    expect(value(/topsmile_sync_refused_rows_total\{collection="operatories"\} (\d+)/)).toBe(1);
    expect(value(/topsmile_auth_login_failures_total (\d+)/)).toBe(1);
    expect(value(/topsmile_sync_open_streams (\d+)/)).toBe(0);
    expect(text).toMatch(
      /topsmile_http_requests_total\{method="POST",route="\/v1\/sync\/:collection\/push",status="200"\} 2/,
    );
    expect(text).toContain('topsmile_http_request_duration_seconds_bucket');
  });

  it('serves the OpenAPI document with the sync and auth routes and their body schemas', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const response = await fetch(`${server.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/v1/auth/login']?.['post']?.requestBody).toBeDefined();
    expect(doc.paths['/v1/sync/{collection}/push']?.['post']?.requestBody).toBeDefined();
    expect(doc.paths['/v1/sync/stream']?.['get']).toBeDefined();
  });

  it('readyz is 200 while the store answers and 503 once it is closed; healthz stays 200', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await server.store.close();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: 'not_ready' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the in-flight request, closes the store and exits 0', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.cleanup());
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts')],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          PORT: '0',
          DATA_DIR: temp.dir,
          JWT_SECRET: TEST_SECRET,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    cleanups.push(() => void child.kill('SIGKILL'));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line: ${output}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });

    // Half a request: headers and part of the body are on the wire when SIGTERM arrives.
    const body = JSON.stringify({
      clinic: 'nowhere',
      email: 'a@example.com',
      password: 'x',
      deviceName: 'PC',
    });
    const answer = new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(10)), 300);
      }, 300);
    });
    expect(await answer).toBe(401);
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
    expect(output).toContain('"msg":"stopped"');
  }, 90_000);
});
