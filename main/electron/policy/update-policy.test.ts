import { describe, expect, it } from 'vitest';
import type { UpdateState } from '../../../shared/api/views';
import {
  DOWNLOAD_FAILED_MESSAGE,
  feedChannelFor,
  INITIAL_UPDATE_STATE,
  nextUpdateState,
  type UpdaterEvent,
} from './update-policy';

function run(events: UpdaterEvent[], from: UpdateState = INITIAL_UPDATE_STATE): UpdateState[] {
  const states: UpdateState[] = [];
  let state = from;
  for (const event of events) {
    state = nextUpdateState(state, event);
    states.push(state);
  }
  return states;
}

describe('update status', () => {
  it('goes checking → available → downloading → ready', () => {
    expect(
      run([
        { type: 'checking' },
        { type: 'available', version: '1.2.0' },
        { type: 'progress', percent: 12.7 },
        { type: 'progress', percent: 100 },
        { type: 'downloaded', version: '1.2.0' },
      ]),
    ).toEqual([
      { state: 'checking' },
      { state: 'available', version: '1.2.0' },
      { state: 'downloading', version: '1.2.0', percent: 12 },
      { state: 'downloading', version: '1.2.0', percent: 99 },
      { state: 'ready', version: '1.2.0' },
    ]);
  });

  it('keeps a ready update through later background checks', () => {
    const ready: UpdateState = { state: 'ready', version: '1.2.0' };
    expect(
      run(
        [
          { type: 'checking' },
          { type: 'available', version: '1.2.0' },
          { type: 'downloaded', version: '1.2.0' },
          { type: 'checking' },
          { type: 'not-available' },
          { type: 'error' },
        ],
        ready,
      ),
    ).toEqual([ready, ready, ready, ready, ready, ready]);
  });

  it('moves on to a newer version found after one was ready', () => {
    expect(
      nextUpdateState(
        { state: 'ready', version: '1.2.0' },
        { type: 'available', version: '1.3.0' },
      ),
    ).toEqual({ state: 'available', version: '1.3.0' });
  });

  it('keeps a download in progress through a check', () => {
    const downloading: UpdateState = { state: 'downloading', version: '1.2.0', percent: 40 };
    expect(
      run([{ type: 'checking' }, { type: 'available', version: '1.2.0' }], downloading),
    ).toEqual([downloading, downloading]);
  });

  it('shows a failed download but not a failed check', () => {
    expect(run([{ type: 'checking' }, { type: 'error' }])).toEqual([
      { state: 'checking' },
      { state: 'idle' },
    ]);
    expect(
      nextUpdateState({ state: 'downloading', version: '1.2.0', percent: 3 }, { type: 'error' }),
    ).toEqual({ state: 'error', message: DOWNLOAD_FAILED_MESSAGE });
    expect(run([{ type: 'checking' }], { state: 'error', message: 'x' })).toEqual([
      { state: 'checking' },
    ]);
  });

  it('ignores progress without a known version and clamps percentages', () => {
    expect(nextUpdateState(INITIAL_UPDATE_STATE, { type: 'progress', percent: 50 })).toEqual(
      INITIAL_UPDATE_STATE,
    );
    expect(
      nextUpdateState({ state: 'available', version: '2.0.0' }, { type: 'progress', percent: -5 }),
    ).toEqual({ state: 'downloading', version: '2.0.0', percent: 0 });
  });

  it('maps settings channels to feed channels', () => {
    expect(feedChannelFor('stable')).toBe('latest');
    expect(feedChannelFor('beta')).toBe('beta');
  });
});
