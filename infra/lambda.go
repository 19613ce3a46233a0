package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// logRetention is how long function and access logs are kept.
const logRetention = awslogs.RetentionDays_THREE_MONTHS

// functionDeps is what newFunction wires a function to.
type functionDeps struct {
	Config      Config
	BuildDir    string
	Environment map[string]*string
	// MailEnvironment is added for the functions that send mail.
	MailEnvironment map[string]*string
	Table           awsdynamodb.Table
	// Mail is SES sending; nil where mail goes through an SMTP relay.
	Mail   *mailing
	Alarms alarms
	// AsyncFailures, when set, receives the events of asynchronous
	// invocations (the schedules') that failed after Lambda's retries.
	AsyncFailures *deadLetterQueue
	// StreamFailures receives the stream records a Stream function gave up on.
	StreamFailures *deadLetterQueue
}

// newFunction defines one function of the table with its own role, log
// group, grants and alarms.
func newFunction(scope constructs.Construct, spec function, d functionDeps) awslambda.Function {
	id := title(spec.Name)
	logs := awslogs.NewLogGroup(scope, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		Retention: logRetention,
	})
	// Each function has a role of its own, with an inline policy for its log
	// group instead of the managed AWSLambdaBasicExecutionRole (which may
	// write to any log group). The group exists before the function, so
	// logs:CreateLogGroup is not needed.
	role := awsiam.NewRole(scope, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the " + spec.Name + " function of the Aftersales Scorecard"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"logs": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
					Resources: jsii.Strings(*logs.LogGroupArn()),
				})},
			}),
		},
	})

	props := &awslambda.FunctionProps{
		Description:  jsii.String(spec.Description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(filepath.Join(d.BuildDir, spec.Name)), nil),
		MemorySize:   jsii.Number(spec.MemoryMB),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(spec.Timeout.Seconds())),
		Role:         role,
		LogGroup:     logs,
		Environment:  environment(spec, d),
	}
	if n := spec.Concurrency(d.Config); n > 0 {
		props.ReservedConcurrentExecutions = jsii.Number(n)
	}
	if d.AsyncFailures != nil {
		// A scheduled run that fails is retried twice by Lambda (a rerun
		// continues where the last stopped), then parked in the queue
		// whose depth alarms.
		props.RetryAttempts = jsii.Number(2)
		props.MaxEventAge = awscdk.Duration_Hours(jsii.Number(6))
		props.OnFailure = awslambdadestinations.NewSqsDestination(d.AsyncFailures.Queue)
	}
	fn := awslambda.NewFunction(scope, jsii.String(id+"Function"), props)

	grantTable(role, spec, d.Table)
	if spec.Secrets {
		grantSecrets(role, d.Config.SecretsPrefix)
	}
	if spec.SendsMail && d.Mail != nil {
		d.Mail.grantSend(role)
	}
	if spec.Stream {
		consumeStream(id, fn, role, d.Table, d.StreamFailures.Queue, d.Alarms)
	}

	d.Alarms.add(id+"Errors", fmt.Sprintf("The %s function failed (an error, a crash or a timeout)", spec.Name),
		fn.MetricErrors(&awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Sum")}), 0)
	d.Alarms.add(id+"Throttles", fmt.Sprintf("The %s function was throttled (reserved concurrency or the account limit reached)", spec.Name),
		fn.MetricThrottles(&awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Sum")}), 0)
	return fn
}

// grantTable grants the function's DynamoDB actions on exactly the table's
// ARN and, for index actions, gsi1's — not the table.Grant* methods, which
// add every index (table/index/*) to each statement.
func grantTable(role awsiam.IRole, spec function, table awsdynamodb.Table) {
	if len(spec.TableActions) > 0 {
		awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
			Grantee:      role,
			Actions:      jsii.Strings(spec.TableActions...),
			ResourceArns: jsii.Strings(*table.TableArn()),
		})
	}
	if len(spec.IndexActions) > 0 {
		awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
			Grantee:      role,
			Actions:      jsii.Strings(spec.IndexActions...),
			ResourceArns: jsii.Strings(*table.TableArn() + "/index/" + indexGSI1),
		})
	}
}

