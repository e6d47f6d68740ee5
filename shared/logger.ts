/**
 * Structured JSON logs through Powertools. Callers log ids, codes and counts, never phone
 * numbers, names or report text; the local runtime silences it with POWERTOOLS_LOG_LEVEL.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const createLogger = (functionName: string): Logger =>
  new Logger({ serviceName: 'civicloop', persistentKeys: { fn: functionName } });
