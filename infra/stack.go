package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Attribute names of the single table. The store package builds the values and
// documents the item types; these names must match it.
const (
	attrPK        = "pk"
	attrSK        = "sk"
	attrGSI1PK    = "gsi1pk"
	attrGSI1SK    = "gsi1sk"
	attrExpiresAt = "expires_at" // epoch seconds; raw events expire after the policy's retention
	indexGSI1     = "gsi1"
)

// ScorecardStackProps configures NewScorecardStack.
type ScorecardStackProps struct {
	awscdk.StackProps
	Config Config
}

// NewScorecardStack defines the Scorecard stack: for now the one DynamoDB
// table of the single-table design and its name as an output.
func NewScorecardStack(scope constructs.Construct, id string, props *ScorecardStackProps) awscdk.Stack {
	var sprops awscdk.StackProps
	if props != nil {
		sprops = props.StackProps
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sprops)

	table := newTable(stack)

	awscdk.NewCfnOutput(stack, jsii.String("TableName"), &awscdk.CfnOutputProps{
		Description: jsii.String("DynamoDB table holding every Scorecard item (TABLE_NAME)"),
		Value:       table.TableName(),
	})
	return stack
}

// newTable defines the single table. It is an AWS::DynamoDB::Table (not the
// TableV2 global table): the product runs in one region, and the table-level
// properties are where cdk-nag and other template checks look for PITR and
// encryption. The name is left to CloudFormation so that a replacement never
// collides with the retained old table.
func newTable(scope constructs.Construct) awsdynamodb.Table {
	table := awsdynamodb.NewTable(scope, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(attrPK), Type: awsdynamodb.AttributeType_STRING},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(attrSK), Type: awsdynamodb.AttributeType_STRING},
		// Webhook traffic is bursty and the monthly run is one spike a month.
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: jsii.String(attrExpiresAt),
		// The notifier only needs the item as written.
		Stream: awsdynamodb.StreamViewType_NEW_IMAGE,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		Encryption: awsdynamodb.TableEncryption_AWS_MANAGED,
		// Scores drive bonuses: never lose the table with the stack.
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
		IndexName:      jsii.String(indexGSI1),
		PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(attrGSI1PK), Type: awsdynamodb.AttributeType_STRING},
		SortKey:        &awsdynamodb.Attribute{Name: jsii.String(attrGSI1SK), Type: awsdynamodb.AttributeType_STRING},
		ProjectionType: awsdynamodb.ProjectionType_ALL,
	})
	return table
}
