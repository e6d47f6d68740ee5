/**
 * `assessment [--from YYYY-MM-DD --to YYYY-MM-DD] [--level unit|township] [--sort <measure>]
 * [--json]`: the unit assessment (考核评价) from the command line, through the staff API like the
 * campaign commands, so the API decides who sees which rows; signs in as `--user` or
 * CIVICLOOP_USERNAME with the password in CIVICLOOP_PASSWORD. Prints one line per row (rank,
 * score, received, on-time shares, returned, escalated, mean rating) or, with `--json`, the API's
 * answer as it is. Exit codes: 0 done, 1 the API refused or failed, 2 bad usage.
 */
import * as z from '../../shared/schema.ts';
import { ApiError, credentialsFrom, signIn } from './api-client.ts';
import type { Output } from './queue-pull.ts';
import { resolveApiUrl } from './targets.ts';

export const assessmentUsage = `       npm run cli -- assessment [--from <YYYY-MM-DD> --to <YYYY-MM-DD>] [--level unit|township]
           [--sort <measure>] [--json]   (signs in like the campaign commands; default: this month)`;

export const assessmentOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  level: { type: 'string' },
  sort: { type: 'string' },
} as const;

export interface AssessmentFlags {
  from?: string | undefined;
  to?: string | undefined;
  level?: string | undefined;
  sort?: string | undefined;
  user?: string | undefined;
  json?: boolean | undefined;
  outputs?: string | undefined;
}

const Share = z.nullable(z.number());
const Answer = z.object({
  level: z.string(),
  range: z.object({ from: z.string(), to: z.string() }),
  ranked: z.number(),
  rows: z.array(
    z.object({
      id: z.string(),
      zh: z.string(),
      rank: z.nullable(z.number()),
      score: z.nullable(z.number()),
      received: z.number(),
      acceptedOnTimeRate: Share,
      resolvedOnTimeRate: Share,
      returned: z.number(),
      escalated: z.number(),
      satisfaction: z.object({ mean: Share }),
    }),
  ),
});

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);

export async function assessmentCommand(
  flags: AssessmentFlags,
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  const credentials = credentialsFrom(env, flags.user);
  if (!credentials) {
    io.err('sign in with --user <name> (or CIVICLOOP_USERNAME) and the password in CIVICLOOP_PASSWORD');
    return 2;
  }
  const query = new URLSearchParams();
  for (const key of ['from', 'to', 'level', 'sort'] as const) {
    const value = flags[key];
    if (value !== undefined) query.set(key, value);
  }
  try {
    const api = await signIn(resolveApiUrl(flags.outputs), credentials);
    const answer = await api.get(`/api/assessment${query.size ? `?${query}` : ''}`);
    if (flags.json) {
      io.out(JSON.stringify(answer, null, 2));
      return 0;
    }
    const { level, range, ranked, rows } = Answer.parse(answer);
    io.out(`${level} assessment ${range.from} – ${range.to} (${ranked} ranked)`);
    io.out('rank  score  received  accepted-on-time  resolved-on-time  returned  escalated  rating  unit');
    for (const r of rows) {
      io.out(
        [
          String(r.rank ?? '–').padStart(4),
          (r.score === null ? '–' : r.score.toFixed(1)).padStart(6),
          String(r.received).padStart(9),
          percent(r.acceptedOnTimeRate).padStart(17),
          percent(r.resolvedOnTimeRate).padStart(17),
          String(r.returned).padStart(9),
          String(r.escalated).padStart(10),
          (r.satisfaction.mean === null ? '–' : r.satisfaction.mean.toFixed(2)).padStart(7),
          ` ${r.id} ${r.zh}`,
        ].join(' '),
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.err(`the API refused (${error.status} ${error.code}): ${error.message}`);
    for (const issue of error.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return 1;
  }
}
