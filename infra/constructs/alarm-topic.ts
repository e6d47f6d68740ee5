/**
 * The one SNS topic every alarm notifies. Encrypted with an own KMS key rather than
 * alias/aws/sns: CloudWatch cannot publish to a topic under the AWS-managed key, whose policy
 * cannot be changed to let it in.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${stack.stackName} alarm notifications`,
      enableKeyRotation: true,
      // Notifications are transient; nothing encrypted under this key outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptNotifications',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // A key policy's own key; the documented statement for alarm topics has no conditions,
        // and the topic policy below already admits only this account's alarms.
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${stack.stackName}-alarms`,
      displayName: `${stack.stackName} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy written for enforceSSL replaces SNS's default one, so the alarms of this
    // account are let in explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
  }
}
