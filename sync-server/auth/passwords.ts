// Password hashing: argon2id with argon2's recommended cost. Unknown users are checked against a
// fixed hash so that a wrong email takes as long as a wrong password.
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let decoyHash: Promise<string> | undefined;

/** True when `password` matches `hash`; with no hash, spends the same time and says false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  try {
    if (hash === undefined) {
      await argon2.verify(await decoyHash, password);
      return false;
    }
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A human reason the password is too weak, or undefined. */
export function passwordProblem(password: string): string | undefined {
  return password.length < MIN_PASSWORD_LENGTH
    ? `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`
    : undefined;
}
