/**
 * One topology function as deployed: the bundled handler with the project's safe defaults, its
 * own role and log group, and its bindings. A binding grants the access and sets the environment
 * variable naming the resource in the same step, so a function can only name what it may reach.
 * Triggers are wired by the stack, which owns the shared HTTP API.
 */
import path from 'node:path';
import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Binding, FunctionSpec } from '../topology.ts';
import {
  handlerExternals,
  handlerMainFields,
  handlerSupportedArgs,
  importMetaUrlBanner,
  importMetaUrlDefine,
  sideModulesOf,
} from './handler-bundling.ts';

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** Bundling hooks that copy `copyFiles` from the repository into the function's bundle. */
export function copyFilesHooks(files: NonNullable<FunctionSpec['copyFiles']>): ICommandHooks {
  return bundleFilesHooks({ copyFiles: files });
}

/**
 * Bundling hooks that put the files a handler reads at run time beside it: `copyFiles` copied
 * from the repository, then each of `pageAssets` built by infra/build-page-assets.ts and the side
 * modules (`sideModulesOf`) by infra/build-side-modules.ts (with the Node on the PATH, the one that
 * runs CDK).
 */
export function bundleFilesHooks(
  spec: Pick<FunctionSpec, 'copyFiles' | 'pageAssets'> & Partial<Pick<FunctionSpec, 'bindings'>>,
): ICommandHooks {
  const files = spec.copyFiles ?? [];
  const pages = spec.pageAssets ?? [];
  const side = sideModulesOf({ bindings: spec.bindings ?? [] });
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...files.map(
        ({ from, to }) =>
          `cp ${shellQuote(path.join(inputDir, from))} ${shellQuote(path.join(outputDir, to))}`,
      ),
      ...pages.map(
        (page) =>
          `node ${shellQuote(path.join(inputDir, 'infra', 'build-page-assets.ts'))} ${page} ${shellQuote(outputDir)}`,
      ),
      ...(side.length
        ? [
            `node ${shellQuote(path.join(inputDir, 'infra', 'build-side-modules.ts'))} ${shellQuote(outputDir)} ${side.join(' ')}`,
          ]
        : []),
    ],
  };
}

/** The deployed resources a binding can name, keyed by their topology names. */
export interface BindableResources {
  readonly tables: ReadonlyMap<string, dynamodb.ITable>;
  readonly queues: ReadonlyMap<string, sqs.IQueue>;
  /** Every unit's dispatch queue, keyed by unit id. */
  readonly unitQueues: ReadonlyMap<string, sqs.IQueue>;
  /** The staff user pool and its console app client. */
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The Secrets Manager secret of each secret the topology binds, keyed by its name. */
  readonly secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  /** The topology's buckets, keyed by their topology names. */
  readonly buckets?: ReadonlyMap<string, s3.IBucket>;
}

/** The S3 actions of each bucket access; `list` is ListBucket narrowed to the prefix. */
const bucketActions = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
  list: ['s3:ListBucket'],
} as const;

export interface CivicFunctionProps {
  readonly spec: FunctionSpec;
  readonly resources: BindableResources;
  /** Absolute path of the repository root: the entry, the lock file and node_modules resolve from it. */
  readonly projectRoot: string;
}

export const serviceName = 'civicloop';

/**
 * How long a failed asynchronous invocation waits for a person. A topic's events are residents'
 * texts (phone and words): a working week, as the intake queue's dead letters. A schedule's
 * events carry nothing personal (and the next run supersedes them): the SQS maximum.
 */
export const asyncFailureRetention = (spec: FunctionSpec): Duration =>
  Duration.days(spec.triggers.some((t) => t.kind === 'topic') ? 7 : 14);

export const functionLogRetention = logs.RetentionDays.ONE_MONTH;

/**
 * A role whose grants go into an inline policy of the role itself instead of a separate
 * AWS::IAM::Policy (CDK's default policy): the same statements, one CloudFormation resource fewer
 * per function, which keeps the stack under its resource limit (see the stack test's budget).
 * IAM counts both kinds of inline policy against the same per-role size limit.
 */
class InlinePolicyRole extends iam.Role {
  private readonly accessPolicy: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const grants = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, grants } });
    this.accessPolicy = grants;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.accessPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

