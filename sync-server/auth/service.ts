// Login, refresh-token rotation with reuse detection, logout, and the per-request check that a
// token's device and user are still allowed in. Every login failure reads the same, so the
// answer never tells whether a clinic or email exists.
import { newId } from '../../shared/domain/ids';
import type { Clinic, SyncStore, User } from '../store/types';
import { unauthorized, type HttpError } from '../errors';
import { verifyPassword } from './passwords';
import { hashRefreshToken, newRefreshToken, type AccessTokens, type Principal } from './tokens';

export const LOGIN_FAILED = 'The email or password is wrong.';
export const SESSION_ENDED = 'The session has ended; sign in again.';
export const DEVICE_REVOKED = 'This workstation was revoked by an administrator; sign in again.';

export interface LoginInput {
  /** Clinic id, or its exact name (case-insensitive). */
  readonly clinic: string;
  readonly email: string;
  readonly password: string;
  readonly deviceName: string;
  /** Set by a workstation that logged in before, to keep its device record. */
  readonly deviceId?: string | undefined;
}

export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: User['role'];
  readonly providerId: string | null;
}

export interface PublicClinic {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly currency: string;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

export interface LoginResult extends TokenPair {
  readonly user: PublicUser;
  readonly clinic: PublicClinic;
  readonly deviceId: string;
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    providerId: user.providerId,
  };
}

function publicClinic(clinic: Clinic): PublicClinic {
  return {
    id: clinic.id,
    name: clinic.name,
    timeZone: clinic.timeZone,
    currency: clinic.currency,
  };
}

export interface AuthServiceOptions {
  readonly store: SyncStore;
  readonly tokens: AccessTokens;
  readonly refreshTtlDays: number;
  readonly now: () => Date;
  /** How long a device/user check is trusted before asking the store again. */
  readonly principalCacheMs?: number;
}

export class AuthService {
  private readonly store: SyncStore;
  private readonly tokens: AccessTokens;
  private readonly refreshTtlMs: number;
  private readonly now: () => Date;
  private readonly cacheMs: number;
  private readonly allowedUntil = new Map<string, number>();

  constructor(options: AuthServiceOptions) {
    this.store = options.store;
    this.tokens = options.tokens;
    this.refreshTtlMs = options.refreshTtlDays * 86_400_000;
    this.now = options.now;
    this.cacheMs = options.principalCacheMs ?? 2_000;
  }

  private async findClinic(clinic: string): Promise<Clinic | null> {
    const byId = await this.store.getClinic(clinic);
    if (byId) return byId;
    const wanted = clinic.trim().toLowerCase();
    const named = (await this.store.listClinics()).filter(
      (candidate) => candidate.name.trim().toLowerCase() === wanted,
    );
    // Two clinics of one name: the caller must use the id.
    return named.length === 1 ? (named[0] ?? null) : null;
  }

  /** Throws a 401 HttpError with LOGIN_FAILED for every kind of failure. */
  async login(input: LoginInput): Promise<LoginResult> {
    const clinic = await this.findClinic(input.clinic);
    const user = clinic ? await this.store.findUserByEmail(clinic.id, input.email) : null;
    const passwordOk = await verifyPassword(user?.passwordHash, input.password);
    if (!clinic || !user || !passwordOk || user.disabled) throw unauthorized(LOGIN_FAILED);

    const at = this.now().toISOString();
    let deviceId = newId();
    if (input.deviceId !== undefined) {
      const known = await this.store.getDevice(clinic.id, input.deviceId);
      if (known?.revokedAt) throw unauthorized(DEVICE_REVOKED);
      if (known && known.userId === user.id) deviceId = known.id;
    }
    const existing = await this.store.getDevice(clinic.id, deviceId);
    await this.store.upsertDevice({
      id: deviceId,
      clinicId: clinic.id,
      userId: user.id,
      name: input.deviceName,
      createdAt: existing?.createdAt ?? at,
      lastSeenAt: at,
      revokedAt: null,
    });
    const pair = await this.issuePair(
      { userId: user.id, clinicId: clinic.id, role: user.role, deviceId },
      newId(),
    );
    return { ...pair, user: publicUser(user), clinic: publicClinic(clinic), deviceId };
  }

