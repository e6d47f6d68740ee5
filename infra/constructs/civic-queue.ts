/**
 * One topology queue as deployed: the queue, its own dead-letter queue, and the alarms that say
 * a message is stuck. Both queues are SQS-encrypted and refuse requests that are not TLS.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../topology.ts';

export interface CivicQueueProps {
  readonly spec: QueueSpec;
  readonly alarmTopic: sns.ITopic;
  /** Where its alarms go (the stack's monitoring nested stack); the queue's own construct by default. */
  readonly alarmScope?: Construct;
}

/**
 * The SQS maximum, unless the queue carries personal data and says less. A dead letter keeps its
 * original enqueue time, so a shorter retention than its source queue's could expire it on
 * arrival; and it should wait as long as possible for a human.
 */
export const deadLetterRetention = Duration.days(14);

/** The dead-letter queue's retention for `spec`; a topology error if it could expire messages on arrival. */
export function deadLetterRetentionOf(spec: QueueSpec): Duration {
  const days = spec.deadLetterRetentionDays;
  if (days === undefined) return deadLetterRetention;
  if (days < spec.retentionDays || days > deadLetterRetention.toDays()) {
    throw new Error(
      `topology: queue ${spec.name} needs deadLetterRetentionDays between its retentionDays (${spec.retentionDays}) and 14`,
    );
  }
  return Duration.days(days);
}

/** Fewer receives than this dead-letter a message on a burst of throttling alone. */
const minimumMaxReceiveCount = 5;

/**
 * How old the oldest message may get before someone is told. Our own consumers drain a queue
 * within seconds, so a quarter of an hour means they are failing. Departments poll their queue
 * on working days only, so three days spans a weekend yet alarms long before the 14-day
 * retention would lose a case.
 */
export const oldestMessageAlarmAge = (spec: QueueSpec): Duration =>
  spec.consumer === 'function' ? Duration.minutes(15) : Duration.days(3);

export class CivicQueue extends Construct {
  readonly spec: QueueSpec;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: CivicQueueProps) {
    super(scope, id);
    const { spec, alarmTopic } = props;
    const alarmScope = props.alarmScope ?? this;
    if (spec.maxReceiveCount < minimumMaxReceiveCount) {
      throw new Error(`topology: queue ${spec.name} needs maxReceiveCount >= ${minimumMaxReceiveCount}`);
    }
    this.spec = spec;
    const physicalName = `${Stack.of(this).stackName}-${spec.name}`;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${physicalName}-dlq`,
      retentionPeriod: deadLetterRetentionOf(spec),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: physicalName,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(spec.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    alarmOnDeadLetters(alarmScope, this.deadLetterQueue, alarmTopic, `a message for ${spec.name} failed`);

    const maxAge = oldestMessageAlarmAge(spec);
    const ageAlarm = new cloudwatch.Alarm(alarmScope, 'OldestMessageAlarm', {
      alarmDescription: `The oldest message in ${physicalName} is older than ${maxAge.toHumanString()}: its consumer is not keeping up`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: maxAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notify(ageAlarm, alarmTopic);
  }
}

/** Any message in a dead-letter queue needs a human: alarm on the first one. */
export function alarmOnDeadLetters(
  scope: Construct,
  deadLetterQueue: sqs.IQueue,
  alarmTopic: sns.ITopic,
  what: string,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, 'DeadLettersAlarm', {
    alarmDescription: `Dead letters in ${deadLetterQueue.queueName}: ${what} after all retries`,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.MAXIMUM,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify(alarm, alarmTopic);
  return alarm;
}

/**
 * One occurrence of a structured log event (`{"event": "<event>"}`) in a function's log group
 * raises an alarm: for failures a person must look at that no queue depth shows.
 */
export function alarmOnLogEvent(
  scope: Construct,
  logGroup: logs.ILogGroup,
  logAlarm: { event: string; description: string },
  alarmTopic: sns.ITopic,
): cloudwatch.Alarm {
  const id = logAlarm.event.replace(/[^A-Za-z0-9]/g, '');
  const filter = new logs.MetricFilter(scope, `LogEvent${id}`, {
    logGroup,
    filterPattern: logs.FilterPattern.stringValue('$.event', '=', logAlarm.event),
    metricNamespace: 'civicloop',
    metricName: logAlarm.event,
    metricValue: '1',
    dimensions: { function: '$.fn' },
  });
  const alarm = new cloudwatch.Alarm(scope, `LogEvent${id}Alarm`, {
    alarmDescription: `${logGroup.logGroupName}: ${logAlarm.description}`,
    metric: filter.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify(alarm, alarmTopic);
  return alarm;
}

/** Tells the topic when the alarm fires and when it clears, so nobody chases a solved problem. */
function notify(alarm: cloudwatch.Alarm, alarmTopic: sns.ITopic): void {
  const action = new SnsAction(alarmTopic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
