/**
 * The console's side of the unit assessment and the statistics' periods, without a browser: who
 * gets the tab (as the API decides who is refused), the periods the presets mean on the Shanghai
 * calendar, the ranges the API would refuse, and the shell's markup for both views in both
 * languages. The browser test (test/e2e/console-assessment.e2e.test.ts) drives them for real.
 */
import { describe, expect, it } from 'vitest';
import { Role, staffFromClaims } from '../../shared/domain/staff.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { type AssessmentDeps, getAssessment } from '../../shared/services/unit-assessment.ts';
import {
  presetOf,
  presetRange,
  shanghaiToday,
  validRange,
} from '../../shared/web/console/browser/date-range.ts';
import { assessmentAccess } from '../../shared/web/console/console-config.ts';
import { renderConsolePage } from '../../shared/web/console-page.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { loadPageAssets } from '../../shared/web/page-assets.ts';

/** Dependencies that refuse to be read: a role the API turns away never reaches them. */
class Reached extends Error {}
const unreadable: AssessmentDeps = {
  stats: {
    countersByMonth: () => Promise.reject(new Reached()),
  },
  directory: { load: () => Promise.reject(new Reached()) },
  policies: { loadPolicies: () => Promise.reject(new Reached()) },
  now: () => new Date('2026-12-06T08:00:00Z'),
};

describe('the unit assessment in the console', () => {
  it('offers the tab to exactly the roles the API answers (units, centres, the county), not grid workers or outreach staff', async () => {
    for (const role of Role.options) {
      const staff = staffFromClaims({
        sub: `sub-${role}`,
        'custom:role': role,
        'custom:unitId': 'transport',
        'custom:townshipId': 'chengdong',
        'custom:communityId': 'chengdong-kangning',
      });
      if (!staff) throw new Error(`no staff for ${role}`);
      const answered = await getAssessment(staff, { level: 'unit' }, unreadable).then(
        () => 'answered',
        (e: unknown) => (e instanceof ForbiddenError ? 'forbidden' : e instanceof Reached ? 'answered' : e),
      );
      expect(assessmentAccess[role], role).toBe(answered === 'answered');
    }
    expect(assessmentAccess.grid_worker).toBe(false);
    expect(assessmentAccess.unit_handler).toBe(true);
  });

  it('draws the view, its period form and the statistics period form in both languages, the tab hidden until signed in', () => {
    const assets = loadPageAssets('console');
    for (const lang of ['zh', 'en'] as const) {
      const t = consoleText[lang];
      const { html } = renderConsolePage({ lang, assets });
      expect(html).toContain(
        `<a class="tab" id="tab-assessment" href="#/assessment" hidden>${t.assessment.tab}</a>`,
      );
      expect(html).toContain('<section id="assessment-view" class="view" hidden>');
      for (const preset of ['thisMonth', 'lastMonth', 'last30', 'thisYear'])
        expect(html).toContain(`data-preset="${preset}"`);
      // "All time" is the statistics' own default; the assessment always covers a period.
      expect(html.match(/data-preset="all"/g)).toHaveLength(1);
      expect(html).toContain('id="stats-from"');
      expect(html).toContain('id="assess-to"');
      for (const measure of Object.values(t.assessment.trendMeasures)) expect(html).toContain(measure);
    }
  });
});

describe('the periods of the statistics and the assessment', () => {
  it('counts the presets on the Shanghai calendar, last month ending on its last day', () => {
    expect(presetRange('thisMonth', '2026-12-06')).toEqual({ from: '2026-12-01', to: '2026-12-06' });
    expect(presetRange('lastMonth', '2026-12-06')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetRange('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('lastMonth', '2028-03-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetRange('last30', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(presetRange('thisYear', '2026-12-06')).toEqual({ from: '2026-01-01', to: '2026-12-06' });
    expect(presetOf({ from: '2026-11-01', to: '2026-11-30' }, '2026-12-06')).toBe('lastMonth');
    expect(presetOf({ from: '2026-11-02', to: '2026-11-30' }, '2026-12-06')).toBeUndefined();
  });

  it('takes the day in Shanghai, which is already tomorrow late in the UTC evening', () => {
    expect(shanghaiToday(Date.parse('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(shanghaiToday(Date.parse('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
  });

  it('refuses what the API would: a missing or impossible day, the start after the end, more than 24 months', () => {
    expect(validRange('2026-11-01', '2026-11-30')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(validRange('2026-11-01', '')).toBeNull();
    expect(validRange('2026-02-30', '2026-03-01')).toBeNull();
    expect(validRange('2026-12-01', '2026-11-30')).toBeNull();
    expect(validRange('2025-01-01', '2026-12-31')).toEqual({ from: '2025-01-01', to: '2026-12-31' });
    expect(validRange('2024-12-31', '2026-12-01')).toBeNull();
  });
});
