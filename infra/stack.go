package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"scorecard/shared/source"
)

// Attribute names of the single table. The store package (shared/aws/dynamo,
// keys.go) builds the values and documents the item types; these names must
// match it.
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
	// BuildDir holds <function>/bootstrap for every function.
	BuildDir string
	// Functions replaces the functions table (tests of planned functions);
	// nil means functions.
	Functions []function
}

// NewScorecardStack defines the whole system (DESIGN §4): the table, one
// Lambda function per entry of the functions table with its own role, the
// HTTP API with its routes, the schedules, SES sending (or none, where mail
// goes through an SMTP relay), and the alarms.
func NewScorecardStack(scope constructs.Construct, id string, props *ScorecardStackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	awscdk.Tags_Of(stack).Add(jsii.String("app"), jsii.String("aftersales-scorecard"), nil)
	cfg := props.Config
	specs := props.Functions
	if specs == nil {
		specs = functions
	}

	table := newTable(stack)
	// SES where it sends; no SES resources at all where a relay does.
	var mail *mailing
	if !cfg.SMTP() {
		m := newMail(stack, cfg)
		mail = &m
	}
	alarms := newAlarms(stack, cfg)
	api := newAPI(stack, cfg, alarms)
	// Failed scheduled runs: schedules that could not invoke, and invocations
	// that failed after Lambda's retries.
	failedRuns := newDeadLetterQueue(stack, "FailedRuns",
		"scheduled invocations that could not be delivered or failed after retries", alarms)

	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = *api.ApiEndpoint()
	}
	env := map[string]*string{
		"TABLE_NAME":     table.TableName(),
		"SECRETS_PREFIX": jsii.String(cfg.SecretsPrefix),
		"MAIL_FROM":      jsii.String(cfg.MailFrom),
		"BASE_URL":       jsii.String(baseURL),
	}
	// How the functions that send mail send it (shared/aws/mailer).
	mailEnv := map[string]*string{
		"MAIL_RATE": jsii.String(strconv.FormatFloat(cfg.MailRate, 'f', -1, 64)),
	}
	if mail != nil {
		mailEnv["SES_CONFIGURATION_SET"] = mail.ConfigurationSet.ConfigurationSetName()
	} else {
		mailEnv["SMTP_HOST"] = jsii.String(cfg.SMTPHost)
		mailEnv["SMTP_PORT"] = jsii.String(strconv.Itoa(cfg.SMTPPort))
		if cfg.SMTPUser != "" {
			mailEnv["SMTP_USER"] = jsii.String(cfg.SMTPUser)
		}
	}

	scheduled := map[string]bool{}
	for _, s := range schedules {
		scheduled[s.Function] = true
	}
	var streamFailures *deadLetterQueue
	fns := map[string]awslambda.Function{}
	for _, spec := range specs {
		var onFailure *deadLetterQueue
		if scheduled[spec.Name] {
			onFailure = failedRuns
		}
		if spec.Stream && streamFailures == nil {
			streamFailures = newDeadLetterQueue(stack, "StreamFailures",
				"table stream records the notifier could not process", alarms)
		}
		fns[spec.Name] = newFunction(stack, spec, functionDeps{
			Config:          cfg,
			BuildDir:        props.BuildDir,
			Environment:     env,
			MailEnvironment: mailEnv,
			Table:           table,
			Mail:            mail,
			Alarms:          alarms,
			AsyncFailures:   onFailure,
			StreamFailures:  streamFailures,
		})
	}

	webhooks := jsii.String(*api.ApiEndpoint() + "/webhooks/")
	if fn, ok := fns["webhook"]; ok && cfg.WebhookEndpoint == webhookEndpointURL {
		webhooks = jsii.String(*webhookURL(fn, alarms).Url() + "webhooks/")
	}
	addRoutes(api, fns, cfg)
	for _, s := range schedules {
		fn, ok := fns[s.Function]
		if !ok {
			continue
		}
		newSchedule(stack, s, cfg, fn, failedRuns.Queue)
	}

	output := func(id, description string, value *string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Description: jsii.String(description), Value: value})
	}
	output("TableName", "DynamoDB table holding every Scorecard item (TABLE_NAME for the scorecard CLI)", table.TableName())
	output("ApiUrl", "HTTP API endpoint", api.ApiEndpoint())
	output("BaseUrl", "Start of the links in mail (BASE_URL)", jsii.String(baseURL))
	for _, src := range source.All {
		output(src.Title+"WebhookUrl", "URL to give the "+src.Title+" webhook (POST; verified by its secret)", jsii.String(*webhooks+src.Name))
	}
	output("SecretsPrefix", "SSM Parameter Store path of the secrets (SecureString parameters set by the operator)", jsii.String(cfg.SecretsPrefix))
	if mail == nil {
		relay := fmt.Sprintf("%s:%d", cfg.SMTPHost, cfg.SMTPPort)
		if cfg.SMTPUser != "" {
			relay += " as " + cfg.SMTPUser
			output("SmtpPasswordParameter", "SSM SecureString parameter holding the relay's password; set it before the first run", jsii.String(cfg.SecretsPrefix+"/smtp-password"))
		}
		output("MailRelay", "SMTP relay the functions send through (no SES in this stack)", jsii.String(relay))
	} else {
		output("SesIdentity", "SES identity the functions send as; verify it before the first run", jsii.String(cfg.Identity()))
	}
	if mail != nil && cfg.SESIdentity != "" {
		for i, rec := range *mail.Identity.DkimRecords() {
			output(fmt.Sprintf("DkimRecord%d", i+1), "DKIM CNAME record to add to the DNS of "+cfg.SESIdentity,
				jsii.String(*rec.Name+" CNAME "+*rec.Value))
		}
	}
	output("AlarmTopicArn", "SNS topic of the alarms; subscribe more endpoints here", alarms.Topic.TopicArn())
	output("FailedRunsQueueUrl", "Dead-letter queue of the schedules", failedRuns.Queue.QueueUrl())
	for _, spec := range specs {
		output(title(spec.Name)+"FunctionName", spec.Description, fns[spec.Name].FunctionName())
	}
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
	// gsi1 holds only keys: the month index, the open-ticket index and the
	// directory are read for their keys, then the items by BatchGetItem
	// (shared/aws/dynamo creates the same index locally).
	table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
		IndexName:      jsii.String(indexGSI1),
		PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(attrGSI1PK), Type: awsdynamodb.AttributeType_STRING},
		SortKey:        &awsdynamodb.Attribute{Name: jsii.String(attrGSI1SK), Type: awsdynamodb.AttributeType_STRING},
		ProjectionType: awsdynamodb.ProjectionType_KEYS_ONLY,
	})
	return table
}

// title turns a function or source name into a construct id part: "webhook"
// → "Webhook".
func title(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
