// Every language has every key, and no message is left empty: a missing translation would show
// a raw key to a Portuguese-speaking front desk.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NAMESPACES } from './index';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) =>
    keysOf(inner, prefix ? `${prefix}.${key}` : key),
  );
}

function leavesOf(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return [value];
  return Object.values(value).flatMap(leavesOf);
}

describe('UI messages', () => {
  for (const [namespace, messages] of Object.entries(NAMESPACES)) {
    it(`${namespace}: the same keys in every language, none empty`, () => {
      const english = keysOf(messages.en).sort();
      expect(english.length).toBeGreaterThan(0);
      for (const language of LANGUAGES) {
        expect(keysOf(messages[language]).sort(), language).toEqual(english);
        for (const leaf of leavesOf(messages[language])) {
          expect(typeof leaf === 'string' && leaf.trim().length > 0, `${language} leaf`).toBe(true);
        }
      }
    });
  }
});
