/**
 * An SNS topic a topology function subscribes to, with safe defaults: encrypted with its own
 * rotating KMS key, TLS only, and publishable only by the AWS services the topology names, on
 * behalf of this account (e.g. End User Messaging delivering two-way SMS replies).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { TopicSpec } from '../topology.ts';

export interface CivicTopicProps {
  spec: TopicSpec;
}

export class CivicTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, { spec }: CivicTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const publishers = spec.publishers.map((service) => new iam.ServicePrincipal(service));
    const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${stack.stackName} ${spec.name} messages`,
      enableKeyRotation: true,
      // Messages are transient: SNS holds nothing encrypted under this key once delivered.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    if (publishers.length > 0) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PublishersEncrypt',
          principals: publishers,
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          // A key policy's own key.
          resources: ['*'],
          conditions: sameAccount,
        }),
      );
    }
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${stack.stackName}-${spec.name}`,
      displayName: spec.description,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (publishers.length > 0) {
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PublishersPublish',
          principals: publishers,
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: sameAccount,
        }),
      );
    }
  }
}
