/** The demo logins: one per role, each scoped to places that exist in the demo organisation. */
import { describe, expect, it } from 'vitest';
import { demoOrganisation as org } from '../../../infra/demo/demo-organisation.ts';
import { demoStaff } from '../../../infra/demo/demo-staff.ts';
import { Role, StaffClaims, staffFromClaims } from '../../../shared/domain/staff.ts';

describe('the demo staff', () => {
  it('has a login for every role, with unique usernames and subs', () => {
    expect(new Set(demoStaff.map((l) => l.claims['custom:role']))).toEqual(new Set(Role.options));
    expect(new Set(demoStaff.map((l) => l.username)).size).toBe(demoStaff.length);
    expect(new Set(demoStaff.map((l) => l.claims.sub)).size).toBe(demoStaff.length);
  });

  it('gives every login valid claims that make a complete staff identity with a display name', () => {
    for (const login of demoStaff) {
      expect(StaffClaims.parse(login.claims)).toEqual(login.claims);
      expect(staffFromClaims(login.claims), login.username).toBeDefined();
      expect(login.claims['custom:displayName']).toBeTruthy();
      expect(login.username).toBe(login.username.toLowerCase());
    }
  });

  it('scopes logins to units, townships, communities and grids of the demo organisation', () => {
    for (const { username, claims } of demoStaff) {
      const unitId = claims['custom:unitId'];
      const townshipId = claims['custom:townshipId'];
      const communityId = claims['custom:communityId'];
      const gridId = claims['custom:gridId'];
      if (unitId)
        expect(
          org.units.map((u) => u.id),
          username,
        ).toContain(unitId);
      if (townshipId) {
        expect(org.townships.find((t) => t.id === townshipId)?.centreUnitId, username).toBe(unitId);
      }
      if (communityId)
        expect(
          org.communities.map((c) => c.id),
          username,
        ).toContain(communityId);
      if (gridId) {
        expect(org.grids.find((g) => g.id === gridId)?.communityId, username).toBe(communityId);
      }
    }
  });
});
