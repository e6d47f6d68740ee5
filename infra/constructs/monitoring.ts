/**
 * The stack's alarms and the metric filters they count, in a nested stack of their own. They are
 * many (two per queue, one per function's failure queue, one per paging log event), carry no
 * names or state, and nothing refers to them, so they can live apart from what they watch: the
 * main stack keeps room under CloudFormation's 500-resource limit (the stack test's budget).
 * The queues, log groups and alarm topic they name reach the nested stack as its parameters.
 */
import { NestedStack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class Monitoring extends NestedStack {
  private readonly scopes = new Map<string, Construct>();

  constructor(scope: Construct, id: string) {
    super(scope, id, { description: 'civicloop: alarms on queues, failed runs and paging log events' });
  }

  /**
   * Where the alarms of the construct with id `ownerId` in the main stack go: a construct of the
   * same id here, so an alarm's path names what it watches (`Monitoring/Queue-intake/…`).
   */
  alarmsOf(ownerId: string): Construct {
    const existing = this.scopes.get(ownerId);
    if (existing) return existing;
    const created = new Construct(this, ownerId);
    this.scopes.set(ownerId, created);
    return created;
  }
}
