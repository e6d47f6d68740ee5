/** Port: hands a submitted report to the router, durably (SQS in AWS and locally). */
import type { ReportSubmitted } from '../domain/report.ts';

export interface IntakeQueue {
  enqueue(message: ReportSubmitted): Promise<void>;
}
