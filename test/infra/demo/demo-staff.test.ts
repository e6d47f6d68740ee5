/**
 * The demo logins: one per role, one for every unit demo reports reach, each scoped to places that
 * exist in the demo organisation.
 */
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
      expect(login.claims.name).toBeTruthy();
      expect(staffFromClaims(login.claims)?.name).toBe(login.claims.name);
      expect(login.username).toBe(login.username.toLowerCase());
    }
  });

  it('has a handler login for every department a routing rule sends reports to', () => {
    const departments = new Set(
      org.routingRules.flatMap((rule) => (rule.owner.kind === 'unit' ? [rule.owner.unitId] : [])),
    );
    expect(departments).toContain('urban-management');
    for (const unitId of departments) {
      const handlers = demoStaff.filter(
        (l) => l.claims['custom:role'] === 'unit_handler' && l.claims['custom:unitId'] === unitId,
      );
      expect(handlers.length, unitId).toBeGreaterThan(0);
    }
  });

  it('has a dispatcher login for every township centre, which receives disputes and what cannot be placed', () => {
    for (const township of org.townships) {
      const dispatchers = demoStaff.filter(
        (l) =>
          l.claims['custom:role'] === 'centre_dispatcher' &&
          l.claims['custom:unitId'] === township.centreUnitId &&
          l.claims['custom:townshipId'] === township.id,
      );
      expect(dispatchers.length, township.id).toBe(1);
    }
  });

  it('keeps the first logins’ subs, and derives UUID-shaped ones for the rest', () => {
    expect(demoStaff.find((l) => l.username === 'handler.antifraud')?.claims.sub).toBe(
      'be82ee10-138c-424b-9ce4-6083eac9f13f',
    );
    for (const login of demoStaff) {
      expect(login.claims.sub, login.username).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
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
