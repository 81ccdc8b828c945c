// Window size and place, remembered between runs in a small JSON file in the user-data folder,
// and brought back onto a visible display when the screens changed (a laptop off its dock).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;
/** How much of a window must be on a display for it to count as reachable. */
const MIN_VISIBLE = { width: 160, height: 80 } as const;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The saved state, or null when the file is missing, damaged or from something else. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null) return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (![x, y, width, height].every(isFiniteNumber)) return null;
  if ((width as number) <= 0 || (height as number) <= 0) return null;
  return {
    bounds: {
      x: Math.round(x as number),
      y: Math.round(y as number),
      width: Math.round(width as number),
      height: Math.round(height as number),
    },
    maximized: maximized === true,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function clampInto(bounds: Rect, area: Rect): Rect {
  const width = Math.min(
    Math.max(bounds.width, Math.min(MIN_WINDOW_SIZE.width, area.width)),
    area.width,
  );
  const height = Math.min(
    Math.max(bounds.height, Math.min(MIN_WINDOW_SIZE.height, area.height)),
    area.height,
  );
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

function centred(area: Rect): Rect {
  const width = Math.min(DEFAULT_WINDOW_SIZE.width, area.width);
  const height = Math.min(DEFAULT_WINDOW_SIZE.height, area.height);
  return {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where the window opens: the saved place, moved and shrunk to fit the display that shows most of
 * it; or centred on the primary display when no display shows enough of it (or nothing was saved).
 */
export function restoreWindowState(
  saved: WindowState | null,
  workAreas: readonly Rect[],
  primaryWorkArea: Rect,
): WindowState {
  if (!saved) return { bounds: centred(primaryWorkArea), maximized: false };
  let best: { area: Rect; size: number } | undefined;
  for (const area of workAreas) {
    const seen = overlap(saved.bounds, area);
    if (seen.width < MIN_VISIBLE.width || seen.height < MIN_VISIBLE.height) continue;
    const size = seen.width * seen.height;
    if (!best || size > best.size) best = { area, size };
  }
  if (!best) return { bounds: centred(primaryWorkArea), maximized: saved.maximized };
  return { bounds: clampInto(saved.bounds, best.area), maximized: saved.maximized };
}

export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Written whole or not at all, so a crash never leaves a half file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, file);
}
