/**
 * `partners create <name> | list | revoke <partnerId> [--json]`: the Open311 partner systems
 * (a 12345 hotline vendor, a neighbouring county) and their API keys, through the admin API like
 * the campaign commands, so the API decides who may (admins); signs in as `--user` or
 * CIVICLOOP_USERNAME with the password in CIVICLOOP_PASSWORD. `create` prints the key once: it is
 * stored only as a hash and cannot be shown again. Exit codes: 0 done, 1 the API refused or
 * failed, 2 bad usage.
 */
import * as z from '../../shared/schema.ts';
import { ApiError, credentialsFrom, signIn } from './api-client.ts';
import type { Output } from './queue-pull.ts';
import { resolveApiUrl } from './targets.ts';

export const partnersUsage = `       npm run cli -- partners create <name> | list | revoke <partnerId> [--json]
           (Open311 partner API keys; signs in as an admin like the campaign commands)`;

export interface PartnerFlags {
  user?: string | undefined;
  json?: boolean | undefined;
  outputs?: string | undefined;
}

const Partner = z.object({
  partnerId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  status: z.enum(['active', 'revoked']),
  revokedAt: z.optional(z.string()),
});
const Created = z.object({ partner: Partner, apiKey: z.string() });
const Listed = z.object({ partners: z.array(Partner) });
const Revoked = z.object({ partner: Partner });

const line = (p: z.infer<typeof Partner>) =>
  `${p.partnerId}  ${p.status.padEnd(7)}  ${p.createdAt}${p.revokedAt ? `  revoked ${p.revokedAt}` : ''}  ${p.name}`;

export async function partnersCommand(
  command: string | undefined,
  args: string[],
  flags: PartnerFlags,
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  const usable =
    (command === 'create' && args.length >= 1) ||
    (command === 'list' && args.length === 0) ||
    (command === 'revoke' && args.length === 1);
  if (!usable) {
    io.err(partnersUsage);
    return 2;
  }
  const credentials = credentialsFrom(env, flags.user);
  if (!credentials) {
    io.err('sign in with --user <name> (or CIVICLOOP_USERNAME) and the password in CIVICLOOP_PASSWORD');
    return 2;
  }
  try {
    const api = await signIn(resolveApiUrl(flags.outputs), credentials);
    if (command === 'create') {
      const answer = await api.post('/api/admin/partners', { name: args.join(' ') });
      if (flags.json) {
        io.out(JSON.stringify(answer, null, 2));
        return 0;
      }
      const { partner, apiKey } = Created.parse(answer);
      io.out(line(partner));
      io.out(`api_key: ${apiKey}`);
      io.err('Give this key to the partner now: it is stored only as a hash and cannot be shown again.');
      return 0;
    }
    if (command === 'revoke') {
      const answer = await api.delete(`/api/admin/partners/${encodeURIComponent(args[0] ?? '')}`);
      io.out(flags.json ? JSON.stringify(answer, null, 2) : line(Revoked.parse(answer).partner));
      return 0;
    }
    const answer = await api.get('/api/admin/partners');
    if (flags.json) {
      io.out(JSON.stringify(answer, null, 2));
      return 0;
    }
    const { partners } = Listed.parse(answer);
    if (partners.length === 0) io.out('no partners yet: npm run cli -- partners create <name>');
    for (const partner of partners) io.out(line(partner));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.err(`the API refused (${error.status} ${error.code}): ${error.message}`);
    for (const issue of error.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return 1;
  }
}
