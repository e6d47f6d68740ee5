/**
 * The names of the stack's CloudFormation outputs, and a reader for the file that
 * `cdk deploy --outputs-file cdk-outputs.json` writes. The stack names its outputs with these
 * helpers and a CLI reads them back with the same helpers, so the two cannot disagree.
 * Deliberately free of aws-cdk-lib imports: a CLI can load it without loading the CDK.
 */

/** The one stack of the app; also the top-level key of the outputs file. */
export const civicloopStackName = 'Civicloop';

export const apiUrlOutputKey = 'ApiUrl';
export const alarmTopicArnOutputKey = 'AlarmTopicArn';
export const staffUserPoolIdOutputKey = 'StaffUserPoolId';
export const staffUserPoolClientIdOutputKey = 'StaffUserPoolClientId';

/** `unit-psb-antifraud` → `UnitPsbAntifraud`: output keys must be alphanumeric. */
const alphanumericPascalCase = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** Output key holding a topology queue's URL, e.g. `intake` → `QueueIntake`. */
export const queueOutputKey = (queueName: string): string => `Queue${alphanumericPascalCase(queueName)}`;

/** Output key holding a topology topic's ARN, e.g. `inbound-sms` → `TopicInboundSms`. */
export const topicOutputKey = (topicName: string): string => `Topic${alphanumericPascalCase(topicName)}`;

/** Output key holding a topology table's physical name, e.g. `cases` → `TableCases`. */
export const tableOutputKey = (tableName: string): string => `Table${alphanumericPascalCase(tableName)}`;

/**
 * Output key holding the ARN of a secret the functions read, e.g. `twilioAuthToken` →
 * `SecretTwilioAuthToken`: what `aws secretsmanager put-secret-value --secret-id` takes.
 */
export const secretOutputKey = (secretName: string): string => `Secret${alphanumericPascalCase(secretName)}`;

/** What a deployed stack tells its clients, read from the outputs file. */
export interface CivicloopOutputs {
  apiUrl: string;
  alarmTopicArn: string;
  /** URL of a topology queue (e.g. `unitQueueName('psb')`); throws if the stack has none. */
  queueUrl(queueName: string): string;
  /** Physical name of a topology table; throws if the stack has none. */
  tableName(tableName: string): string;
  /** The staff user pool and the console's client id; read on demand, so older outputs files still load. */
  staffUserPool(): { userPoolId: string; clientId: string };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the parsed contents of `cdk-outputs.json` (`{ Civicloop: { ApiUrl: …, … } }`).
 * Fails with the missing key named, because a stale or partial outputs file is the usual cause.
 */
export function readCivicloopOutputs(outputsFile: unknown, stackName = civicloopStackName): CivicloopOutputs {
  const stackOutputs = isRecord(outputsFile) ? outputsFile[stackName] : undefined;
  if (!isRecord(stackOutputs)) {
    throw new Error(`outputs file has no stack ${stackName}; run cdk deploy --outputs-file first`);
  }
  const outputValue = (key: string): string => {
    const value = stackOutputs[key];
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`outputs file: stack ${stackName} has no output ${key}`);
    }
    return value;
  };
  return {
    apiUrl: outputValue(apiUrlOutputKey),
    alarmTopicArn: outputValue(alarmTopicArnOutputKey),
    queueUrl: (queueName) => outputValue(queueOutputKey(queueName)),
    tableName: (tableName) => outputValue(tableOutputKey(tableName)),
    staffUserPool: () => ({
      userPoolId: outputValue(staffUserPoolIdOutputKey),
      clientId: outputValue(staffUserPoolClientIdOutputKey),
    }),
  };
}
