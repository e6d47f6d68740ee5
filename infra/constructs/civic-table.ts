/**
 * One topology table as deployed: on-demand, encrypted, recoverable to any second of the last
 * 35 days, and kept when the stack goes, because it holds residents' cases.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { KeySpec, TableSpec } from '../topology.ts';

export interface CivicTableProps {
  readonly spec: TableSpec;
}

const attributeOf = (key: KeySpec): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class CivicTable extends dynamodb.Table {
  readonly spec: TableSpec;

  constructor(scope: Construct, id: string, props: CivicTableProps) {
    const { spec } = props;
    super(scope, id, {
      tableName: `${Stack.of(scope).stackName}-${spec.name}`,
      partitionKey: attributeOf(spec.partitionKey),
      ...(spec.sortKey ? { sortKey: attributeOf(spec.sortKey) } : {}),
      ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Case records outlive any one deployment: neither a stack delete nor a console click
      // removes them.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    this.spec = spec;
    for (const index of spec.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attributeOf(index.partitionKey),
        ...(index.sortKey ? { sortKey: attributeOf(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
