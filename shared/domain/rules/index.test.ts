import { describe, expect, it } from 'vitest';
import * as rules from './index';

describe('shared/domain/rules index', () => {
  it('re-exports one entry point for every rule', () => {
    for (const name of [
      'isUtcInstant',
      'intervalsOverlap',
      'findClashes',
      'findAllClashes',
      'canTransition',
      'applyTransition',
      'toFhirAppointmentStatus',
      'accountBalance',
      'ledgerTotalsByCurrency',
      'formatMoney',
      'isCdtCode',
      'parseCdtCode',
      'DEFAULT_PROCEDURE_LIST',
      'toFdi',
      'toUniversal',
      'parseTooth',
      'normalizeSurfaces',
    ]) {
      expect(rules, name).toHaveProperty(name);
    }
  });
});
