/**
 * Port: the grids' fourth and fifth levels as the import and the member-count refresh change them
 * (micro-grids, the grid's WeChat group). Grids themselves are created by the directory seed; these
 * writes change one existing grid each, with one conditional write.
 */
import type { Grid } from '../domain/organisation.ts';

export interface GridRegistryWriter {
  /** Replaces an existing grid as a whole; false when the grid is not in the directory. */
  replaceGrid(grid: Grid): Promise<boolean>;
  /**
   * Stores the member count read from the platform, only while the grid's group is still
   * `chatId` (an import may have replaced it meanwhile); false when it is not.
   */
  recordMemberCount(gridId: string, chatId: string, memberCount: number, at: Date): Promise<boolean>;
}
