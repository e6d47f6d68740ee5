/**
 * How every handler module is wired: it exports `makeHandler(deps)` for tests and a `handler` that
 * builds its deps (configuration, clients, adapters) on the first invocation, once per cold
 * start. Importing a handler module therefore reads no environment and creates no client; a
 * missing or malformed variable fails that first invocation with a ConfigError naming it, and the
 * next invocation tries again.
 */
import type { Context } from 'aws-lambda';

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

export function onFirstInvocation<TEvent, TResult>(
  build: () => LambdaHandler<TEvent, TResult>,
): LambdaHandler<TEvent, TResult> {
  let built: LambdaHandler<TEvent, TResult> | undefined;
  return async (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
