/** Row validation of the household registry import: each failure kind names its field, never the value. */
import { describe, expect, it } from 'vitest';
import { demoOrganisation as org } from '../../infra/demo/demo-organisation.ts';
import {
  type HouseholdCsvRow,
  newSeenInFile,
  PHONE_REASON,
  validateHouseholdRow,
} from '../../shared/domain/household.ts';

const row = (over: Partial<HouseholdCsvRow> = {}): HouseholdCsvRow => ({
  household_id: 'hh-0001',
  community_id: 'chengdong-kangning',
  grid_id: 'chengdong-kangning-g1',
  phone: '13800000001',
  phone2: '',
  head_name: '王建国',
  ...over,
});

const issuesOf = (r: HouseholdCsvRow) => {
  const result = validateHouseholdRow(r, org);
  return result.ok ? [] : result.issues;
};

describe('validateHouseholdRow', () => {
  it('accepts a good row, normalising phones to E.164 and ids to lower case', () => {
    const result = validateHouseholdRow(
      row({ household_id: ' HH-0001 ', phone: '+86 138 0000 0001', phone2: '１３９００００００02' }),
      org,
    );
    expect(result).toEqual({
      ok: true,
      household: {
        householdId: 'hh-0001',
        communityId: 'chengdong-kangning',
        gridId: 'chengdong-kangning-g1',
        phones: ['+8613800000001', '+8613900000002'],
        headName: '王建国',
      },
    });
  });

  it('leaves out an empty grid and head name', () => {
    const result = validateHouseholdRow(
      row({ community_id: 'dongquan-weijiazhuang', grid_id: '', head_name: ' ' }),
      org,
    );
    expect(result.ok && result.household).toEqual({
      householdId: 'hh-0001',
      communityId: 'dongquan-weijiazhuang',
      phones: ['+8613800000001'],
    });
  });

  it.each([
    [{ household_id: '' }, 'household_id', 'missing'],
    [{ household_id: 'bad id!' }, 'household_id', 'use letters, digits and hyphens (at most 64)'],
    [{ community_id: '' }, 'community_id', 'missing'],
    [{ community_id: 'no-such-community', grid_id: '' }, 'community_id', 'unknown community'],
    [{ grid_id: 'chengdong-kangning-g99' }, 'grid_id', 'unknown grid'],
    [{ grid_id: 'chengdong-taihe-g1' }, 'grid_id', 'the grid is not in this community'],
    [{ phone: '' }, 'phone', 'missing'],
    [{ phone: '12345' }, 'phone', PHONE_REASON],
    [{ phone2: '0351-1234567x' }, 'phone2', PHONE_REASON],
    [{ phone2: '+8613800000001' }, 'phone2', 'the same number as phone'],
    [{ head_name: '名'.repeat(51) }, 'head_name', 'at most 50 characters'],
  ])('rejects %j naming %s', (over, field, reason) => {
    expect(issuesOf(row(over))).toEqual([{ field, reason }]);
  });

  it('reports every bad field of a row, without any of its values', () => {
    const issues = issuesOf(row({ community_id: 'nowhere', phone: '999', head_name: '王建国' }));
    expect(issues.map((i) => i.field)).toEqual(['community_id', 'phone']);
    expect(JSON.stringify(issues)).not.toMatch(/999|nowhere|王/);
  });

  it('rejects a later row repeating a phone or a household of the file, naming the earlier line', () => {
    const seen = newSeenInFile();
    expect(validateHouseholdRow(row(), org, { line: 2, seen }).ok).toBe(true);
    const samePhone = validateHouseholdRow(row({ household_id: 'hh-0002', phone2: '13800000001x' }), org, {
      line: 3,
      seen,
    });
    expect(samePhone).toEqual({
      ok: false,
      issues: [
        { field: 'phone', reason: 'the same number is on line 2' },
        { field: 'phone2', reason: PHONE_REASON },
      ],
    });
    const sameHousehold = validateHouseholdRow(row({ phone: '13800000009' }), org, { line: 4, seen });
    expect(sameHousehold).toEqual({
      ok: false,
      issues: [{ field: 'household_id', reason: 'the same household is on line 2' }],
    });
  });
});
