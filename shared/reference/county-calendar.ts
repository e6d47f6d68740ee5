/**
 * Pingyao County's working calendar: office hours 08:30–17:30 and the national public holidays and
 * make-up working days (调休) for 2025 and 2026.
 *
 * Sources: 国务院办公厅关于2025年部分节假日安排的通知 (published November 2024, after the revised
 * 全国年节及纪念日放假办法 added New Year's Eve of the Spring Festival and 2 May as holidays) and
 * 国务院办公厅关于2026年部分节假日安排的通知 (published November 2025).
 *
 * The State Council publishes the next year's schedule each November or so. An admin must add it
 * (holidays and make-up days) as soon as it is out: for dates not listed here the calendar falls
 * back to plain Monday–Friday, so SLA deadlines in an unlisted year would land on holidays and
 * miss the make-up weekends. Local closures (e.g. a county-only day off) go in the same lists.
 */
import type { WorkingCalendar } from '../domain/working-calendar.ts';

interface HolidayPeriod {
  /** What the notice calls it, for the admin comparing this table with the notice. */
  name: string;
  /** First and last day off, inclusive (weekend days inside the period included). */
  from: string;
  to: string;
  /** Weekend days worked to make up for the bridging weekdays. */
  makeUp: string[];
}

const schedule: HolidayPeriod[] = [
  // 2025
  { name: '2025 元旦 New Year', from: '2025-01-01', to: '2025-01-01', makeUp: [] },
  {
    name: '2025 春节 Spring Festival',
    from: '2025-01-28',
    to: '2025-02-04',
    makeUp: ['2025-01-26', '2025-02-08'],
  },
  { name: '2025 清明节 Qingming', from: '2025-04-04', to: '2025-04-06', makeUp: [] },
  { name: '2025 劳动节 Labour Day', from: '2025-05-01', to: '2025-05-05', makeUp: ['2025-04-27'] },
  { name: '2025 端午节 Dragon Boat', from: '2025-05-31', to: '2025-06-02', makeUp: [] },
  {
    name: '2025 国庆节、中秋节 National Day and Mid-Autumn',
    from: '2025-10-01',
    to: '2025-10-08',
    makeUp: ['2025-09-28', '2025-10-11'],
  },
  // 2026
  { name: '2026 元旦 New Year', from: '2026-01-01', to: '2026-01-03', makeUp: ['2026-01-04'] },
  {
    name: '2026 春节 Spring Festival',
    from: '2026-02-15',
    to: '2026-02-23',
    makeUp: ['2026-02-14', '2026-02-28'],
  },
  { name: '2026 清明节 Qingming', from: '2026-04-04', to: '2026-04-06', makeUp: [] },
  { name: '2026 劳动节 Labour Day', from: '2026-05-01', to: '2026-05-05', makeUp: ['2026-05-09'] },
  { name: '2026 端午节 Dragon Boat', from: '2026-06-19', to: '2026-06-21', makeUp: [] },
  { name: '2026 中秋节 Mid-Autumn', from: '2026-09-25', to: '2026-09-27', makeUp: [] },
  {
    name: '2026 国庆节 National Day',
    from: '2026-10-01',
    to: '2026-10-07',
    makeUp: ['2026-09-20', '2026-10-10'],
  },
];

/** Every date from `from` to `to` inclusive; the notices give periods, the calendar wants days. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

export const countyCalendar: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  utcOffsetMinutes: 480,
  workdayStart: '08:30',
  workdayEnd: '17:30',
  holidays: schedule.flatMap((p) => daysOf(p.from, p.to)),
  makeUpWorkdays: schedule.flatMap((p) => p.makeUp),
};
