import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateTokenKey, TOKEN_KEY_BYTES, type KeychainCipher } from './token-key-store';

const folder = mkdtempSync(join(tmpdir(), 'topsmile-token-key-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** An AES-GCM keychain standing in for safeStorage (which needs Electron and an OS keychain). */
function keychain(secret = randomBytes(32)): KeychainCipher {
  return {
    available: true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString();
    },
  };
}

describe('token vault key', () => {
  it('creates a random key once, stores it only encrypted, and reads it back', () => {
    const file = join(folder, 'a', 'token-key.bin');
    const cipher = keychain();
    const first = loadOrCreateTokenKey(file, cipher);
    expect(first.key?.length).toBe(TOKEN_KEY_BYTES);
    expect(first).toMatchObject({ created: true });
    const stored = readFileSync(file);
    expect(stored.includes(first.key!.toString('base64'))).toBe(false);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = loadOrCreateTokenKey(file, cipher);
    expect(second).toMatchObject({ created: false });
    expect(second.key?.equals(first.key!)).toBe(true);
  });

  it('replaces a key the keychain can no longer open', () => {
    const file = join(folder, 'b', 'token-key.bin');
    const first = loadOrCreateTokenKey(file, keychain());
    const again = loadOrCreateTokenKey(file, keychain());
    expect(again).toMatchObject({ created: true });
    expect(again.key?.equals(first.key!)).toBe(false);
    writeFileSync(file, 'garbage');
    expect(loadOrCreateTokenKey(file, keychain())).toMatchObject({ created: true });
  });

  it('keeps no key where there is no keychain', () => {
    const file = join(folder, 'c', 'token-key.bin');
    const result = loadOrCreateTokenKey(file, { ...keychain(), available: false });
    expect(result).toEqual({ key: null, reason: 'no-keychain' });
    expect(() => statSync(file)).toThrow();
  });
});