// grantSecrets lets the role read the SecureString parameters under prefix
// the way shared/aws/secrets does (GetParametersByPath, recursive, decrypted).
// CloudFormation cannot create SecureString parameters, so the stack does
// not: the operator puts them (README, "Secrets").
func grantSecrets(role awsiam.Role, prefix string) {
	stack := awscdk.Stack_Of(role)
	path := fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", *stack.Partition(), *stack.Region(), *stack.Account(), prefix)
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      role,
		Actions:      jsii.Strings("ssm:GetParametersByPath", "ssm:GetParameter"),
		ResourceArns: jsii.Strings(path, path+"/*"),
	})
	// SecureStrings are encrypted with alias/aws/ssm unless the operator
	// picks a key; either way SSM decrypts on the function's behalf, with the
	// parameter's ARN as encryption context.
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      role,
		Actions:      jsii.Strings("kms:Decrypt"),
		ResourceArns: jsii.Strings(fmt.Sprintf("arn:%s:kms:%s:%s:key/*", *stack.Partition(), *stack.Region(), *stack.Account())),
		Conditions: &map[string]*map[string]any{
			"StringEquals": {"kms:ViaService": fmt.Sprintf("ssm.%s.amazonaws.com", *stack.Region())},
			"StringLike":   {"kms:EncryptionContext:PARAMETER_ARN": path + "/*"},
		},
	})
	suppress(role, "AwsSolutions-IAM5",
		"The function reads every secret under the product's Parameter Store path "+prefix+" (webhook secrets per source, the link-signing key) with one recursive GetParametersByPath; the wildcard is that path's children only.",
		"Resource::arn:<AWS::Partition>:ssm:"+nagRegion(stack)+":<AWS::AccountId>:parameter"+prefix+"/*")
	suppress(role, "AwsSolutions-IAM5",
		"The key of a SecureString is alias/aws/ssm, whose key id is not known at synth time (or a key the operator chose); kms:Decrypt is limited to calls made by SSM in this region for parameters under "+prefix+" (kms:ViaService and the PARAMETER_ARN encryption context).",
		"Resource::arn:<AWS::Partition>:kms:"+nagRegion(stack)+":<AWS::AccountId>:key/*")
}

// nagRegion is the region as cdk-nag writes it in a finding's resource: the
// pseudo parameter in a region-agnostic stack, the name in one bound to a
// region (context region).
func nagRegion(stack awscdk.Stack) string {
	if *awscdk.Token_IsUnresolved(stack.Region()) {
		return "<AWS::Region>"
	}
	return *stack.Region()
}

// consumeStream subscribes the function to the table's stream: batches are
// split on error to isolate a poison record, retried, and finally sent to
// the stream dead-letter queue; the function reports partial batch failures
// (events.DynamoDBEventResponse).
func consumeStream(id string, fn awslambda.Function, role awsiam.Role, table awsdynamodb.Table, dlq awssqs.IQueue, al alarms) {
	fn.AddEventSource(awslambdaeventsources.NewDynamoEventSource(table, &awslambdaeventsources.DynamoEventSourceProps{
		StartingPosition:        awslambda.StartingPosition_LATEST,
		BatchSize:               jsii.Number(100),
		MaxBatchingWindow:       awscdk.Duration_Seconds(jsii.Number(5)),
		BisectBatchOnError:      jsii.Bool(true),
		RetryAttempts:           jsii.Number(5),
		MaxRecordAge:            awscdk.Duration_Hours(jsii.Number(24)),
		ReportBatchItemFailures: jsii.Bool(true),
		OnFailure:               awslambdaeventsources.NewSqsDlq(dlq),
	}))
	suppress(role, "AwsSolutions-IAM5",
		"dynamodb:ListStreams has no resource-level permissions; the stream read actions themselves are granted on this table's stream only.",
		"Resource::*")
	// Behind by more than 15 minutes: survey mails are late.
	al.add(id+"IteratorAge", "The stream consumer is more than 15 minutes behind the table",
		fn.Metric(jsii.String("IteratorAge"), &awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Maximum")}),
		float64((15 * time.Minute).Milliseconds()))
}

// environment is what every function gets, and for those that send mail,
// how they send it.
func environment(spec function, d functionDeps) *map[string]*string {
	env := map[string]*string{}
	maps.Copy(env, d.Environment)
	if spec.SendsMail {
		maps.Copy(env, d.MailEnvironment)
	}
	return &env
}
