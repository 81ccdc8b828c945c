// The key of the core's token vault, kept in the user-data folder encrypted by the OS keychain
// (Electron's safeStorage, passed in as `cipher` so this runs without Electron). The refresh
// token itself never reaches main: the core seals it with this key.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const TOKEN_KEY_BYTES = 32;
export const TOKEN_KEY_FILE = 'token-key.bin';

export interface KeychainCipher {
  /** False where the OS offers no real keychain (Linux without a secret service). */
  readonly available: boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export type TokenKeyResult =
  | { readonly key: Buffer; readonly created: boolean }
  /** No keychain: the session is not remembered between runs (sign in at each start). */
  | { readonly key: null; readonly reason: 'no-keychain' };

/**
 * Reads the key, or creates one the first time. A key the keychain can no longer open (the OS
 * account's keychain was reset) is replaced: the old vault is unreadable either way, and the user
 * signs in again rather than the app failing to start.
 */
export function loadOrCreateTokenKey(file: string, cipher: KeychainCipher): TokenKeyResult {
  if (!cipher.available) return { key: null, reason: 'no-keychain' };
  if (existsSync(file)) {
    try {
      const key = Buffer.from(cipher.decrypt(readFileSync(file)), 'base64');
      if (key.length === TOKEN_KEY_BYTES) return { key, created: false };
    } catch {
      // Falls through to a new key.
    }
  }
  const key = randomBytes(TOKEN_KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, cipher.encrypt(key.toString('base64')), { mode: 0o600 });
  renameSync(temp, file);
  return { key, created: true };
}
