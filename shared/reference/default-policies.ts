/** The policies a new installation starts with: default SLAs, the county calendar, a 3-day rating window. */
import type { Policies } from '../ports/policies.ts';
import { countyCalendar } from './county-calendar.ts';
import { defaultServiceLevels } from './service-level-defaults.ts';

export const defaultPolicies: Policies = {
  serviceLevels: defaultServiceLevels,
  calendar: countyCalendar,
  ratingWindowDays: 3,
};
