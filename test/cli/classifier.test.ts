/**
 * `classifier train|status|rollback`, run as a real CLI process against the local runtime: a fresh
 * county is on keywords only and stays there with too few confirmed cases; with the county's
 * examples in the cases table (here the resident-messages corpus's tune part, never its holdout)
 * `train` stores a model and puts it in use; `status` shows it; `rollback` goes back to keywords
 * only and forward to a named version; an unknown subcommand is a usage error (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { residentMessages } from '../bench/classifier-holdout.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';

let rt: LocalRuntime;
let cli: CliRuntime['cli'];
let store: DynamoDbCaseStore;

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
  store = new DynamoDbCaseStore(createDocumentClient(rt.dynamoClient), rt.resources.tables.cases ?? '');
});
afterAll(async () => {
  await rt?.stop();
});

const thisMonth = () => new Date().toISOString();

async function confirm(count: number, offset = 0): Promise<void> {
  const { tune } = residentMessages();
  await Promise.all(
    tune.slice(offset, offset + count).map((m, i) =>
      store.saveTrainingExample({
        trackingCode: `K7M${String(offset + i).padStart(6, '0')}`,
        submittedAt: thisMonth(),
        text: m.text,
        label: m.label,
        labelledAt: thisMonth(),
      }),
    ),
  );
}

describe('npm run cli -- classifier', () => {
  it('keeps a county with too few confirmed cases on keywords only', async () => {
    expect((await cli('classifier', 'status')).stdout).toContain('in use: keywords only');
    await confirm(50);
    const trained = await cli('classifier', 'train');
    expect(trained.stdout).toContain('50 labelled examples, 200 needed: keywords only');
  });

  it('trains on the confirmed cases and puts the model in use; status shows it', async () => {
    await confirm(322, 50);
    const trained = await cli('classifier', 'train');
    expect(trained.stdout).toMatch(/^v1 .* 372 examples .*precision/m);
    expect(trained.stdout).toContain('v1 is in use');
    const status = await cli('classifier', 'status');
    expect(status.stdout).toMatch(/^in use: v1 since .* \(by system:train-classifier\)$/m);
    expect(status.stdout).toMatch(/^\* v1 /m);
    expect(status.stdout + status.stderr).not.toContain(residentMessages().tune[0]?.text ?? '—');
    expect((await cli('classifier', 'train')).stdout).toContain('no new examples since v1');
  });

  it('rolls back to keywords only and forward to a named version', async () => {
    expect((await cli('classifier', 'rollback', '--keywords-only')).stdout).toContain(
      'in use: keywords only',
    );
    expect((await cli('classifier', 'rollback', '--version', '1')).stdout).toMatch(
      /^in use: v1 since .* \(by cli\)$/m,
    );
  });

  it('answers an unknown subcommand with the usage and exit code 2', async () => {
    await expect(cli('classifier', 'frobnicate')).rejects.toMatchObject({ code: 2 });
  });
});
