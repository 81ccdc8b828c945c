import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCEDURE_LIST } from '../domain/rules/cdt';
import { normalizeSurfaces } from '../domain/rules/surfaces';
import { isPrimary, isToothId } from '../domain/rules/teeth';
import { DemoRandom } from './random';
import {
  existingWork,
  feeCents,
  procedureDescription,
  treatmentPlan,
  visitWork,
} from './treatment';
import { APPOINTMENT_TYPE_SPECS } from './vocabulary';

const LISTED = new Set(DEFAULT_PROCEDURE_LIST.map((entry) => entry.code));

describe('visit work', () => {
  it('uses listed codes on teeth of the right dentition with canonical surfaces', () => {
    const random = new DemoRandom('work');
    for (let i = 0; i < 3_000; i++) {
      const spec = APPOINTMENT_TYPE_SPECS[i % APPOINTMENT_TYPE_SPECS.length]!;
      const age = random.int(spec.minAge, Math.min(spec.maxAge, 90));
      const work = [
        ...visitWork(random, spec.key, age, i % 2 ? 'en' : 'pt_BR'),
        ...existingWork(random, age),
        ...treatmentPlan(random, age),
      ];
      if (spec.key !== 'filling') expect(work.length).toBeGreaterThan(0);
      for (const item of work) {
        expect(LISTED.has(item.code)).toBe(true);
        if (item.tooth === null) {
          expect(item.surfaces).toBe('');
          continue;
        }
        expect(isToothId(item.tooth)).toBe(true);
        expect(normalizeSurfaces(item.tooth, item.surfaces)).toBe(item.surfaces);
        if (isPrimary(item.tooth)) expect(age).toBeLessThan(12);
        if (age < 6) expect(isPrimary(item.tooth)).toBe(true);
      }
    }
  });
});

describe('fees and wording', () => {
  it('prices every listed code in whole multiples of 5 units in both currencies', () => {
    for (const { code, defaultFeeCents } of DEFAULT_PROCEDURE_LIST) {
      expect(feeCents(code, 'USD')).toBe(Math.round(defaultFeeCents / 500) * 500);
      expect(feeCents(code, 'BRL') % 500).toBe(0);
      expect(feeCents(code, 'BRL')).toBeGreaterThan(feeCents(code, 'USD'));
      expect(procedureDescription(code, 'pt_BR')).not.toBe(procedureDescription(code, 'en'));
    }
    expect(() => feeCents('D9999', 'USD')).toThrow(RangeError);
  });
});