  private async issuePair(principal: Principal, familyId: string): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await this.store.insertRefreshToken({
      tokenHash: hashRefreshToken(refreshToken),
      familyId,
      clinicId: principal.clinicId,
      userId: principal.userId,
      deviceId: principal.deviceId,
      expiresAt: new Date(this.now().getTime() + this.refreshTtlMs).toISOString(),
      usedAt: null,
      revokedAt: null,
    });
    return {
      accessToken: await this.tokens.sign(principal),
      refreshToken,
      expiresIn: this.tokens.ttlSeconds,
    };
  }

  /** Exchanges a refresh token for a new pair; a second use of a spent one ends the family. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const record = await this.store.findRefreshToken(hashRefreshToken(refreshToken));
    const now = this.now();
    const at = now.toISOString();
    if (!record || record.revokedAt !== null || Date.parse(record.expiresAt) <= now.getTime()) {
      throw unauthorized(SESSION_ENDED);
    }
    if (record.usedAt !== null || !(await this.store.markRefreshTokenUsed(record.tokenHash, at))) {
      // A spent token came back: someone holds a copy. End every token of this login.
      await this.store.revokeRefreshFamily(record.familyId, at);
      throw unauthorized(SESSION_ENDED);
    }
    const [user, device] = await Promise.all([
      this.store.getUser(record.clinicId, record.userId),
      this.store.getDevice(record.clinicId, record.deviceId),
    ]);
    if (!user || user.disabled || !device || device.revokedAt !== null) {
      await this.store.revokeRefreshFamily(record.familyId, at);
      throw unauthorized(device?.revokedAt ? DEVICE_REVOKED : SESSION_ENDED);
    }
    await this.store.upsertDevice({ ...device, lastSeenAt: at });
    return this.issuePair(
      { userId: user.id, clinicId: user.clinicId, role: user.role, deviceId: device.id },
      record.familyId,
    );
  }

  /** Ends the login the token belongs to. Unknown tokens are ignored (logout is idempotent). */
  async logout(refreshToken: string): Promise<void> {
    const record = await this.store.findRefreshToken(hashRefreshToken(refreshToken));
    if (record) await this.store.revokeRefreshFamily(record.familyId, this.now().toISOString());
  }

  /** The caller of a bearer token, after checking its device and user are still allowed. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthorized('Send an access token: Authorization: Bearer <token>.');
    let principal: Principal;
    try {
      principal = await this.tokens.verify(match[1]);
    } catch {
      throw unauthorized('The access token is invalid or expired; refresh it or sign in again.');
    }
    await this.assertStillAllowed(principal);
    return principal;
  }

  /** Rejects a principal whose device was revoked or whose user was disabled since login. */
  async assertStillAllowed(principal: Principal): Promise<void> {
    const key = `${principal.clinicId}/${principal.deviceId}/${principal.userId}`;
    const now = Date.now();
    if ((this.allowedUntil.get(key) ?? 0) > now) return;
    const [device, user] = await Promise.all([
      this.store.getDevice(principal.clinicId, principal.deviceId),
      this.store.getUser(principal.clinicId, principal.userId),
    ]);
    let refusal: HttpError | undefined;
    if (!device || device.revokedAt !== null || device.userId !== principal.userId) {
      refusal = unauthorized(DEVICE_REVOKED);
    } else if (!user || user.disabled) {
      refusal = unauthorized(SESSION_ENDED);
    }
    if (refusal) {
      this.allowedUntil.delete(key);
      throw refusal;
    }
    if (this.allowedUntil.size > 10_000) this.allowedUntil.clear();
    this.allowedUntil.set(key, now + this.cacheMs);
  }

  /** Forget cached checks, e.g. right after an admin revoked a device in this process. */
  forgetCachedChecks(): void {
    this.allowedUntil.clear();
  }
}
