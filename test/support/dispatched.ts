/** The case the router put on a unit's queue, found by its tracking code (any form), in integration tests. */
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import { receiveMatching } from './queues.ts';

/** Long-polls the unit's queue (bounded) for the case with `code`; undefined when it never came. */
export async function dispatchedTo(
  rt: LocalRuntime,
  unitId: string,
  code: string,
  maxPolls?: number,
): Promise<CaseDispatched | undefined> {
  const id = code.replaceAll('-', '');
  const message = await receiveMatching(
    rt.sqsClient,
    rt.queueUrl(unitQueueName(unitId)),
    (body) => body.includes(id),
    maxPolls,
  );
  return message ? CaseDispatched.parse(JSON.parse(message.Body ?? '')) : undefined;
}
