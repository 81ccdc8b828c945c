// The workstation's session and background sync (SYNC's part of the core). The host opens the
// session and conflict log at start, the clinic database after sign-in, then `controller.start(db)`.
export {
  SyncController,
  conflictView,
  type SyncControllerOptions,
  type SyncLog,
} from './controller';
export {
  SessionManager,
  SessionError,
  type AuthState,
  type SessionManagerOptions,
} from './session';
export { ConflictLog, CONFLICT_LOG_FILE, type LoggedConflict } from './conflict-log';
export {
  FileTokenVault,
  TokenVaultError,
  loadOrCreateKeyFile,
  VAULT_KEY_BYTES,
  type TokenVault,
} from './token-vault';
export { AuthRefusedError, ServerUnreachableError } from './auth-client';
export { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
export { createSyncTable, type SyncTableDeps } from './table';
