/**
 * Wraps SDK calls so a failing AWS service reaches callers as a DependencyError (503 at the HTTP
 * edge, a retry for queue consumers) and a failed condition as a plain answer, not an exception.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.ts';

export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyError(`${what} failed`, { cause: error });
  }
}

/** Runs a conditional write; resolves `false` when its condition did not hold. */
export async function conditionalWrite(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw new DependencyError(`${what} failed`, { cause: error });
  }
}