export class CivicFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly lambda: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /**
   * Where failed asynchronous invocations land after Lambda's retries. Only functions with a
   * schedule trigger are invoked asynchronously; the others report failures to their caller
   * (HTTP) or to their queue's own dead-letter queue.
   */
  readonly asyncFailureQueue: sqs.Queue | undefined;

  private readonly resources: BindableResources;
  private readonly boundEnvNames = new Set<string>();

  constructor(scope: Construct, id: string, props: CivicFunctionProps) {
    super(scope, id);
    const { spec, resources, projectRoot } = props;
    this.spec = spec;
    this.resources = resources;
    const functionName = `${Stack.of(this).stackName}-${spec.name}`;

    // Named so operators find it where Lambda's console looks; destroyed with the stack because
    // it holds only a month of operational logs, never case records.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: functionLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every
    // log group in the account, this one only to the function's own.
    this.role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    const invokedAsynchronously = spec.triggers.some((t) => t.kind === 'schedule' || t.kind === 'topic');
    this.asyncFailureQueue = invokedAsynchronously
      ? new sqs.Queue(this, 'AsyncFailureQueue', {
          queueName: `${functionName}-async-dlq`,
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: asyncFailureRetention(spec),
        })
      : undefined;

    this.lambda = new NodejsFunction(this, 'Function', {
      functionName,
      description: spec.description,
      entry: path.join(projectRoot, spec.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      ...(this.asyncFailureQueue ? { deadLetterQueue: this.asyncFailureQueue, retryAttempts: 2 } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // The local esbuild from node_modules: synth works offline and without Docker.
        forceDockerBundling: false,
        // CommonJS loads faster than an ES module bundle; see handler-bundling.ts.
        format: OutputFormat.CJS,
        mainFields: handlerMainFields,
        banner: importMetaUrlBanner,
        define: importMetaUrlDefine,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Unit and township names are Chinese; keep them as UTF-8 instead of \u escapes (passed
        // to esbuild directly because this aws-cdk-lib's local bundler ignores `charset`), and
        // dynamic imports of what is not bundled as require (see handler-bundling.ts).
        esbuildArgs: { '--charset': 'utf8', ...handlerSupportedArgs },
        // Bundle the AWS SDK v3 clients instead of using the runtime's copy: the version is the
        // one we test with, and a cold start loads only the clients the handler imports. Only the
        // credential sources and SDK paths Lambda never reaches stay out (see handler-bundling.ts).
        externalModules: handlerExternals,
        // Files the handler reads at run time (the console's Chart.js, the pages' script and
        // stylesheet) go beside the bundle.
        ...(spec.copyFiles?.length || spec.pageAssets?.length || sideModulesOf(spec).length
          ? { commandHooks: bundleFilesHooks(spec) }
          : {}),
      },
    });

    // Lambda's X-Ray integration needs xray:PutTraceSegments/PutTelemetryRecords, which have no
    // resource-level permissions; CDK adds them to this role when tracing is active.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray write actions added for active tracing, which do not support resource-level permissions',
    });

    for (const binding of spec.bindings) this.bind(binding);
  }

  /** Grants what the binding allows and names the resource in the binding's env var, together. */
  private bind(binding: Binding): void {
    if (this.boundEnvNames.has(binding.env)) {
      throw new Error(`topology: function ${this.spec.name} binds ${binding.env} twice`);
    }
    this.boundEnvNames.add(binding.env);

    switch (binding.kind) {
      case 'table': {
        const table = this.lookUp(this.resources.tables, binding.table, 'table');
        if (binding.access === 'readWrite') table.grantReadWriteData(this.lambda);
        else table.grantReadData(this.lambda);
        this.lambda.addEnvironment(binding.env, table.tableName);
        this.acknowledgeIndexGrant(table);
        return;
      }
      case 'queue': {
        const queue = this.lookUp(this.resources.queues, binding.queue, 'queue');
        queue.grantSendMessages(this.lambda);
        this.lambda.addEnvironment(binding.env, queue.queueUrl);
        return;
      }
      case 'bucket': {
        const bucket = this.lookUp(this.resources.buckets ?? new Map(), binding.bucket, 'bucket');
        for (const { action, prefix } of binding.access) {
          this.lambda.addToRolePolicy(
            action === 'list'
              ? new iam.PolicyStatement({
                  actions: [...bucketActions.list],
                  resources: [bucket.bucketArn],
                  conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
                })
              : new iam.PolicyStatement({
                  actions: [...bucketActions[action]],
                  resources: [bucket.arnForObjects(`${prefix}*`)],
                }),
          );
        }
        if (binding.access.some((a) => a.action !== 'list')) {
          const cfn = bucket.node.defaultChild;
          const logicalId = cfn instanceof CfnResource ? Stack.of(bucket).getLogicalId(cfn) : bucket.node.id;
          for (const prefix of new Set(binding.access.map((a) => a.prefix))) {
            Validations.of(this.role).acknowledge({
              id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
              reason: `Objects under ${prefix} only: keys carry a random upload id or a tracking code, known only at run time`,
            });
          }
        }
        this.lambda.addEnvironment(binding.env, bucket.bucketName);
        return;
      }
      case 'unitQueues': {
        if (this.resources.unitQueues.size === 0) {
          throw new Error(`topology: function ${this.spec.name} binds unit queues but there are none`);
        }
        const queueUrlByUnit: Record<string, string> = {};
        for (const [unitId, queue] of this.resources.unitQueues) {
          queue.grantSendMessages(this.lambda);
          queueUrlByUnit[unitId] = queue.queueUrl;
        }
        this.lambda.addEnvironment(binding.env, Stack.of(this).toJsonString(queueUrlByUnit));
        return;
      }
      case 'userPoolClient': {
        // Nothing to grant for the client itself: it has no secret, so its id is all it takes.
        this.lambda.addEnvironment(binding.env, this.resources.userPoolClient.userPoolClientId);
        return;
      }
      case 'userPool': {
        // The server-side sign-in on this pool only: no user administration.
        this.resources.userPool.grant(this.lambda, 'cognito-idp:AdminInitiateAuth');
        this.lambda.addEnvironment(binding.env, this.resources.userPool.userPoolId);
        return;
      }
      case 'smsSender': {
        // The origination identity is the county's own phone number or pool, set per deployment.
        const identity = String(this.node.tryGetContext('smsOriginationIdentity') ?? 'not-configured');
        this.lambda.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: ['*'] }),
        );
        Validations.of(this.role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'X-Ray writes, and SendTextMessage: its resources are the origination identity and the destination numbers, which are any resident',
        });
        this.lambda.addEnvironment(binding.env, identity);
        return;
      }
      case 'setting': {
        // Not secret (secrets are bindings of their own): an allow-list, a limit.
        this.lambda.addEnvironment(binding.env, String(this.node.tryGetContext(binding.name) ?? ''));
        return;
      }
      case 'secret': {
        // The ARN, never the value: the function reads the value at run time, so a new value
        // needs no deploy and the value is in no template, context or function configuration.
        if (!binding.env.endsWith('_ARN')) {
          throw new Error(
            `topology: ${this.spec.name} names secret ${binding.name} in ${binding.env}, not …_ARN`,
          );
        }
        const secret = this.lookUp(this.resources.secrets, binding.name, 'secret');
        // Reading the value only: not DescribeSecret, not other versions' metadata, not writing.
        this.lambda.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [secret.secretArn],
          }),
        );
        this.lambda.addEnvironment(binding.env, secret.secretArn);
        return;
      }
    }
  }

  /**
   * A grant on a table with secondary indexes also covers `<table>/index/*`: the list queries read
   * this table's own indexes, which are declared in the topology and nothing else.
   */
  private acknowledgeIndexGrant(table: dynamodb.ITable): void {
    const cfn = table.node.defaultChild;
    if (!(cfn instanceof CfnResource)) return;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(table).getLogicalId(cfn)}.Arn>/index/*]`,
      reason: "Queries the table's own secondary indexes (declared in infra/topology.ts), not other tables'",
    });
  }

  private lookUp<T>(resources: ReadonlyMap<string, T>, name: string, kind: string): T {
    const resource = resources.get(name);
    if (resource === undefined) {
      throw new Error(`topology: function ${this.spec.name} is bound to unknown ${kind} ${name}`);
    }
    return resource;
  }
}
