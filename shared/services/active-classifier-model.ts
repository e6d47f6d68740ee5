/**
 * The classifier model a function classifies with, loaded once per version per container: the
 * pointer (one small read) is looked at no more than once a `ttlMs`, and the model itself (a few
 * hundred KB) is read and decoded only when the pointer names another version — on the cold start,
 * and after a training or a rollback. When the store cannot be read, the model already loaded stays
 * in use (none on a cold start: keywords only), and the next call tries again: a resident's text is
 * never held up by the classifier's storage.
 */
import type { LoadedModel } from '../domain/sms/report-classifier.ts';
import type { ClassifierModels } from '../ports/classifier-models.ts';

export function activeModelLoader(
  models: Pick<ClassifierModels, 'active' | 'load'>,
  ttlMs: number,
  options: { clock?: () => number; onError?: (error: unknown) => void } = {},
): () => Promise<LoadedModel | undefined> {
  const clock = options.clock ?? Date.now;
  let loaded: LoadedModel | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<LoadedModel | undefined> | undefined;
  const refresh = async (): Promise<LoadedModel | undefined> => {
    try {
      const version = (await models.active())?.version;
      if (version === undefined) loaded = undefined;
      else if (version !== loaded?.version) {
        const found = await models.load(version);
        loaded = found ? { version, model: found.model } : undefined;
      }
      checkedAt = clock();
    } catch (error) {
      options.onError?.(error);
    }
    return loaded;
  };
  return () => {
    if (clock() - checkedAt < ttlMs) return Promise.resolve(loaded);
    // Concurrent callers share one refresh.
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
