// The workstation's session: one online sign-in, then offline for as long as needed. What is
// kept in the user-data folder (session.json): the server address, the clinic, the device id the
// server gave, the users who signed in here (with their PIN hash), who is at the keyboard and
// whether the screen is locked. The refresh token lives in the TokenVault; the access token only
// in memory. Tokens never reach a log or an error message.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BehaviorSubject, combineLatest, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { Session, SessionUser } from '../../../shared/api/views';
import type { Currency } from '../../../shared/domain/enums';
import {
  AuthRefusedError,
  login,
  logout,
  normalizeServerUrl,
  refresh,
  type TokenPairReply,
} from './auth-client';
import { hashPin, verifyPin } from './pin';
import { writeFileAtomic, type TokenVault } from './token-vault';

export const SESSION_FILE = 'session.json';

export interface SessionClinic {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly currency: Currency;
}

interface KnownUser {
  readonly user: SessionUser;
  readonly pinHash: string | null;
}

interface StoredSession {
  readonly version: 1;
  readonly serverUrl: string;
  readonly clinic: SessionClinic;
  readonly deviceId: string;
  /** Whose refresh token syncs this workstation; null once signed out or refused. */
  readonly syncUserId: string | null;
  /** Who works at the keyboard (a PIN switches it); null when signed out. */
  readonly currentUserId: string | null;
  readonly locked: boolean;
  readonly users: Readonly<Record<string, KnownUser>>;
}

/**
 * `active`: a refresh token is held (online or not); `none`: never signed in or signed out;
 * `refused`: the server refused the refresh token (session ended, device revoked): sign in again.
 * Local data and unpushed edits are kept in every state.
 */
export type AuthState = 'active' | 'none' | 'refused';

/** Refused by the workstation itself (wrong PIN, not signed in); the message is safe to show. */
export class SessionError extends Error {
  readonly code: 'not_signed_in' | 'forbidden' | 'locked';
  constructor(code: SessionError['code'], message: string) {
    super(message);
    this.name = 'SessionError';
    this.code = code;
  }
}

export interface SessionManagerOptions {
  readonly userDataDir: string;
  readonly vault: TokenVault;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Sent as the device name on sign-in; the computer's host name by default. */
  readonly deviceName?: string;
}

interface AccessToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly lifetimeMs: number;
}

const PIN_FAILURES_BEFORE_PAUSE = 5;
const PIN_PAUSE_MS = 30_000;

function accountOf(session: StoredSession, userId: string): string {
  return `${session.clinic.id}/${userId}`;
}

