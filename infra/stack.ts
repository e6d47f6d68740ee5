/**
 * The Civicloop stack, built only by iterating over the topology: a table per table spec, a
 * queue (with its dead-letter queue and alarms) per queue spec, a function per function spec,
 * and for each trigger its HTTP route, queue event source or schedule. The stack adds only what
 * every deployment shares: the HTTP API, the edge in front of it (CloudFront with the WAF web ACL
 * that applies the per-client limits of infra/client-limits.ts) and the alarm topic.
 *
 * The web ACL of a CloudFront distribution can only be created in us-east-1, so this stack
 * deploys there (app.ts pins the region; a stack in another region fails at synth).
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SECRET_MAX_AGE_SECONDS } from '../shared/adapters/secrets.ts';
import { edgeOriginSecretEnv } from '../shared/http/edge-origin.ts';
import { staffTokenEnv } from '../shared/http/staff-identity.ts';
import { unitIds } from '../shared/reference/county-structure.ts';
import { clientLimits } from './client-limits.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { CivicBucket } from './constructs/civic-bucket.ts';
import { CivicFunction, functionLogRetention } from './constructs/civic-function.ts';
import { alarmOnDeadLetters, alarmOnLogEvent, CivicQueue } from './constructs/civic-queue.ts';
import { CivicTable } from './constructs/civic-table.ts';
import { CivicTopic } from './constructs/civic-topic.ts';
import { EdgeProtection, edgeRegion } from './constructs/edge-protection.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { StaffUserPool } from './constructs/staff-user-pool.ts';
import {
  alarmTopicArnOutputKey,
  apiUrlOutputKey,
  queueOutputKey,
  secretOutputKey,
  staffUserPoolClientIdOutputKey,
  staffUserPoolIdOutputKey,
  tableOutputKey,
  topicOutputKey,
} from './stack-outputs.ts';
import {
  topology as civicloopTopology,
  type FunctionSpec,
  type HttpMethod,
  type SecretBinding,
  secretsOf,
  type Topology,
  type Trigger,
  unitQueueName,
} from './topology.ts';

export interface CivicloopStackProps extends StackProps {
  /** The system to deploy; the real topology unless a test passes a variation. */
  readonly topology?: Topology;
  /**
   * The edge's web ACL, made in us-east-1 by infra/edge-waf-stack.ts, when this stack is in
   * another region; without it the stack makes the web ACL itself (only possible in us-east-1).
   */
  readonly edgeWebAclArn?: string;
}

/** The repository root: handler entries and the lock file are resolved from here. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Route throttling for the whole API, shared by every client: far above a county's intake, far
 * below a flood. The per-client limits (infra/client-limits.ts) keep one client to a share of it.
 */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/** Lambda's own retries of a failed scheduled invocation, before it goes to the dead-letter queue. */
export const scheduleRetryAttempts = 2;

const integrationMethods: Record<HttpMethod, apigwv2.HttpMethod> = {
  GET: apigwv2.HttpMethod.GET,
  POST: apigwv2.HttpMethod.POST,
  PUT: apigwv2.HttpMethod.PUT,
  DELETE: apigwv2.HttpMethod.DELETE,
};

