// core-process.ts in its desktop mode, with a stand-in for Electron's parentPort (the fixture
// bridges it to Node's IPC): the control protocol main speaks (control-protocol.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from './backups/test-support';
import {
  parseCoreToMain,
  type CoreToMainMessage,
  type MainToCoreMessage,
} from './control-protocol';

const ENTRY = fileURLToPath(new URL('./core-process.ts', import.meta.url));
const SHIM = fileURLToPath(new URL('./test-support/parent-port-shim.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const folder = temporaryFolder('topsmile-core-electron-');
let child: ChildProcess;
const received: CoreToMainMessage[] = [];

function nextMessage<T extends CoreToMainMessage['type']>(type: T, timeoutMs = 60_000) {
  return new Promise<Extract<CoreToMainMessage, { type: T }>>((resolve, reject) => {
    const check = () => {
      const index = received.findIndex((message) => message.type === type);
      if (index < 0) return false;
      resolve(received.splice(index, 1)[0] as Extract<CoreToMainMessage, { type: T }>);
      return true;
    };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error(`no ${type} from the core`)), timeoutMs);
    const onMessage = () => {
      if (check()) {
        clearTimeout(timer);
        child.off('message', onMessage);
      }
    };
    child.on('message', onMessage);
  });
}

const send = (message: MainToCoreMessage) => child.send(message);

beforeAll(() => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', SHIM, ENTRY, '--mode=electron', `--user-data=${folder.path}`],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  child.on('message', (raw) => {
    const message = parseCoreToMain(raw);
    if (message) received.push(message);
  });
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  folder.remove();
});

describe('core process (desktop mode, control protocol)', () => {
  it('says it is ready, then which update channel the settings ask for', async () => {
    await nextMessage('ready');
    await expect(nextMessage('update-channel')).resolves.toEqual({
      type: 'update-channel',
      channel: 'stable',
    });
  }, 90_000);

  it('answers prepare-install (nothing to back up before sign-in) with its request id', async () => {
    send({ type: 'update-status', state: { state: 'ready', version: '9.9.9' } });
    send({ type: 'prepare-install', requestId: 'req-1' });
    await expect(nextMessage('install-prepared')).resolves.toEqual({
      type: 'install-prepared',
      requestId: 'req-1',
      backedUp: true,
    });
  });

  it('ignores malformed control messages and shuts down on request', async () => {
    child.send({ type: 'prepare-install' });
    child.send('nonsense');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    send({ type: 'shutdown' });
    await expect(nextMessage('shutdown-done')).resolves.toEqual({ type: 'shutdown-done' });
    expect(await exited).toBe(0);
    expect(received).toEqual([]);
  });
});
