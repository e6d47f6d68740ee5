/**
 * The service levels a new installation starts with, one per category. These are defaults: the
 * county centre's admin edits them (they are stored with the other policies), and the figures
 * here are plausible starting points, not rules taken from a regulation, except where noted.
 *
 * Urgent categories use clock hours for acceptance, because a fraud victim or a safety hazard
 * cannot wait for Monday morning; everything else counts working days on the county calendar.
 */
import type { ServiceLevel } from '../domain/service-levels.ts';

export const defaultServiceLevels: ServiceLevel[] = [
  // Money moves within hours in telecom fraud; the police must pick it up day or night.
  {
    category: 'fraud',
    accept: { unit: 'hours', amount: 2 },
    resolve: { unit: 'working_days', amount: 3 },
  },
  {
    category: 'public_safety',
    accept: { unit: 'hours', amount: 4 },
    resolve: { unit: 'working_days', amount: 5 },
  },
  // Disputes escalate if nobody answers; mediation itself takes time.
  {
    category: 'dispute',
    accept: { unit: 'working_days', amount: 1 },
    resolve: { unit: 'working_days', amount: 10 },
  },
  {
    category: 'road',
    accept: { unit: 'working_days', amount: 2 },
    resolve: { unit: 'working_days', amount: 10 },
  },
  {
    category: 'sanitation',
    accept: { unit: 'working_days', amount: 2 },
    resolve: { unit: 'working_days', amount: 10 },
  },
  // Damage to the Ancient City's heritage can be irreversible: accept within the same office day.
  {
    category: 'heritage',
    accept: { unit: 'working_hours', amount: 4 },
    resolve: { unit: 'working_days', amount: 5 },
  },
  {
    category: 'education',
    accept: { unit: 'working_days', amount: 2 },
    resolve: { unit: 'working_days', amount: 10 },
  },
  {
    category: 'assistance',
    accept: { unit: 'working_days', amount: 1 },
    resolve: { unit: 'working_days', amount: 5 },
  },
  {
    category: 'market',
    accept: { unit: 'working_days', amount: 2 },
    resolve: { unit: 'working_days', amount: 10 },
  },
  // 信访条例 (and its successor, 2022's 信访工作条例) give 15 days to tell the petitioner whether the
  // matter is accepted and 60 days to handle it, in calendar days; 3 and 30 working days stay
  // inside both even when a Spring Festival falls in between.
  {
    category: 'petition',
    accept: { unit: 'working_days', amount: 3 },
    resolve: { unit: 'working_days', amount: 30 },
  },
  // Triage by the township centre: the fallback for any category without its own level.
  {
    category: 'other',
    accept: { unit: 'working_days', amount: 2 },
    resolve: { unit: 'working_days', amount: 15 },
  },
];
