// The shell's security decisions, without Electron: which URLs are the app's own pages, which IPC
// senders are trusted, which links may leave the app, the CSP of the app's pages, and how the
// `app://` protocol maps to files of the built renderer (never outside it).
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

/** The app's pages are served from `app://topsmile/…` (a privileged, standard, secure scheme). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'topsmile';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * renderer/index.html's policy without the loopback WebSocket: in Electron the renderer talks to
 * the core over a MessagePort, so it needs no network at all.
 */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Hosts whose https links open in the default browser; every other link goes nowhere. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['www.ada.org'];

function parse(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isAppUrl(url: string | null | undefined): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

export interface SenderFrame {
  readonly url: string | null | undefined;
  /** The frame is its page's top frame (not an iframe). */
  readonly isMainFrame: boolean;
}

/** Only the app's own top-level page may open the API port. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame != null && frame.isMainFrame && isAppUrl(frame.url);
}

/** The https URL to hand to the OS browser, or null when the link must go nowhere. */
export function externalLinkTarget(
  url: string,
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): string | null {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
  return allowedHosts.includes(parsed.hostname) ? parsed.toString() : null;
}

/**
 * Navigation inside a window: only to the app's own pages (a reload, a hash change). Everything
 * else is refused; an allow-listed https link is opened outside instead.
 */
export function navigationDecision(url: string): { allow: boolean; openExternally: string | null } {
  if (isAppUrl(url)) return { allow: true, openExternally: null };
  return { allow: false, openExternally: externalLinkTarget(url) };
}

/** Sets the app's CSP on responses for the app's own pages; other responses are left alone. */
export function withContentSecurityPolicy(
  url: string,
  headers: Readonly<Record<string, string[] | string>> | undefined,
): Record<string, string[] | string> {
  const next: Record<string, string[] | string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') next[name] = value;
  }
  if (isAppUrl(url)) next['Content-Security-Policy'] = [APP_CONTENT_SECURITY_POLICY];
  return next;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppAsset {
  readonly file: string;
  readonly contentType: string;
}

/** The file of the built renderer an `app://` URL names, or null (not ours, outside, unknown type). */
export function resolveAppAsset(url: string, rendererDir: string): AppAsset | null {
  if (!isAppUrl(url)) return null;
  const parsed = parse(url);
  if (!parsed) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(join(root, path === '/' ? 'index.html' : path));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  return contentType ? { file, contentType } : null;
}
