import { describe, expect, it } from 'vitest';
import { parseCoreToMain, parseMainToCore } from './control-protocol';

describe('control protocol', () => {
  it('accepts the messages main sends, and nothing else', () => {
    expect(parseMainToCore({ type: 'connect-renderer', windowId: 3 })).toEqual({
      type: 'connect-renderer',
      windowId: 3,
    });
    const downloading = { state: 'downloading', version: '1.2.0', percent: 40 };
    expect(parseMainToCore({ type: 'update-status', state: downloading })).toEqual({
      type: 'update-status',
      state: downloading,
    });
    expect(parseMainToCore({ type: 'update-status', state: { state: 'downloading' } })).toBeNull();
    expect(parseMainToCore({ type: 'update-status', state: { state: 'exploded' } })).toBeNull();
    expect(parseMainToCore({ type: 'prepare-install' })).toBeNull();
    expect(parseMainToCore({ type: 'install-now' })).toBeNull(); // core → main only
    expect(parseMainToCore(null)).toBeNull();
  });

  it('accepts the messages the core sends, and nothing else', () => {
    expect(parseCoreToMain({ type: 'update-channel', channel: 'beta' })).toEqual({
      type: 'update-channel',
      channel: 'beta',
    });
    expect(parseCoreToMain({ type: 'update-channel', channel: 'nightly' })).toBeNull();
    expect(parseCoreToMain({ type: 'install-prepared', requestId: 'r', backedUp: false })).toEqual({
      type: 'install-prepared',
      requestId: 'r',
      backedUp: false,
    });
    expect(parseCoreToMain({ type: 'install-prepared', requestId: 'r' })).toBeNull();
    expect(parseCoreToMain({ type: 'shutdown' })).toBeNull(); // main → core only
  });
});
