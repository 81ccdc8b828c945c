// Where the refresh token rests between runs. The core never sees the OS keychain itself (it has
// no Electron): the host hands it a 32-byte key. In Electron the shell keeps that key encrypted
// with `safeStorage` and passes it in clear to the core; in browser mode the key is a file
// (mode 0600) in the user-data folder. Either way the tokens file holds AES-256-GCM ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface TokenVault {
  read(account: string): Promise<string | null>;
  write(account: string, token: string): Promise<void>;
  remove(account: string): Promise<void>;
}

export const VAULT_KEY_BYTES = 32;

/** The vault file cannot be read with this key (wrong key, or tampered with). */
export class TokenVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenVaultError';
  }
}

interface SealedFile {
  readonly v: 1;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** Writes a file whole or not at all: a crash mid-write leaves the previous version. */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

function seal(key: Buffer, plaintext: string): SealedFile {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unseal(key: Buffer, sealed: SealedFile): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new TokenVaultError('The saved sign-in cannot be read with this key.');
  }
}

/** A vault in one encrypted file: a JSON map account → token, sealed as a whole. */
export class FileTokenVault implements TokenVault {
  private readonly file: string;
  private readonly key: Buffer;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: { readonly file: string; readonly key: Uint8Array }) {
    if (options.key.length !== VAULT_KEY_BYTES) {
      throw new TokenVaultError(`The vault key must be ${VAULT_KEY_BYTES} bytes.`);
    }
    this.file = options.file;
    this.key = Buffer.from(options.key);
  }

  async read(account: string): Promise<string | null> {
    return (await this.serial(() => this.load()))[account] ?? null;
  }

  write(account: string, token: string): Promise<void> {
    return this.serial(async () => {
      const tokens = await this.load();
      await this.save({ ...tokens, [account]: token });
    });
  }

  remove(account: string): Promise<void> {
    return this.serial(async () => {
      const { [account]: _gone, ...rest } = await this.load();
      await this.save(rest);
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let sealed: SealedFile;
    try {
      sealed = JSON.parse(text) as SealedFile;
    } catch {
      throw new TokenVaultError('The saved sign-in file is damaged.');
    }
    return JSON.parse(unseal(this.key, sealed)) as Record<string, string>;
  }

  private async save(tokens: Record<string, string>): Promise<void> {
    if (Object.keys(tokens).length === 0) {
      await rm(this.file, { force: true });
      return;
    }
    await writeFileAtomic(this.file, JSON.stringify(seal(this.key, JSON.stringify(tokens))));
  }
}

/**
 * Browser mode's vault key: 32 random bytes in a file only this OS user can read, created on
 * first use. (Electron instead keeps the key under `safeStorage`; see the shell.)
 */
export async function loadOrCreateKeyFile(file: string): Promise<Buffer> {
  try {
    const key = await readFile(file);
    if (key.length === VAULT_KEY_BYTES) {
      await chmod(file, 0o600);
      return key;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(VAULT_KEY_BYTES);
  await writeFileAtomic(file, key);
  await chmod(file, 0o600);
  return key;
}
