import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  externalLinkTarget,
  isAppUrl,
  isTrustedSender,
  navigationDecision,
  resolveAppAsset,
  withContentSecurityPolicy,
} from './app-security';

const rendererDir = mkdtempSync(join(tmpdir(), 'topsmile-renderer-'));
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

describe('app pages and senders', () => {
  it('recognises only app://topsmile pages', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://topsmile/index.html#/schedule')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'file:///index.html',
      'https://topsmile/index.html',
      'http://127.0.0.1:5173/',
      'about:blank',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('trusts only the app page top frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: null, isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('links and navigation', () => {
  it('opens only allow-listed https links outside, never with credentials', () => {
    expect(externalLinkTarget('https://www.ada.org/cdt')).toBe('https://www.ada.org/cdt');
    expect(externalLinkTarget('http://www.ada.org/cdt')).toBeNull();
    expect(externalLinkTarget('https://user:pw@www.ada.org/')).toBeNull();
    expect(externalLinkTarget('https://www.ada.org.evil.example/')).toBeNull();
    expect(externalLinkTarget('file:///etc/passwd')).toBeNull();
    expect(externalLinkTarget('javascript:alert(1)')).toBeNull();
    expect(externalLinkTarget('https://docs.example/', ['docs.example'])).toBe(
      'https://docs.example/',
    );
  });

  it('allows navigation only within the app', () => {
    expect(navigationDecision('app://topsmile/index.html#/patients')).toEqual({
      allow: true,
      openExternally: null,
    });
    expect(navigationDecision('https://evil.example/')).toEqual({
      allow: false,
      openExternally: null,
    });
    expect(navigationDecision('https://www.ada.org/x')).toEqual({
      allow: false,
      openExternally: 'https://www.ada.org/x',
    });
  });
});

describe('content security policy', () => {
  it('replaces any CSP on the app pages and leaves other responses alone', () => {
    const headers = withContentSecurityPolicy(APP_ENTRY_URL, {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY],
    });
    expect(withContentSecurityPolicy('https://example.test/', { 'X-A': 'b' })).toEqual({
      'X-A': 'b',
    });
  });

  it('allows no remote content and no network from the app pages', () => {
    expect(APP_CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/https?:|ws:|\*|unsafe-eval/);
  });
});

describe('app:// protocol files', () => {
  it('maps app URLs to files of the built renderer', () => {
    expect(resolveAppAsset('app://topsmile/', rendererDir)).toEqual({
      file: join(rendererDir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppAsset('app://topsmile/assets/index-abc.js?v=1', rendererDir)).toEqual({
      file: join(rendererDir, 'assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('never serves a file outside the renderer folder, another host or an unknown type', () => {
    // The URL parser already folds dot segments (plain or %2e) into the root.
    for (const url of ['app://topsmile/../../secret.html', 'app://topsmile/%2e%2e/secret.html']) {
      expect(resolveAppAsset(url, rendererDir)?.file).toBe(join(rendererDir, 'secret.html'));
    }
    for (const url of [
      'app://topsmile/assets/%2e%2e%2f%2e%2e%2fsecret.html',
      'app://topsmile/%00index.html',
      'app://topsmile/%E0%A4%A.html',
      'app://other/index.html',
      'file:///index.html',
      'app://topsmile/database.sqlite',
    ]) {
      expect(resolveAppAsset(url, rendererDir), url).toBeNull();
    }
  });
});
