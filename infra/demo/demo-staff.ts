/**
 * The demo organisation's staff logins for the local runtime only: the local issuer signs their
 * claims and the local sign-in accepts them. In AWS staff are Cognito users an administrator
 * creates; nothing here is deployed. One per role, and beyond that one handler for every
 * department a routing rule sends reports to and one dispatcher for every township centre (which
 * receives disputes, `other` and whatever cannot be placed), so every unit that demo reports
 * reach can be signed in as.
 *
 * Names (the standard `name` claim) are job titles, not people. `sub` values are UUIDs because
 * that is what a Cognito `sub` looks like, so nothing can come to depend on it being readable:
 * fixed ones for the first logins, derived from the username for the generated ones.
 */
import { createHash } from 'node:crypto';
import type { StaffClaims } from '../../shared/domain/staff.ts';
import { demoOrganisation } from './demo-organisation.ts';

/**
 * The one password of every demo login. LOCAL ONLY: it is public (it is in this file), and
 * Cognito's password policy would refuse it anyway (no capitals, digits or symbols).
 */
export const demoPassword = 'civicloop-demo';

export interface DemoLogin {
  username: string;
  claims: StaffClaims;
}

const firstLogins: readonly DemoLogin[] = [
  {
    username: 'handler.antifraud',
    claims: {
      sub: 'be82ee10-138c-424b-9ce4-6083eac9f13f',
      'custom:role': 'unit_handler',
      name: '反诈中心办理员',
      'custom:unitId': 'psb-antifraud',
    },
  },
  {
    username: 'handler.transport',
    claims: {
      sub: '8b28ba63-dc1b-4aea-b887-ebc72cfe831d',
      'custom:role': 'unit_handler',
      name: '交通运输局办理员',
      'custom:unitId': 'transport',
    },
  },
  {
    username: 'dispatcher.chengdong',
    claims: {
      sub: '4dfa2178-f966-4d8b-8a2d-7a1ef9dd67ca',
      'custom:role': 'centre_dispatcher',
      name: '城东街道综治中心调度员',
      'custom:unitId': 'centre-chengdong',
      'custom:townshipId': 'chengdong',
    },
  },
  {
    username: 'dispatcher.dongquan',
    claims: {
      sub: 'eb059645-087f-426d-ad0e-63ecb56c250a',
      'custom:role': 'centre_dispatcher',
      name: '东泉镇综治中心调度员',
      'custom:unitId': 'centre-dongquan',
      'custom:townshipId': 'dongquan',
    },
  },
  {
    username: 'grid.kangning',
    claims: {
      sub: '7a7c15dd-1a06-4a48-a04b-2711f5a6c665',
      'custom:role': 'grid_worker',
      name: '康宁社区网格员',
      'custom:communityId': 'chengdong-kangning',
      'custom:gridId': 'chengdong-kangning-g1',
    },
  },
  {
    username: 'supervisor',
    claims: {
      sub: '59654dfe-3f99-4461-b956-914dfa635d5c',
      'custom:role': 'county_supervisor',
      name: '县综治中心督办员',
    },
  },
  {
    username: 'outreach.police',
    claims: {
      sub: '3f0c6a52-8d0e-4c57-9a43-6b1de2f4c901',
      'custom:role': 'outreach_staff',
      name: '反诈宣传民警',
    },
  },
  {
    username: 'admin',
    claims: {
      sub: '2882643e-fc81-41d8-ab54-54e4c9759076',
      'custom:role': 'admin',
      name: '系统管理员',
    },
  },
];

/** A stable UUID-shaped `sub` for a generated login (version 4 layout, from a hash). */
function derivedSub(username: string): string {
  const hex = createHash('sha256').update(`civicloop-demo-staff:${username}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const coveredUnits = new Set(firstLogins.flatMap((login) => login.claims['custom:unitId'] ?? []));

/** A handler for each department a routing rule names that has none among the first logins. */
const departmentHandlers: DemoLogin[] = [
  ...new Set(
    demoOrganisation.routingRules.flatMap((rule) => (rule.owner.kind === 'unit' ? [rule.owner.unitId] : [])),
  ),
]
  .filter((unitId) => !coveredUnits.has(unitId))
  .flatMap((unitId) => {
    const unit = demoOrganisation.units.find((u) => u.id === unitId);
    if (!unit) return [];
    const username = `handler.${unit.id}`;
    return [
      {
        username,
        claims: {
          sub: derivedSub(username),
          'custom:role': 'unit_handler',
          name: `${unit.zh.replace(/^县/, '')}办理员`,
          'custom:unitId': unit.id,
        },
      } satisfies DemoLogin,
    ];
  });

/** A dispatcher for each township centre that has none among the first logins. */
const centreDispatchers: DemoLogin[] = demoOrganisation.townships
  .filter((township) => !coveredUnits.has(township.centreUnitId))
  .map((township) => {
    const username = `dispatcher.${township.id}`;
    return {
      username,
      claims: {
        sub: derivedSub(username),
        'custom:role': 'centre_dispatcher',
        name: `${township.zh}综治中心调度员`,
        'custom:unitId': township.centreUnitId,
        'custom:townshipId': township.id,
      },
    } satisfies DemoLogin;
  });

export const demoStaff: readonly DemoLogin[] = [...firstLogins, ...departmentHandlers, ...centreDispatchers];

/** The demo login of that username, if there is one. */
export const findDemoLogin = (username: string): DemoLogin | undefined =>
  demoStaff.find((login) => login.username === username);

/** The demo logins as `npm start` prints them and `npm run cli -- logins` lists them. */
export const demoLoginsText = (): string =>
  [
    `Demo logins (local only, password ${demoPassword}):`,
    ...demoStaff.map(
      (s) => `    ${s.username.padEnd(26)} ${s.claims['custom:role'].padEnd(18)} ${s.claims.name ?? ''}`,
    ),
  ].join('\n');
