// The token vault's key, encrypted at rest with the OS keychain through safeStorage.
import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import {
  loadOrCreateTokenKey,
  TOKEN_KEY_FILE,
  type TokenKeyResult,
} from './policy/token-key-store';

/** Only a real keychain counts: Linux's 'basic_text' fallback uses a fixed, public password. */
function keychainAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function tokenVaultKey(): TokenKeyResult {
  return loadOrCreateTokenKey(join(app.getPath('userData'), TOKEN_KEY_FILE), {
    available: keychainAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  });
}
