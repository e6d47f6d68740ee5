/** Port: the organisation and routing rules, as data an admin can change. */
import type { Organisation, RoutingRule } from '../domain/organisation.ts';

export interface DirectoryReader {
  load(): Promise<Organisation>;
}

export interface DirectoryWriter {
  /** Writes every entity of the organisation; re-running it overwrites with the same data. */
  write(org: Organisation): Promise<void>;
  isSeeded(): Promise<boolean>;
  /** Replaces every routing rule: writes the new ones, then deletes those no longer listed. */
  replaceRoutingRules(rules: RoutingRule[]): Promise<void>;
}
