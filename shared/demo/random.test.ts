import { describe, expect, it } from 'vitest';
import { isUuidV7 } from '../domain/ids';
import { DemoIdFactory, DemoRandom } from './random';

describe('DemoRandom', () => {
  it('repeats its sequence for a label and differs for another', () => {
    const draw = (label: string) => {
      const random = new DemoRandom(label);
      return Array.from({ length: 20 }, () => random.uint32());
    };
    expect(draw('1:patients')).toEqual(draw('1:patients'));
    expect(draw('1:patients')).not.toEqual(draw('2:patients'));
  });

  it('draws integers in range, fair enough, and weighted picks by weight', () => {
    const random = new DemoRandom('range');
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const value = random.int(1, 6);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(600);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) {
      if (
        random.weighted([
          ['heavy', 9],
          ['light', 1],
          ['never', 0],
        ] as const) === 'heavy'
      )
        heavy++;
    }
    expect(Math.abs(heavy - 9_000)).toBeLessThan(300);
    expect(() => random.pick([])).toThrow(RangeError);
  });
});

describe('DemoIdFactory', () => {
  it('makes repeatable, distinct UUIDv7s carrying the given milliseconds', () => {
    const make = () => {
      const ids = new DemoIdFactory('clinic-a');
      // Many ids in one millisecond: the counter keeps them apart.
      return Array.from({ length: 5_000 }, (_, i) => ids.next(1_717_000_000_000 + (i % 3)));
    };
    const ids = make();
    expect(make()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isUuidV7)).toBe(true);
    expect(parseInt(ids[4]!.replaceAll('-', '').slice(0, 12), 16)).toBe(1_717_000_000_001);
    expect(new DemoIdFactory('clinic-b').next(1_717_000_000_000)).not.toBe(ids[0]);
  });
});
