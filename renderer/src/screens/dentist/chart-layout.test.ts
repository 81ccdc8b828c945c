import { describe, expect, it } from 'vitest';
import type { Lists } from '../../../../shared/api/views';
import { formatTooth } from '../../../../shared/domain/rules/teeth';
import type { Procedure } from '../../../../shared/domain/schemas/index';
import {
  archRows,
  proceduresByTooth,
  sortProcedures,
  surfacePlaces,
  toggleSurface,
  toothState,
} from './chart-layout';
import { ownProviderId } from './own-provider';

function procedure(fields: Partial<Procedure>): Procedure {
  return {
    id: fields.id ?? 'p',
    clinicId: 'c',
    updatedAt: '2025-06-02T12:00:00.000Z',
    updatedBy: 's',
    patientId: 'pt',
    providerId: 'pr',
    cdtCode: 'D2391',
    tooth: '16',
    surfaces: '',
    status: 'planned',
    feeCents: 100,
    currency: 'USD',
    date: '2025-06-02',
    ...fields,
  };
}

describe('tooth chart layout', () => {
  it('lays out the permanent teeth as seen facing the patient', () => {
    const { upper, lower } = archRows('permanent');
    expect(upper.right).toEqual(['18', '17', '16', '15', '14', '13', '12', '11']);
    expect(upper.left).toEqual(['21', '22', '23', '24', '25', '26', '27', '28']);
    expect(lower.right).toEqual(['48', '47', '46', '45', '44', '43', '42', '41']);
    expect(lower.left).toEqual(['31', '32', '33', '34', '35', '36', '37', '38']);
  });

  it('lays out the primary teeth the same way', () => {
    const { upper, lower } = archRows('primary');
    expect([...upper.right, ...upper.left]).toEqual([
      '55',
      '54',
      '53',
      '52',
      '51',
      '61',
      '62',
      '63',
      '64',
      '65',
    ]);
    expect([...lower.right, ...lower.left]).toEqual([
      '85',
      '84',
      '83',
      '82',
      '81',
      '71',
      '72',
      '73',
      '74',
      '75',
    ]);
  });

  it('numbers the same positions 1-32 and A-T in Universal notation', () => {
    const { upper, lower } = archRows('permanent');
    const universal = (teeth: readonly string[]) =>
      teeth.map((tooth) => formatTooth(tooth as never, 'universal'));
    // Universal runs 1→16 along the upper arch from the viewer's left, 17→32 back along the lower.
    expect(universal([...upper.right, ...upper.left])).toEqual(
      Array.from({ length: 16 }, (_, index) => String(index + 1)),
    );
    expect(universal([...lower.left].reverse().concat([...lower.right].reverse()))).toEqual(
      Array.from({ length: 16 }, (_, index) => String(index + 17)),
    );
    const primary = archRows('primary');
    expect(universal([...primary.upper.right, ...primary.upper.left]).join('')).toBe('ABCDEFGHIJ');
    expect(formatTooth('16', 'fdi')).toBe('16');
    expect(formatTooth('16', 'universal')).toBe('3');
  });

  it('draws each surface where it faces: mesial toward the midline, buccal out of the mouth', () => {
    // Upper right first molar, on the viewer's left: mesial on its right.
    expect(surfacePlaces('16')).toEqual({
      top: 'B',
      bottom: 'L',
      left: 'D',
      right: 'M',
      centre: 'O',
    });
    // Upper left central incisor: front tooth, so incisal and facial; mesial on its left.
    expect(surfacePlaces('21')).toEqual({
      top: 'F',
      bottom: 'L',
      left: 'M',
      right: 'D',
      centre: 'I',
    });
    // Lower left molar: tongue side up, cheek side down.
    expect(surfacePlaces('36')).toEqual({
      top: 'L',
      bottom: 'B',
      left: 'M',
      right: 'D',
      centre: 'O',
    });
    // Lower right canine.
    expect(surfacePlaces('43')).toEqual({
      top: 'L',
      bottom: 'F',
      left: 'D',
      right: 'M',
      centre: 'I',
    });
    // Primary molar: a back tooth, occlusal and buccal.
    expect(surfacePlaces('85').centre).toBe('O');
  });

  it('shows the status that still needs doing when several procedures share a surface', () => {
    const state = toothState([
      procedure({ id: 'a', surfaces: 'MO', status: 'existing' }),
      procedure({ id: 'b', surfaces: 'O', status: 'planned' }),
      procedure({ id: 'c', surfaces: 'D', status: 'completed' }),
      procedure({ id: 'd', cdtCode: 'D2740', surfaces: '', status: 'completed' }),
    ]);
    expect(state.surfaces).toEqual({ M: 'existing', O: 'planned', D: 'completed' });
    expect(state.whole).toEqual(['completed']);
    expect(state.removed).toBe(false);
    expect(toothState([procedure({ cdtCode: 'D7140', status: 'completed' })]).removed).toBe(true);
    expect(toothState([procedure({ cdtCode: 'D7140', status: 'planned' })]).removed).toBe(false);
  });

  it('groups procedures by tooth, whole-mouth ones apart, and sorts newest first', () => {
    const list = [
      procedure({ id: 'a', tooth: '16', date: '2025-01-01' }),
      procedure({ id: 'b', tooth: null, cdtCode: 'D1110', date: '2025-03-01' }),
      procedure({ id: 'c', tooth: '16', date: '2025-02-01' }),
    ];
    const grouped = proceduresByTooth(list);
    expect(grouped.get('16')?.map((item) => item.id)).toEqual(['a', 'c']);
    expect(grouped.get(null)?.map((item) => item.id)).toEqual(['b']);
    expect(sortProcedures(list).map((item) => item.id)).toEqual(['b', 'c', 'a']);
  });

  it('toggles surfaces in charting order', () => {
    expect(toggleSurface('36', '', 'D')).toBe('D');
    expect(toggleSurface('36', 'D', 'M')).toBe('MD');
    expect(toggleSurface('36', 'MD', 'O')).toBe('MOD');
    expect(toggleSurface('36', 'MOD', 'O')).toBe('MD');
    expect(toggleSurface('11', 'F', 'I')).toBe('IF');
  });
});

describe('the provider the user works as', () => {
  const user = { id: 'u1', name: 'A', email: 'a@b.example', role: 'dentist' as const };
  const lists = {
    providers: [{ id: 'p2', staffId: 'u2' }],
    staff: [{ id: 'u1', providerId: 'p1' }],
  } as unknown as Lists;
  it('is the session’s, else the staff list’s link, else the provider that names the user', () => {
    expect(ownProviderId({ ...user, providerId: 'p9' }, lists)).toBe('p9');
    expect(ownProviderId({ ...user, providerId: null }, lists)).toBe('p1');
    expect(ownProviderId({ ...user, id: 'u2', providerId: null }, lists)).toBe('p2');
    expect(ownProviderId({ ...user, id: 'u3', providerId: null }, lists)).toBeNull();
    expect(ownProviderId(null, lists)).toBeNull();
  });
});
