import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './pin';
import { FileTokenVault, TokenVaultError, loadOrCreateKeyFile } from './token-vault';

const root = mkdtempSync(join(tmpdir(), 'topsmile-vault-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('FileTokenVault', () => {
  it('keeps tokens encrypted at rest and reads them back with the same key only', async () => {
    const file = join(root, 'tokens.enc');
    const key = randomBytes(32);
    const vault = new FileTokenVault({ file, key });
    const token = 'refresh-token-abcdefghijklmnopqrstuvwxyz-0123456789';
    await vault.write('clinic/user-1', token);
    await vault.write('clinic/user-2', 'second-token-value');
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const reopened = new FileTokenVault({ file, key });
    expect(await reopened.read('clinic/user-1')).toBe(token);
    await reopened.remove('clinic/user-1');
    expect(await reopened.read('clinic/user-1')).toBeNull();
    expect(await reopened.read('clinic/user-2')).toBe('second-token-value');

    const wrongKey = new FileTokenVault({ file, key: randomBytes(32) });
    await expect(wrongKey.read('clinic/user-2')).rejects.toBeInstanceOf(TokenVaultError);
    expect(() => new FileTokenVault({ file, key: randomBytes(16) })).toThrow(TokenVaultError);
  });

  it('creates the browser-mode key file once, readable by its owner only', async () => {
    const keyFile = join(root, 'vault.key');
    const key = await loadOrCreateKeyFile(keyFile);
    expect(key).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateKeyFile(keyFile)).equals(key)).toBe(true);
  });
});

describe('PIN hashes', () => {
  it('are salted scrypt and verify only the right PIN', async () => {
    const first = await hashPin('4321');
    const second = await hashPin('4321');
    expect(first).not.toBe(second);
    expect(first).not.toContain('4321');
    expect(await verifyPin('4321', first)).toBe(true);
    expect(await verifyPin('4322', first)).toBe(false);
    expect(await verifyPin('4321', 'garbage')).toBe(false);
  });
});
