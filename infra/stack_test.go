package main

import (
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	code := m.Run()
	// Stop the Node.js process behind jsii before the binary exits.
	jsii.Close()
	os.Exit(code)
}

// synthTemplate synthesizes a fresh Scorecard stack with the default config.
func synthTemplate(t *testing.T) (awscdk.Stack, assertions.Template) {
	t.Helper()
	app := awscdk.NewApp(nil)
	cfg, err := configFromContext(app)
	if err != nil {
		t.Fatalf("configFromContext: %v", err)
	}
	stack := NewScorecardStack(app, stackName, &ScorecardStackProps{Config: cfg})
	return stack, assertions.Template_FromStack(stack, nil)
}

// check runs a CDK assertion, which panics on mismatch, and reports the
// mismatch as a test error instead of aborting the whole binary.
func check(t *testing.T, assert func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%v", r)
		}
	}()
	assert()
}

func TestTableProperties(t *testing.T) {
	_, tmpl := synthTemplate(t)
	str := func(name string) map[string]any {
		return map[string]any{"AttributeName": name, "AttributeType": "S"}
	}
	key := func(name, keyType string) map[string]any {
		return map[string]any{"AttributeName": name, "KeyType": keyType}
	}
	tests := []struct {
		name  string
		props map[string]any
	}{
		{"partition key pk and sort key sk", map[string]any{
			"KeySchema": []any{key("pk", "HASH"), key("sk", "RANGE")},
		}},
		{"every key attribute is a string", map[string]any{
			"AttributeDefinitions": []any{str("pk"), str("sk"), str("gsi1pk"), str("gsi1sk")},
		}},
		{"gsi1 on gsi1pk and gsi1sk projects all attributes", map[string]any{
			"GlobalSecondaryIndexes": []any{map[string]any{
				"IndexName":  "gsi1",
				"KeySchema":  []any{key("gsi1pk", "HASH"), key("gsi1sk", "RANGE")},
				"Projection": map[string]any{"ProjectionType": "ALL"},
			}},
		}},
		{"billing is on demand", map[string]any{
			"BillingMode": "PAY_PER_REQUEST",
		}},
		{"items expire by expires_at", map[string]any{
			"TimeToLiveSpecification": map[string]any{"AttributeName": "expires_at", "Enabled": true},
		}},
		{"stream carries the new image", map[string]any{
			"StreamSpecification": map[string]any{"StreamViewType": "NEW_IMAGE"},
		}},
		{"point-in-time recovery is on", map[string]any{
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		}},
		{"encrypted with the AWS managed key", map[string]any{
			"SSESpecification": map[string]any{
				"SSEEnabled":     true,
				"KMSMasterKeyId": assertions.Match_Absent(),
			},
		}},
		{"name is left to CloudFormation", map[string]any{
			"TableName": assertions.Match_Absent(),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, func() { tmpl.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), tc.props) })
		})
	}
}

func TestSingleTable(t *testing.T) {
	_, tmpl := synthTemplate(t)
	check(t, func() { tmpl.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1)) })
}

func TestTableIsRetained(t *testing.T) {
	_, tmpl := synthTemplate(t)
	check(t, func() {
		tmpl.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
			"DeletionPolicy":      "Retain",
			"UpdateReplacePolicy": "Retain",
		})
	})
}

func TestOutputsTableName(t *testing.T) {
	_, tmpl := synthTemplate(t)
	tables := *tmpl.FindResources(jsii.String("AWS::DynamoDB::Table"), nil)
	if len(tables) != 1 {
		t.Fatalf("found %d tables, want 1", len(tables))
	}
	for logicalID := range tables {
		check(t, func() {
			tmpl.HasOutput(jsii.String("TableName"), map[string]any{
				"Value": map[string]any{"Ref": logicalID},
			})
		})
	}
}

func TestStackIsEnvironmentAgnostic(t *testing.T) {
	stack, _ := synthTemplate(t)
	if !*awscdk.Token_IsUnresolved(stack.Account()) || !*awscdk.Token_IsUnresolved(stack.Region()) {
		t.Errorf("stack is bound to account %s, region %s; want both left to deploy time", *stack.Account(), *stack.Region())
	}
}
