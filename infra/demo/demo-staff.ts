/**
 * The demo organisation's staff logins, one per role, for the local runtime only: the local
 * issuer signs their claims and the local sign-in accepts them. In AWS staff are Cognito users an
 * administrator creates; nothing here is deployed.
 *
 * Display names are job titles, not people. `sub` values are fixed UUIDs because that is what a
 * Cognito `sub` looks like, so nothing can come to depend on it being readable.
 */
import type { StaffClaims } from '../../shared/domain/staff.ts';

/**
 * The one password of every demo login. LOCAL ONLY: it is public (it is in this file), and
 * Cognito's password policy would refuse it anyway (no capitals, digits or symbols).
 */
export const demoPassword = 'civicloop-demo';

export interface DemoLogin {
  username: string;
  claims: StaffClaims;
}

export const demoStaff: readonly DemoLogin[] = [
  {
    username: 'handler.antifraud',
    claims: {
      sub: 'be82ee10-138c-424b-9ce4-6083eac9f13f',
      'custom:role': 'unit_handler',
      'custom:displayName': '反诈中心办理员',
      'custom:unitId': 'psb-antifraud',
    },
  },
  {
    username: 'handler.transport',
    claims: {
      sub: '8b28ba63-dc1b-4aea-b887-ebc72cfe831d',
      'custom:role': 'unit_handler',
      'custom:displayName': '交通运输局办理员',
      'custom:unitId': 'transport',
    },
  },
  {
    username: 'dispatcher.chengdong',
    claims: {
      sub: '4dfa2178-f966-4d8b-8a2d-7a1ef9dd67ca',
      'custom:role': 'centre_dispatcher',
      'custom:displayName': '城东街道综治中心调度员',
      'custom:unitId': 'centre-chengdong',
      'custom:townshipId': 'chengdong',
    },
  },
  {
    username: 'dispatcher.dongquan',
    claims: {
      sub: 'eb059645-087f-426d-ad0e-63ecb56c250a',
      'custom:role': 'centre_dispatcher',
      'custom:displayName': '东泉镇综治中心调度员',
      'custom:unitId': 'centre-dongquan',
      'custom:townshipId': 'dongquan',
    },
  },
  {
    username: 'grid.kangning',
    claims: {
      sub: '7a7c15dd-1a06-4a48-a04b-2711f5a6c665',
      'custom:role': 'grid_worker',
      'custom:displayName': '康宁社区网格员',
      'custom:communityId': 'chengdong-kangning',
      'custom:gridId': 'chengdong-kangning-g1',
    },
  },
  {
    username: 'supervisor',
    claims: {
      sub: '59654dfe-3f99-4461-b956-914dfa635d5c',
      'custom:role': 'county_supervisor',
      'custom:displayName': '县综治中心督办员',
    },
  },
  {
    username: 'outreach.police',
    claims: {
      sub: '3f0c6a52-8d0e-4c57-9a43-6b1de2f4c901',
      'custom:role': 'outreach_staff',
      'custom:displayName': '反诈宣传民警',
    },
  },
  {
    username: 'admin',
    claims: {
      sub: '2882643e-fc81-41d8-ab54-54e4c9759076',
      'custom:role': 'admin',
      'custom:displayName': '系统管理员',
    },
  },
];

/** The demo login of that username, if there is one. */
export const findDemoLogin = (username: string): DemoLogin | undefined =>
  demoStaff.find((login) => login.username === username);
