import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSqlKey } from './index-columns';

describe('toSqlKey', () => {
  it('makes SQLite order strings exactly as JS `<` does, losslessly', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    const select = db.prepare('SELECT k FROM t ORDER BY k');
    // Any UTF-16 code units: astral pairs, lone surrogates, U+FFFF, NUL and control characters.
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const edgeUnit = fc.constantFrom(
      '\0',
      '\t',
      ' ',
      'a',
      '\ud7ff',
      '\ud800',
      '\udfff',
      '\ue000',
      '\uffff',
    );
    const str = fc.array(fc.oneof(unit, edgeUnit), { maxLength: 6 }).map((units) => units.join(''));
    fc.assert(
      fc.property(fc.array(str, { minLength: 2, maxLength: 30 }), (strings) => {
        db.exec('DELETE FROM t');
        for (const s of strings) insert.run(toSqlKey(s));
        const fromSqlite = (select.all() as { k: string }[]).map((r) => r.k);
        const inJs = [...strings].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(toSqlKey);
        expect(fromSqlite).toEqual(inJs);
      }),
      { numRuns: 500 },
    );
    db.close();
  });

  it('leaves strings below U+D800 untouched', () => {
    expect(toSqlKey('silva ana\u00e9\t')).toBe('silva ana\u00e9\t');
    expect(toSqlKey('a\uffff')).not.toBe('a\uffff');
  });
});
