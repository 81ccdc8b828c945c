// electron-builder.yml is only exercised for real by the release workflow, on tag pushes. These
// checks catch, on every test run, a config that electron-builder would reject and any loss of
// its security-relevant settings.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'electron-builder';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = join(repoRoot, 'electron-builder.yml');

/** Names electron-builder accepts for credentials; none may be set in the committed file. */
const CREDENTIAL_KEYS = [
  'cscLink',
  'cscKeyPassword',
  'certificateFile',
  'certificatePassword',
  'certificateSubjectName',
  'certificateSha1',
  'appleId',
  'appleIdPassword',
  'appleApiKey',
  'teamId',
  'token',
  'password',
  'accessKey',
  'secretKey',
];

function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...allKeys(inner)]);
  }
  return [];
}

function targetNames(platform: { target?: unknown } | null | undefined): string[] {
  const targets = platform?.target;
  const list = Array.isArray(targets) ? targets : [targets];
  return list.map((target) =>
    typeof target === 'string' ? target : (target as { target: string }).target,
  );
}

describe('electron-builder.yml', () => {
  let config: Configuration;
  let rawText: string;

  beforeAll(async () => {
    rawText = readFileSync(configPath, 'utf8');
    config = await getConfig(repoRoot, configPath, null);
  });

  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('identifies the app and its directories', () => {
    expect(config.appId).toBe('com.topsmile.desktop');
    expect(config.productName).toBe('TopSmile');
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' });
    // getConfig normalises `files` into file sets.
    const filePatterns = [config.files]
      .flat()
      .flatMap((set) => (typeof set === 'string' ? [set] : [set?.filter ?? []].flat()));
    expect(filePatterns).toEqual(expect.arrayContaining(['out/**', 'dist/renderer/**']));
  });

  it('sets every Electron fuse at packaging', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs into asar but unpacks the better-sqlite3 native module, rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
  });

  it('publishes to a generic feed whose URL comes from the environment', () => {
    expect(config.publish).toEqual({
      provider: 'generic',
      url: '${env.UPDATE_FEED_URL}',
      channel: 'latest',
    });
  });

  it('builds for Linux, Windows and macOS', () => {
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Office;MedicalSoftware');
    expect(targetNames(config.win)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(targetNames(config.mac)).toEqual(['dmg', 'zip']);
  });

  it('signs macOS builds with the hardened runtime and the committed entitlements', () => {
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.notarize).toBe(true);
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    const entitlements = readFileSync(join(repoRoot, 'build/entitlements.mac.plist'), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(entitlements).not.toContain(
      '<key>com.apple.security.cs.disable-library-validation</key>',
    );
  });

  it('points at icons that exist', () => {
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toBeTypeOf('string');
      expect(existsSync(join(repoRoot, icon as string)), String(icon)).toBe(true);
    }
  });

  it('inlines no credentials', () => {
    const keys = allKeys(config).map((key) => key.toLowerCase());
    for (const credential of CREDENTIAL_KEYS) {
      expect(keys, credential).not.toContain(credential.toLowerCase());
    }
    expect(rawText).not.toMatch(/-----BEGIN/);
    // A long base64 run would be an embedded certificate or key.
    expect(rawText).not.toMatch(/[A-Za-z0-9+/]{80,}/);
    // The feed URL differs per deployment and comes from UPDATE_FEED_URL.
    expect(rawText).not.toMatch(/https?:\/\//);
  });
});
