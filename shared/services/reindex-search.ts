/**
 * The search postings' backfill (`search reindex`): every stored case gets the postings it should
 * have now, page by page, saving its position after each page so an interrupted run resumes there.
 * Offline: it walks the whole cases table (a Scan, as the statistics rebuild does), which no
 * request path may. Safe beside live traffic and to repeat: a posting written twice is one
 * posting, an anonymised case gets none, and hits are checked against the case at query time.
 */
import type { CaseBatchReader, CaseSearchIndex } from '../ports/case-search.ts';
import type { CaseScan } from '../ports/statistics-rebuild.ts';
import { indexCaseForSearch } from './case-search-upkeep.ts';

/** Where a backfill has got: the scan's position after the last finished page. */
export interface SearchReindexProgress {
  after?: string;
  cases: number;
  postings: number;
  completedAt?: string;
}

export interface SearchReindexDeps {
  scan: CaseScan;
  batch: Pick<CaseBatchReader, 'getReports'>;
  index: Pick<CaseSearchIndex, 'write'>;
  progress: {
    load(): Promise<SearchReindexProgress | undefined>;
    save(p: SearchReindexProgress): Promise<void>;
  };
  now: () => Date;
}

export type SearchReindexEvent =
  | { kind: 'started'; resumed: boolean; progress: SearchReindexProgress }
  | { kind: 'page'; progress: SearchReindexProgress; unreadable: string[] };

export interface SearchReindexResult {
  status: 'complete' | 'already_complete';
  progress: SearchReindexProgress;
  unreadable: number;
}

const PAGE = 100;

export async function reindexSearch(
  deps: SearchReindexDeps,
  options: { restart: boolean; onProgress?: (event: SearchReindexEvent) => void },
): Promise<SearchReindexResult> {
  const saved = options.restart ? undefined : await deps.progress.load();
  if (saved?.completedAt) return { status: 'already_complete', progress: saved, unreadable: 0 };
  let progress: SearchReindexProgress = saved ?? { cases: 0, postings: 0 };
  options.onProgress?.({ kind: 'started', resumed: saved !== undefined, progress });
  let unreadable = 0;
  for (;;) {
    const page = await deps.scan.page(PAGE, progress.after);
    const reports = new Map(
      (await deps.batch.getReports(page.cases.map((c) => c.trackingCode))).map((r) => [r.trackingCode, r]),
    );
    let postings = 0;
    for (const state of page.cases)
      postings += (await indexCaseForSearch(state, reports.get(state.trackingCode), deps.index)).written;
    unreadable += page.unreadable.length;
    const { after: _done, ...rest } = progress;
    progress = {
      ...rest,
      ...(page.cursor ? { after: page.cursor } : {}),
      cases: progress.cases + page.cases.length,
      postings: progress.postings + postings,
      ...(page.cursor ? {} : { completedAt: deps.now().toISOString() }),
    };
    await deps.progress.save(progress);
    options.onProgress?.({ kind: 'page', progress, unreadable: page.unreadable });
    if (!page.cursor) return { status: 'complete', progress, unreadable };
  }
}
