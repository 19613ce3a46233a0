package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// alarmPeriod is the window every alarm looks at.
func alarmPeriod() awscdk.Duration { return awscdk.Duration_Minutes(jsii.Number(5)) }

// alarms sends every alarm of the stack to one SNS topic.
type alarms struct {
	scope  constructs.Construct
	Topic  awssns.Topic
	action awscloudwatch.IAlarmAction
}

// newAlarms defines the alarm topic, encrypted and TLS-only, with the
// operator's e-mail subscribed when alarmEmail is set.
//
// The topic's key is a customer-managed one: CloudWatch alarms cannot
// publish to a topic encrypted with the AWS-managed alias/aws/sns, whose key
// policy cannot be changed to let cloudwatch.amazonaws.com use it.
func newAlarms(scope constructs.Construct, cfg Config) alarms {
	key := awskms.NewKey(scope, jsii.String("AlarmTopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the Aftersales Scorecard alarm topic"),
		EnableKeyRotation: jsii.Bool(true),
		// Only alarm notifications in flight were ever encrypted with it.
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		PendingWindow: awscdk.Duration_Days(jsii.Number(7)),
		Policy:        alarmKeyPolicy(),
	})
	topic := awssns.NewTopic(scope, jsii.String("AlarmTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("Aftersales Scorecard alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	// EnforceSSL gives the topic a policy of its own, which replaces SNS's
	// default one: without this statement nothing would let CloudWatch
	// publish. Only this account's alarms may.
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublish"),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": awscdk.Aws_ACCOUNT_ID()},
			"ArnLike": map[string]any{"aws:SourceArn": awscdk.Fn_Join(jsii.String(""), &[]*string{
				jsii.String("arn:"), awscdk.Aws_PARTITION(), jsii.String(":cloudwatch:"), awscdk.Aws_REGION(),
				jsii.String(":"), awscdk.Aws_ACCOUNT_ID(), jsii.String(":alarm:*"),
			})},
		},
	}))
	if cfg.AlarmEmail != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(cfg.AlarmEmail), nil))
	}
	return alarms{scope: scope, Topic: topic, action: awscloudwatchactions.NewSnsAction(topic)}
}

// alarmKeyPolicy is the key policy of the alarm topic's key. It spells out
// the actions instead of the usual "kms:*" for the account: the account's
// IAM policies may administer the key and use it to publish, and CloudWatch
// may use it to publish alarms.
func alarmKeyPolicy() awsiam.PolicyDocument {
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &[]awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AccountAdministersAndPublishes"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
			Actions: jsii.Strings(
				// administration, as CloudFormation and an operator need it
				"kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy",
				"kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
				"kms:ListKeyRotations", "kms:RotateKeyOnDemand",
				"kms:EnableKey", "kms:DisableKey", "kms:UpdateKeyDescription",
				"kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
				"kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
				"kms:ListGrants", "kms:RevokeGrant",
				"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
				// publishing a test message to the topic
				"kms:GenerateDataKey", "kms:Decrypt",
			),
			Resources: jsii.Strings("*"), // in a key policy: this key
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("CloudWatchPublishesAlarms"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
			Actions:    jsii.Strings("kms:GenerateDataKey", "kms:Decrypt"),
			Resources:  jsii.Strings("*"),
		}),
	}})
}

// add defines an alarm that fires when the metric is above threshold in one
// period; no data (no invocations) is not a problem.
func (a alarms) add(id, description string, metric awscloudwatch.IMetric, threshold float64) awscloudwatch.Alarm {
	alarm := awscloudwatch.NewAlarm(a.scope, jsii.String(id+"Alarm"), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String(description),
		Metric:             metric,
		Threshold:          jsii.Number(threshold),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	alarm.AddAlarmAction(a.action)
	return alarm
}

// deadLetterQueue is a queue where failed work is parked for a person.
type deadLetterQueue struct {
	Queue awssqs.Queue
}

// newDeadLetterQueue defines an encrypted, TLS-only queue that keeps
// messages for the longest SQS allows, with an alarm as soon as one arrives.
func newDeadLetterQueue(scope constructs.Construct, id, holds string, al alarms) *deadLetterQueue {
	q := awssqs.NewQueue(scope, jsii.String(id+"Queue"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	suppress(q, "AwsSolutions-SQS3",
		"This queue is itself a dead-letter queue (of "+holds+"); a person reads it after its depth alarm, nothing consumes it automatically.")
	al.add(id+"Depth", "Messages in the dead-letter queue of "+holds,
		q.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Maximum")}), 0)
	return &deadLetterQueue{Queue: q}
}