/** Access log fields: the route template, never the raw path, which would log tracking codes. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export class CivicloopStack extends Stack {
  readonly topology: Topology;
  readonly tables: ReadonlyMap<string, CivicTable>;
  readonly queues: ReadonlyMap<string, CivicQueue>;
  readonly topics: ReadonlyMap<string, CivicTopic>;
  readonly buckets: ReadonlyMap<string, CivicBucket>;
  readonly functions: ReadonlyMap<string, CivicFunction>;
  /** One Secrets Manager secret per secret the functions bind, by name. */
  readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  readonly api: apigwv2.HttpApi;
  readonly apiStage: apigwv2.HttpStage;
  readonly alarmTopic: AlarmTopic;
  /** The nested stack holding every alarm and metric filter (infra/constructs/monitoring.ts). */
  readonly monitoring: Monitoring;
  readonly staff: StaffUserPool;
  readonly edge: EdgeProtection;

  constructor(scope: Construct, id: string, props: CivicloopStackProps = {}) {
    super(scope, id, props);
    if (!props.edgeWebAclArn && !Token.isUnresolved(this.region) && this.region !== edgeRegion) {
      throw new Error(
        `${id} is in ${this.region}: its CloudFront web ACL must come from a stack in ${edgeRegion} (infra/edge-waf-stack.ts, as infra/app.ts does)`,
      );
    }
    const topology = props.topology ?? civicloopTopology;
    this.topology = topology;

    this.alarmTopic = new AlarmTopic(this, 'Alarms');
    this.monitoring = new Monitoring(this, 'Monitoring');

    this.tables = new Map(
      topology.tables.map((spec) => [spec.name, new CivicTable(this, `Table-${spec.name}`, { spec })]),
    );
    this.queues = new Map(
      topology.queues.map((spec) => [
        spec.name,
        new CivicQueue(this, `Queue-${spec.name}`, {
          spec,
          alarmTopic: this.alarmTopic.topic,
          alarmScope: this.monitoring.alarmsOf(`Queue-${spec.name}`),
        }),
      ]),
    );

    this.topics = new Map(
      (topology.topics ?? []).map((spec) => [
        spec.name,
        new CivicTopic(this, `Topic-${spec.name}`, { spec }),
      ]),
    );

    const { api, stage } = this.createApi();
    this.api = api;
    this.apiStage = stage;
    this.edge = new EdgeProtection(this, 'Edge', {
      api,
      limits: clientLimits,
      webAclArn: props.edgeWebAclArn,
    });
    this.staff = new StaffUserPool(this, 'Staff');
    this.secrets = new Map(
      secretsOf(topology).map(({ name, value }) => [name, this.createSecret(name, value)]),
    );

    // After the edge: a bucket lets browsers on the site's origin (CloudFront's) post uploads.
    this.buckets = new Map(
      (topology.buckets ?? []).map((spec) => [
        spec.name,
        new CivicBucket(this, `Bucket-${spec.name}`, {
          spec,
          siteOrigin: `https://${this.edge.distribution.distributionDomainName}`,
        }),
      ]),
    );

    const resources = {
      tables: this.tables,
      buckets: new Map([...this.buckets].map(([name, civicBucket]) => [name, civicBucket.bucket])),
      queues: new Map([...this.queues].map(([name, civicQueue]) => [name, civicQueue.queue])),
      unitQueues: this.unitQueues(),
      userPool: this.staff.userPool,
      userPoolClient: this.staff.client,
      secrets: this.secrets,
    };
    this.functions = new Map(
      topology.functions.map((spec) => {
        const civicFunction = new CivicFunction(this, `Function-${spec.name}`, {
          spec,
          resources,
          projectRoot: repositoryRoot,
        });
        const alarms = this.monitoring.alarmsOf(civicFunction.node.id);
        if (civicFunction.asyncFailureQueue) {
          alarmOnDeadLetters(
            alarms,
            civicFunction.asyncFailureQueue,
            this.alarmTopic.topic,
            `an asynchronous run of ${spec.name} (schedule or topic) failed`,
          );
        }
        for (const logAlarm of spec.logAlarms ?? []) {
          alarmOnLogEvent(alarms, civicFunction.logGroup, logAlarm, this.alarmTopic.topic);
        }
        this.wireTriggers(civicFunction);
        if (spec.triggers.some((trigger) => trigger.kind === 'http')) {
          // Behind the API: refuses requests that did not come through the edge.
          civicFunction.lambda.addEnvironment(edgeOriginSecretEnv, this.edge.originSecretValue);
        }
        if (spec.triggers.some((trigger) => trigger.kind === 'http' && trigger.auth === 'staff')) {
          // Staff routes verify the staff token in the function (shared/http/staff-identity.ts).
          civicFunction.lambda.addEnvironment(staffTokenEnv.issuer, this.staff.tokens.issuer);
          civicFunction.lambda.addEnvironment(staffTokenEnv.audience, this.staff.tokens.audience);
          civicFunction.lambda.addEnvironment(staffTokenEnv.keys, this.staff.tokens.jwksUrl);
        }
        return [spec.name, civicFunction];
      }),
    );

    this.addOutputs();
  }

  /**
   * A secret the functions read at run time. Its first value is generated by Secrets Manager (for
   * a provider's value, a placeholder the operator replaces); later values are put by an operator,
   * and no deploy changes a value once the secret exists.
   */
  private createSecret(name: string, value: SecretBinding['value']): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, `Secret-${name}`, {
      description:
        value === 'generated'
          ? `${this.stackName}: ${name}, a key of its own; put a new random value to rotate (README: Deploy)`
          : `${this.stackName}: ${name}, issued by the provider; put its value here (README: Deploy)`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `Rotated by putting a new value (aws secretsmanager put-secret-value), not by a rotation Lambda: the functions read it at run time and use a new value within ${SECRET_MAX_AGE_SECONDS / 60} minutes, without a deploy. A rotation Lambda would be one more function that may write the secret, and cannot obtain a provider's new token.`,
    });
    return secret;
  }

  /** One HTTP API for every http trigger, served from the `$default` stage. */
  private createApi(): { api: apigwv2.HttpApi; stage: apigwv2.HttpStage } {
    const api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `${this.stackName}-api`,
      description: 'Resident report intake and status',
      // Created below instead, because the default stage HttpApi makes takes no logging or
      // throttling settings.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: functionLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: accessLogFormat,
      },
    });
    return { api, stage };
  }

  /** Every unit's dispatch queue, by unit id; each unit must have one in the topology. */
  private unitQueues(): ReadonlyMap<string, sqs.IQueue> {
    return new Map(
      unitIds.map((unitId) => {
        const civicQueue = this.queues.get(unitQueueName(unitId));
        if (!civicQueue) throw new Error(`topology: unit ${unitId} has no queue ${unitQueueName(unitId)}`);
        return [unitId, civicQueue.queue];
      }),
    );
  }

  private wireTriggers(civicFunction: CivicFunction): void {
    const { spec } = civicFunction;
    let integration: HttpLambdaIntegration | undefined;
    spec.triggers.forEach((trigger, index) => {
      switch (trigger.kind) {
        case 'http': {
          // One invoke permission per function, for any route of this API, instead of one per
          // route: only the routes that integrate the function reach it, and the stack stays under
          // CloudFormation's resource limit (see the stack test's resource budget).
          integration ??= new HttpLambdaIntegration(`Integration-${spec.name}`, civicFunction.lambda, {
            scopePermissionToRoute: false,
          });
          this.addRoute(trigger, integration);
          return;
        }
        case 'queue': {
          const civicQueue = this.queues.get(trigger.queue);
          if (!civicQueue)
            throw new Error(`topology: ${spec.name} is triggered by unknown queue ${trigger.queue}`);
          assertConsumerCanKeepUp(spec, civicQueue);
          civicFunction.lambda.addEventSource(
            new SqsEventSource(civicQueue.queue, {
              batchSize: trigger.batchSize,
              maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
              ...(trigger.maxConcurrency === undefined ? {} : { maxConcurrency: trigger.maxConcurrency }),
              // One failed report is retried alone; the rest of its batch is not redelivered.
              reportBatchItemFailures: true,
            }),
          );
          return;
        }
        case 'schedule': {
          this.addSchedule(civicFunction, trigger, index);
          return;
        }
        case 'topic': {
          const civicTopic = this.topics.get(trigger.topic);
          if (!civicTopic)
            throw new Error(`topology: ${spec.name} subscribes to unknown topic ${trigger.topic}`);
          // SNS retries delivery, Lambda retries the async run; what still fails lands in the DLQ.
          civicTopic.topic.addSubscription(
            new snsSubscriptions.LambdaSubscription(civicFunction.lambda, {
              deadLetterQueue: civicFunction.asyncFailureQueue,
            }),
          );
          return;
        }
      }
    });
  }

  private addRoute(trigger: Extract<Trigger, { kind: 'http' }>, integration: HttpLambdaIntegration): void {
    const routeKey = `${trigger.method} ${trigger.path}`;
    // Whether a route needs a staff token is declared once, in the topology. No gateway
    // authoriser: the function verifies the token (see the reason below).
    const routes = this.api.addRoutes({
      path: trigger.path,
      methods: [integrationMethods[trigger.method]],
      integration,
    });
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          trigger.auth === 'staff'
            ? `${routeKey} is a staff route: its function verifies the Cognito ID token on every request (signature against the pool's keys, issuer, console-client audience, expiry, token_use) before anything else runs, and answers 401 in the API's error shape, which an HTTP API's JWT authoriser cannot.`
            : `${routeKey} is declared auth: 'public' in infra/topology.ts: residents report and follow cases without an account, and staff sign in through the public session route to get their token.`,
      });
    }
  }

  private addSchedule(
    civicFunction: CivicFunction,
    trigger: Extract<Trigger, { kind: 'schedule' }>,
    index: number,
  ): void {
    const { spec, asyncFailureQueue } = civicFunction;
    if (!asyncFailureQueue)
      throw new Error(`${spec.name}: a scheduled function needs its async failure queue`);
    new events.Rule(this, `Schedule-${spec.name}-${index}`, {
      description: `Runs ${spec.name} every ${trigger.everyMinutes === 1 ? 'minute' : `${trigger.everyMinutes} minutes`}`,
      schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
      targets: [
        new eventTargets.LambdaFunction(civicFunction.lambda, {
          deadLetterQueue: asyncFailureQueue,
          retryAttempts: scheduleRetryAttempts,
          // A run that could not start within an hour is superseded by the next ones.
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
  }

  private addOutputs(): void {
    new CfnOutput(this, apiUrlOutputKey, {
      description: 'Public base URL of the resident page, the API and the console (CloudFront)',
      value: this.edge.url,
    });
    new CfnOutput(this, staffUserPoolIdOutputKey, {
      description: 'Cognito user pool of the staff accounts (administrators create users here)',
      value: this.staff.userPool.userPoolId,
    });
    new CfnOutput(this, staffUserPoolClientIdOutputKey, {
      description: 'App client id the staff console signs in with (its ID tokens name it as audience)',
      value: this.staff.client.userPoolClientId,
    });
    new CfnOutput(this, alarmTopicArnOutputKey, {
      description: 'SNS topic every alarm notifies; subscribe the on-call here',
      value: this.alarmTopic.topic.topicArn,
    });
    for (const [name, civicQueue] of this.queues) {
      new CfnOutput(this, queueOutputKey(name), {
        description: `URL of the ${name} queue`,
        value: civicQueue.queue.queueUrl,
      });
    }
    for (const [name, civicTopic] of this.topics) {
      new CfnOutput(this, topicOutputKey(name), {
        description: `ARN of the ${name} topic (point the two-way SMS configuration here)`,
        value: civicTopic.topic.topicArn,
      });
    }
    for (const [name, secret] of this.secrets) {
      new CfnOutput(this, secretOutputKey(name), {
        description: `ARN of the ${name} secret (aws secretsmanager put-secret-value --secret-id …)`,
        value: secret.secretArn,
      });
    }
    for (const [name, table] of this.tables) {
      new CfnOutput(this, tableOutputKey(name), {
        description: `Name of the ${name} table`,
        value: table.tableName,
      });
    }
  }
}

/**
 * A message must stay hidden long enough for every retry of its consumer, or it is delivered
 * twice while still being worked on (AWS: visibility timeout ≥ 6× the function timeout).
 */
function assertConsumerCanKeepUp(spec: FunctionSpec, civicQueue: CivicQueue): void {
  if (civicQueue.spec.consumer !== 'function') {
    throw new Error(`topology: ${civicQueue.spec.name} is consumed outside the system, not by ${spec.name}`);
  }
  if (civicQueue.spec.visibilityTimeoutSeconds < 6 * spec.timeoutSeconds) {
    throw new Error(
      `topology: ${civicQueue.spec.name} visibility timeout must be >= 6x the ${spec.name} timeout (${6 * spec.timeoutSeconds}s)`,
    );
  }
}
