import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  parseWindowState,
  readWindowState,
  restoreWindowState,
  writeWindowState,
  type Rect,
} from './window-state';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 877 };
const monitor: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };
const folder = mkdtempSync(join(tmpdir(), 'topsmile-window-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('window state', () => {
  it('opens centred on the primary display the first time', () => {
    expect(restoreWindowState(null, [laptop], laptop)).toEqual({
      bounds: { x: 80, y: 38, ...DEFAULT_WINDOW_SIZE },
      maximized: false,
    });
  });

  it('keeps a saved place that is fully visible', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true };
    expect(restoreWindowState(saved, [laptop, monitor], laptop)).toEqual(saved);
  });

  it('recentres a window whose display is gone (laptop off its dock)', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: false };
    expect(restoreWindowState(saved, [laptop], laptop).bounds).toEqual({
      x: 80,
      y: 38,
      ...DEFAULT_WINDOW_SIZE,
    });
  });

  it('pulls a mostly off-screen window back and shrinks it to the display', () => {
    const saved = { bounds: { x: -200, y: 500, width: 2000, height: 1000 }, maximized: false };
    expect(restoreWindowState(saved, [laptop], laptop).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1440,
      height: 877,
    });
  });

  it('does not count a sliver on screen as visible', () => {
    const saved = { bounds: { x: 1400, y: 10, width: 1000, height: 700 }, maximized: false };
    expect(restoreWindowState(saved, [laptop], laptop).bounds).toEqual({
      x: 80,
      y: 38,
      ...DEFAULT_WINDOW_SIZE,
    });
  });

  it('grows a window below the minimum size', () => {
    const saved = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false };
    expect(restoreWindowState(saved, [laptop], laptop).bounds).toEqual({
      x: 10,
      y: 10,
      width: 960,
      height: 600,
    });
  });

  it('refuses damaged or foreign files', () => {
    expect(parseWindowState(null)).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: -1, height: 10 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 'a', y: 0, width: 10, height: 10 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: Infinity, height: 10 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 0.4, y: 0, width: 10.6, height: 10 } })).toEqual({
      bounds: { x: 0, y: 0, width: 11, height: 10 },
      maximized: false,
    });
  });

  it('round-trips through its file and survives a damaged one', () => {
    const file = join(folder, 'nested', 'window-state.json');
    expect(readWindowState(file)).toBeNull();
    const state = { bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: true };
    writeWindowState(file, state);
    expect(readWindowState(file)).toEqual(state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    writeFileSync(file, '{"bounds": {"x": 1,');
    expect(readWindowState(file)).toBeNull();
  });
});
