/** Port: the county's case-handling policies as data: SLAs per category and the working calendar. */
import type { ServiceLevel } from '../domain/service-levels.ts';
import type { KeywordTable } from '../domain/sms/classify-report.ts';
import type { WorkingCalendar } from '../domain/working-calendar.ts';

export interface Policies {
  serviceLevels: ServiceLevel[];
  calendar: WorkingCalendar;
  /** Days a closed case waits for the resident's rating before a return visit is due. */
  ratingWindowDays: number;
}

export interface PolicyReader {
  loadPolicies(): Promise<Policies>;
}

export interface PolicyWriter {
  writePolicies(policies: Policies): Promise<void>;
}

/** The SMS classifier's keyword table: data an admin edits, read by the SMS functions. */
export interface KeywordStore {
  loadKeywords(): Promise<KeywordTable>;
  writeKeywords(table: KeywordTable): Promise<void>;
}
