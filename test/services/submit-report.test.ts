/**
 * Intake's use case over fakes: which communities a web report may name comes from the directory
 * it is given, and a report naming another one is refused before anything is queued.
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import { DependencyError, ValidationError } from '../../shared/errors.ts';
import { type SubmitReportDeps, submitReport } from '../../shared/services/submit-report.ts';

function depsWith(load: () => Promise<Organisation>) {
  const queued: ReportSubmitted[] = [];
  const deps: SubmitReportDeps = {
    intake: {
      enqueue: async (message) => {
        queued.push(message);
      },
    },
    directory: { load },
    ledger: { record: async () => 'accepted' },
    now: () => new Date('2026-11-29T08:00:00Z'),
    randomBytes: (n) => new Uint8Array(n).fill(7),
    newId: () => '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  };
  return { deps, queued };
}

const demoDirectory = () => depsWith(async () => demoOrganisation);

const report = (communityId: string) => ({ category: 'road', communityId, description: '路口有坑' });

/** The ValidationError `promise` rejects with, or a failure if it does anything else. */
async function validationErrorOf(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe('submitReport', () => {
  it('queues a report from a community in the directory', async () => {
    const { deps, queued } = demoDirectory();
    const receipt = await submitReport(report('chengdong-kangning'), 'web', deps);
    expect(receipt.trackingCode).toBe('777-777-777');
    expect(queued.map((m) => m.report.communityId)).toEqual(['chengdong-kangning']);
  });

  it('refuses a community the directory does not have, naming communityId, and queues nothing', async () => {
    const { deps, queued } = demoDirectory();
    const error = await validationErrorOf(submitReport(report('chengdong-kangling'), 'web', deps));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('The report is invalid: communityId');
    expect(error.issues).toEqual([
      { path: 'communityId', message: expect.stringContaining('unknown community') },
    ]);
    expect(queued).toEqual([]);
  });

  it('names an unknown community together with the other bad fields', async () => {
    const { deps } = demoDirectory();
    const error = await validationErrorOf(
      submitReport({ category: 'potholes', communityId: 'atlantis', description: ' ' }, 'web', deps),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['category', 'communityId', 'description']);
  });

  it('takes the communities from the directory it is given, not from the demo seed', async () => {
    const { deps, queued } = depsWith(async () => ({
      ...demoOrganisation,
      communities: [
        {
          id: 'xinjian-cun',
          townshipId: 'chengdong',
          kind: 'village',
          zh: '新建村',
          en: 'Xinjian',
          households: 80,
        },
      ],
    }));
    await submitReport(report('xinjian-cun'), 'web', deps);
    await validationErrorOf(submitReport(report('chengdong-kangning'), 'web', deps));
    expect(queued.map((m) => m.report.communityId)).toEqual(['xinjian-cun']);
  });

  it('queues nothing and lets the caller retry when the directory cannot be read', async () => {
    const { deps, queued } = depsWith(async () => {
      throw new DependencyError('reading the directory failed');
    });
    await expect(submitReport(report('chengdong-kangning'), 'web', deps)).rejects.toBeInstanceOf(
      DependencyError,
    );
    expect(queued).toEqual([]);
  });
});
