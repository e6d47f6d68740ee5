/**
 * Faults injected into the real SDK clients that talk to the emulators: a chosen call fails once
 * either before it takes effect (the service refused it: nothing happened, and the caller is told
 * so) or after the service did it (the response was lost on the way back). Added as an `initialize` middleware, outside the SDK's own
 * retries, so the caller sees the failure as it would after they were spent.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SQSClient } from '@aws-sdk/client-sqs';

export type FaultPhase = 'before' | 'after';

/** A call a fault may hit: the SDK command's name and its input. */
export interface CallSite {
  commandName: string;
  input: Record<string, unknown>;
}

export interface Fault {
  /** Which call fails: the first matching call after the fault is armed. */
  matches(call: CallSite): boolean;
  phase: FaultPhase;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface InjectedFault {
  /** Matching calls that failed so far. */
  readonly fired: number;
  remove(): void;
}

const faultError = (phase: FaultPhase, commandName: string) =>
  phase === 'before'
    ? // The service's refusal, as the SDK raises it once its retries are spent: an answer, so the
      // caller knows nothing happened (an SMS sender may try again).
      Object.assign(new Error(`injected: ${commandName} was refused before it took effect`), {
        name: 'ServiceUnavailable',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
      })
    : // What the SDK raises when the connection drops after the request went out: no answer at
      // all, so the caller cannot tell whether it happened.
      Object.assign(new Error(`injected: ${commandName} was carried out but its response was lost`), {
        name: 'TimeoutError',
        $metadata: {},
      });

/** The clients a fault can be injected into: the emulators', and the SMS provider's. */
export type FaultableClient = DynamoDBClient | SQSClient | PinpointSMSVoiceV2Client;

export function injectFault(client: FaultableClient, fault: Fault): InjectedFault {
  let fired = 0;
  const limit = fault.times ?? 1;
  const name = `fault-${Math.random().toString(36).slice(2)}`;
  const stack = client.middlewareStack as {
    add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
    remove(name: string): boolean;
  };
  stack.add(
    (
      next: (args: { input: Record<string, unknown> }) => Promise<unknown>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        const call = { commandName: context.commandName ?? '', input: args.input };
        if (fired >= limit || !fault.matches(call)) return next(args);
        fired++;
        if (fault.phase === 'before') throw faultError('before', call.commandName);
        await next(args);
        throw faultError('after', call.commandName);
      },
    { step: 'initialize', name },
  );
  return {
    get fired() {
      return fired;
    },
    remove: () => {
      stack.remove(name);
    },
  };
}
