// Access tokens are short-lived HS256 JWTs naming the user, clinic, role and device; refresh
// tokens are random strings of which only the sha-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { STAFF_ROLES, type StaffRole } from '../../shared/domain/enums';

export const TOKEN_ISSUER = 'topsmile-sync';
export const TOKEN_AUDIENCE = 'topsmile-sync';

/** Who is calling, taken from the access token only. */
export interface Principal {
  readonly userId: string;
  readonly clinicId: string;
  readonly role: StaffRole;
  readonly deviceId: string;
}

export interface AccessTokens {
  sign(principal: Principal): Promise<string>;
  /** Resolves the principal, or rejects for any invalid, expired or foreign token. */
  verify(token: string): Promise<Principal>;
  readonly ttlSeconds: number;
}

export function createAccessTokens(
  secret: string,
  ttlSeconds: number,
  now: () => Date,
): AccessTokens {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    async sign(principal) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({
        clinicId: principal.clinicId,
        role: principal.role,
        deviceId: principal.deviceId,
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        currentDate: now(),
      });
      const { sub, clinicId, role, deviceId } = payload;
      if (
        typeof sub !== 'string' ||
        typeof clinicId !== 'string' ||
        typeof deviceId !== 'string' ||
        typeof role !== 'string' ||
        !(STAFF_ROLES as readonly string[]).includes(role)
      ) {
        throw new Error('token claims are incomplete');
      }
      return { userId: sub, clinicId, role: role as StaffRole, deviceId };
    },
  };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