export class SessionManager {
  private readonly file: string;
  private readonly vault: TokenVault;
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;
  private readonly deviceName: string;
  private readonly stored: BehaviorSubject<StoredSession | null>;
  private readonly auth: BehaviorSubject<AuthState>;
  private access: AccessToken | undefined;
  private refreshing: Promise<string> | undefined;
  private pinFailures = 0;
  private pinPausedUntil = 0;
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    options: SessionManagerOptions,
    stored: StoredSession | null,
    auth: AuthState,
  ) {
    this.file = join(options.userDataDir, SESSION_FILE);
    this.vault = options.vault;
    this.doFetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.deviceName = (options.deviceName ?? hostname()).slice(0, 100) || 'Workstation';
    this.stored = new BehaviorSubject(stored);
    this.auth = new BehaviorSubject(auth);
  }

  /** Reads the saved session; works with no server (the workstation signed in before). */
  static async open(options: SessionManagerOptions): Promise<SessionManager> {
    let stored: StoredSession | null = null;
    try {
      stored = JSON.parse(
        await readFile(join(options.userDataDir, SESSION_FILE), 'utf8'),
      ) as StoredSession;
      if (stored.version !== 1) stored = null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') stored = null;
    }
    let auth: AuthState = 'none';
    if (stored?.syncUserId) {
      let token: string | null = null;
      try {
        token = await options.vault.read(accountOf(stored, stored.syncUserId));
      } catch {
        // An unreadable vault (new key, damaged file) is a signed-out workstation, not a crash.
      }
      auth = token ? 'active' : 'refused';
    }
    return new SessionManager(options, stored, auth);
  }

  get(): Session {
    return this.view(this.stored.value, this.auth.value);
  }

  get session$(): Observable<Session> {
    return combineLatest([this.stored, this.auth]).pipe(
      map(([stored, auth]) => this.view(stored, auth)),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    );
  }

  get authState(): AuthState {
    return this.auth.value;
  }

  get authState$(): Observable<AuthState> {
    return this.auth.pipe(distinctUntilChanged());
  }

  /** Server and clinic of the signed-in workstation; null when it cannot sync. */
  get syncTarget(): { serverUrl: string; clinicId: string; deviceId: string } | null {
    const stored = this.stored.value;
    if (!stored || this.auth.value !== 'active') return null;
    return { serverUrl: stored.serverUrl, clinicId: stored.clinic.id, deviceId: stored.deviceId };
  }

  /** What a call runs as: the user at the keyboard, the clinic, this device. */
  current(): {
    user: SessionUser | null;
    clinic: SessionClinic | null;
    deviceId: string | null;
    locked: boolean;
  } {
    const stored = this.stored.value;
    const user = this.view(stored, this.auth.value).user;
    return {
      user,
      clinic: stored?.clinic ?? null,
      deviceId: stored?.deviceId ?? null,
      locked: stored?.locked ?? false,
    };
  }

  isLocked(): boolean {
    return this.stored.value?.locked ?? false;
  }

  async signIn(input: {
    serverUrl: string;
    clinic: string;
    email: string;
    password: string;
  }): Promise<Session> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const previous = this.stored.value;
    const sameClinic =
      previous !== null &&
      previous.serverUrl === serverUrl &&
      (previous.clinic.id === input.clinic.trim() ||
        previous.clinic.name.toLowerCase() === input.clinic.trim().toLowerCase());
    const reply = await login(this.doFetch, serverUrl, {
      clinic: input.clinic.trim(),
      email: input.email,
      password: input.password,
      deviceName: this.deviceName,
      ...(sameClinic ? { deviceId: previous.deviceId } : {}),
    });
    const keep = previous !== null && previous.clinic.id === reply.clinic.id ? previous : null;
    const user: SessionUser = {
      id: reply.user.id,
      name: reply.user.name,
      email: reply.user.email,
      role: reply.user.role,
      providerId: reply.user.providerId,
    };
    const next: StoredSession = {
      version: 1,
      serverUrl,
      clinic: reply.clinic,
      deviceId: reply.deviceId,
      syncUserId: user.id,
      currentUserId: user.id,
      locked: false,
      users: {
        ...(keep?.users ?? {}),
        [user.id]: { user, pinHash: keep?.users[user.id]?.pinHash ?? null },
      },
    };
    // The token of whoever synced before is no longer used: end it on the server too.
    if (previous?.syncUserId && previous.syncUserId !== user.id) {
      await this.forgetRefreshToken(previous, previous.syncUserId, true);
    }
    await this.vault.write(accountOf(next, user.id), reply.refreshToken);
    this.access = this.accessFrom(reply);
    await this.persist(next);
    this.auth.next('active');
    this.pinFailures = 0;
    return this.get();
  }

  async signOut(): Promise<void> {
    const stored = this.requireStored();
    if (stored.syncUserId) await this.forgetRefreshToken(stored, stored.syncUserId, true);
    this.access = undefined;
    await this.persist({ ...stored, syncUserId: null, currentUserId: null, locked: false });
    this.auth.next('none');
  }

  async lock(): Promise<void> {
    const stored = this.requireSignedIn();
    await this.persist({ ...stored, locked: true });
  }

  async unlock(userId: string, pin: string): Promise<Session> {
    const stored = this.requireSignedIn();
    if (this.now() < this.pinPausedUntil) {
      throw new SessionError('forbidden', 'Too many wrong PINs; wait 30 seconds and try again.');
    }
    const known = stored.users[userId];
    if (!known?.pinHash || !(await verifyPin(pin, known.pinHash))) {
      this.pinFailures += 1;
      if (this.pinFailures >= PIN_FAILURES_BEFORE_PAUSE) {
        this.pinFailures = 0;
        this.pinPausedUntil = this.now() + PIN_PAUSE_MS;
      }
      throw new SessionError(
        'forbidden',
        known?.pinHash
          ? 'The PIN is wrong.'
          : 'This user has no PIN on this workstation; sign in with the password.',
      );
    }
    this.pinFailures = 0;
    await this.persist({ ...stored, currentUserId: userId, locked: false });
    return this.get();
  }

  async setPin(pin: string): Promise<void> {
    const stored = this.requireSignedIn();
    const userId = stored.currentUserId;
    const known = userId ? stored.users[userId] : undefined;
    if (!userId || !known) throw new SessionError('not_signed_in', 'Sign in first.');
    const pinHash = await hashPin(pin);
    const latest = this.requireSignedIn();
    await this.persist({ ...latest, users: { ...latest.users, [userId]: { ...known, pinHash } } });
  }

  /**
   * A valid access token, refreshed when it is about to expire. Throws ServerUnreachableError
   * when offline (the caller retries later) and SessionError once the server refused the session.
   */
  async getAccessToken(): Promise<string> {
    if (this.auth.value !== 'active') {
      throw new SessionError('not_signed_in', 'Sign in to sync.');
    }
    const access = this.access;
    // Refresh ahead of expiry: a token that expires mid-request would cost a 401 round trip.
    const margin = Math.min(60_000, (access?.lifetimeMs ?? 0) / 4);
    if (access && access.expiresAt - this.now() > margin) return access.token;
    this.refreshing ??= this.refreshNow().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The server answered 401 to this token: drop it so the next call refreshes. */
  rejectAccessToken(token: string | null): void {
    if (this.access && (token === null || this.access.token === token)) this.access = undefined;
  }

  private async refreshNow(): Promise<string> {
    const stored = this.requireStored();
    const userId = stored.syncUserId;
    if (!userId) throw new SessionError('not_signed_in', 'Sign in to sync.');
    const account = accountOf(stored, userId);
    const refreshToken = await this.vault.read(account).catch(() => null);
    if (!refreshToken) {
      await this.refused(stored);
      throw new SessionError('not_signed_in', 'Sign in again to sync.');
    }
    let pair: TokenPairReply;
    try {
      pair = await refresh(this.doFetch, stored.serverUrl, refreshToken);
    } catch (error) {
      if (error instanceof AuthRefusedError && error.status !== 429) {
        await this.refused(stored);
        throw new SessionError('not_signed_in', error.message);
      }
      throw error;
    }
    // The old refresh token is spent now: keep the new one before anything else can fail.
    await this.vault.write(account, pair.refreshToken);
    this.access = this.accessFrom(pair);
    return pair.accessToken;
  }

  private async refused(stored: StoredSession): Promise<void> {
    if (stored.syncUserId) await this.forgetRefreshToken(stored, stored.syncUserId, false);
    this.access = undefined;
    this.auth.next('refused');
    await this.persist({ ...stored, syncUserId: null, currentUserId: null, locked: false });
  }

  private async forgetRefreshToken(
    stored: StoredSession,
    userId: string,
    endOnServer: boolean,
  ): Promise<void> {
    const account = accountOf(stored, userId);
    const token = await this.vault.read(account).catch(() => null);
    await this.vault.remove(account).catch(() => undefined);
    if (endOnServer && token) {
      // Best effort: offline sign-out still signs out here; the server token then just expires.
      await logout(this.doFetch, stored.serverUrl, token).catch(() => undefined);
    }
  }

  private accessFrom(pair: TokenPairReply): AccessToken {
    const lifetimeMs = pair.expiresIn * 1000;
    return { token: pair.accessToken, expiresAt: this.now() + lifetimeMs, lifetimeMs };
  }

  private requireStored(): StoredSession {
    const stored = this.stored.value;
    if (!stored) throw new SessionError('not_signed_in', 'Sign in first.');
    return stored;
  }

  private requireSignedIn(): StoredSession {
    const stored = this.requireStored();
    if (!stored.syncUserId) throw new SessionError('not_signed_in', 'Sign in first.');
    return stored;
  }

  private persist(next: StoredSession): Promise<void> {
    this.stored.next(next);
    const write = this.writes.then(() => writeFileAtomic(this.file, JSON.stringify(next)));
    this.writes = write.catch(() => undefined);
    return write;
  }

  private view(stored: StoredSession | null, auth: AuthState): Session {
    const current =
      stored?.currentUserId && stored.syncUserId && auth === 'active'
        ? (stored.users[stored.currentUserId]?.user ?? null)
        : null;
    return {
      serverUrl: stored?.serverUrl ?? null,
      clinicId: stored?.clinic.id ?? null,
      clinicName: stored?.clinic.name ?? null,
      timeZone: stored?.clinic.timeZone ?? null,
      currency: stored?.clinic.currency ?? null,
      user: current,
      locked: current !== null && (stored?.locked ?? false),
      pinUsers:
        current && stored
          ? Object.values(stored.users)
              .filter((known) => known.pinHash !== null)
              .map((known) => ({ id: known.user.id, name: known.user.name }))
          : [],
    };
  }
}
