/**
 * `cases export [--list …] [--status open|done] [--stage …] [--overdue] [--community <id>]
 * [--lang zh|en] [--personal] > cases.csv`: the caller's cases as CSV through the staff API
 * (GET /api/cases/export), so the API decides the scope and the personal columns; signs in like
 * the campaign commands. Chunk after chunk (the API's `X-Next-Cursor`), each written to stdout as
 * it arrives — the CLI holds one chunk at a time — with progress on stderr. Exit codes: 0 done,
 * 1 the API refused or failed (what was written so far stays; the message says where it stopped),
 * 2 bad usage.
 */
import { ApiError, credentialsFrom, signIn } from './api-client.ts';
import { resolveApiUrl } from './targets.ts';

export const casesExportUsage = `       npm run cli -- cases export [--list queue|problems|transfers|return_visits] [--status open|done]
           [--stage <stage>] [--overdue] [--community <id>] [--lang zh|en] [--personal] > cases.csv
           (signs in like the campaign commands; progress on stderr)`;

export const casesExportOptions = {
  list: { type: 'string' },
  stage: { type: 'string' },
  overdue: { type: 'boolean', default: false },
  community: { type: 'string' },
  lang: { type: 'string' },
  personal: { type: 'boolean', default: false },
} as const;

export interface CasesExportFlags {
  list?: string | undefined;
  status?: string | undefined;
  stage?: string | undefined;
  overdue?: boolean | undefined;
  community?: string | undefined;
  lang?: string | undefined;
  personal?: boolean | undefined;
  user?: string | undefined;
  outputs?: string | undefined;
}

/** Where the file goes (stdout, waiting while it drains) and where progress goes (stderr). */
export interface ExportOutput {
  write(text: string): Promise<void>;
  err(line: string): void;
}

/** The export's query from the flags, as the API names its parameters. */
export function exportQuery(flags: CasesExportFlags): URLSearchParams {
  const query = new URLSearchParams();
  if (flags.list !== undefined) query.set('list', flags.list);
  if (flags.status !== undefined) query.set('status', flags.status);
  if (flags.stage !== undefined) query.set('stage', flags.stage);
  if (flags.overdue) query.set('overdue', 'true');
  if (flags.community !== undefined) query.set('communityId', flags.community);
  if (flags.lang !== undefined) query.set('lang', flags.lang);
  if (flags.personal) query.set('personal', 'true');
  return query;
}

export async function casesExportCommand(
  flags: CasesExportFlags,
  env: Record<string, string | undefined>,
  io: ExportOutput,
): Promise<number> {
  const credentials = credentialsFrom(env, flags.user);
  if (!credentials) {
    io.err('sign in with --user <name> (or CIVICLOOP_USERNAME) and the password in CIVICLOOP_PASSWORD');
    return 2;
  }
  const query = exportQuery(flags);
  let chunks = 0;
  let rows = 0;
  let bytes = 0;
  try {
    const api = await signIn(resolveApiUrl(flags.outputs), credentials);
    let cursor: string | null = null;
    do {
      if (cursor !== null) query.set('cursor', cursor);
      const { text, headers } = await api.getText(`/api/cases/export?${query}`);
      await io.write(text);
      chunks += 1;
      rows += Number(headers.get('x-export-rows') ?? 0);
      bytes += Buffer.byteLength(text);
      cursor = headers.get('x-next-cursor');
      io.err(
        `chunk ${chunks}: ${rows} rows, ${Math.ceil(bytes / 1024)} KB${cursor === null ? ' — done' : ''}`,
      );
    } while (cursor !== null);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.err(`the API refused (${error.status} ${error.code}): ${error.message}`);
    for (const issue of error.issues) io.err(`  ${issue.path}: ${issue.message}`);
    if (chunks > 0) io.err(`stopped after chunk ${chunks} (${rows} rows written): the file is incomplete`);
    return 1;
  }
}
