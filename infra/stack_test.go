package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// synthesized is a stack synthesized once and shared by the tests.
type synthesized struct {
	stack awscdk.Stack
	tmpl  assertions.Template
	// json is the template as Go values, for walks the matchers cannot do.
	json map[string]any
	app  awscdk.App
}

var (
	defaultOnce, fullOnce, partialOnce, relayOnce     sync.Once
	defaultStack, fullStack, partialStack, relayStack synthesized
)

// relayContext is Beijing, where mail goes through an SMTP relay.
var relayContext = map[string]any{
	"region":   "cn-north-1",
	"mailFrom": "Scorecard <scorecard@mail.acme.example.cn>",
	"smtpHost": "smtpdm.aliyun.com",
	"smtpUser": "scorecard@mail.acme.example.cn",
}

// relaySynth is the stack of a region without SES.
func relaySynth(t *testing.T) synthesized {
	t.Helper()
	relayOnce.Do(func() { relayStack = synth(relayContext, nil) })
	return relayStack
}

// defaultSynth is the stack as `make synth` builds it: the functions table
// and no context.
func defaultSynth(t *testing.T) synthesized {
	t.Helper()
	defaultOnce.Do(func() { defaultStack = synth(nil, nil) })
	return defaultStack
}

// fullContext sets every optional knob.
var fullContext = map[string]any{
	"mailFrom":           "Scorecard <scorecard@mail.corp.example>",
	"sesIdentity":        "corp.example",
	"sandboxRecipients":  []any{"lead@corp.example"},
	"baseUrl":            "https://scorecard.corp.example",
	"alarmEmail":         "ops@corp.example",
	"webhookConcurrency": float64(50),
	"formsConcurrency":   float64(10),
	"monthlyConcurrency": float64(1),
	"timeZone":           "Europe/Berlin",
	"webhookEndpoint":    "api",
}

// fullSynth has the planned functions deployed too and every knob set.
func fullSynth(t *testing.T) synthesized {
	t.Helper()
	fullOnce.Do(func() {
		fullStack = synth(fullContext, append(append([]function{}, functions...), plannedFunctions...))
	})
	return fullStack
}

// partialSynth deploys only the webhook and monthly functions: the routes
// and schedules of the others are left out.
func partialSynth(t *testing.T) synthesized {
	t.Helper()
	partialOnce.Do(func() {
		var fns []function
		for _, f := range functions {
			if f.Name == "webhook" || f.Name == "monthly" {
				fns = append(fns, f)
			}
		}
		partialStack = synth(nil, fns)
	})
	return partialStack
}

func synth(context map[string]any, fns []function) synthesized {
	app := newApp(context)
	cfg, err := configFromContext(app)
	if err != nil {
		panic(err)
	}
	stack := NewScorecardStack(app, stackName, &ScorecardStackProps{Config: cfg, BuildDir: testBuildDir, Functions: fns})
	applyChecks(app)
	tmpl := assertions.Template_FromStack(stack, nil)
	return synthesized{stack: stack, tmpl: tmpl, json: *tmpl.ToJSON(), app: app}
}

// nagReport reads cdk-nag's report from the synthesized assembly.
func (s synthesized) nagReport(t *testing.T) nagReport {
	t.Helper()
	r, err := readNagReport(*s.app.Outdir(), stackName)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// plannedForTest are the functions the tests deploy beyond the table.
func plannedForTest() []function { return plannedFunctions }

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

// resources returns the template's resources of one type by logical id.
func (s synthesized) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.json["Resources"].(map[string]any) {
		if r := r.(map[string]any); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// only returns the logical id of the one resource of a type.
func (s synthesized) only(t *testing.T, typ string) string {
	t.Helper()
	rs := s.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(rs), typ)
	}
	for id := range rs {
		return id
	}
	return ""
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

// functionID is the logical id of the function whose description is the
// spec's.
func (s synthesized) functionID(t *testing.T, spec function) string {
	t.Helper()
	for id, r := range s.resources("AWS::Lambda::Function") {
		if props(r)["Description"] == spec.Description {
			return id
		}
	}
	t.Fatalf("no function for %s", spec.Name)
	return ""
}

func ref(id string) map[string]any    { return map[string]any{"Ref": id} }
func getArn(id string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }

func TestTableProperties(t *testing.T) {
	s := defaultSynth(t)
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
		{"gsi1 on gsi1pk and gsi1sk projects keys only", map[string]any{
			"GlobalSecondaryIndexes": []any{map[string]any{
				"IndexName":  "gsi1",
				"KeySchema":  []any{key("gsi1pk", "HASH"), key("gsi1sk", "RANGE")},
				"Projection": map[string]any{"ProjectionType": "KEYS_ONLY"},
			}},
		}},
		{"billing is on demand", map[string]any{"BillingMode": "PAY_PER_REQUEST"}},
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
			"SSESpecification": map[string]any{"SSEEnabled": true, "KMSMasterKeyId": assertions.Match_Absent()},
		}},
		{"name is left to CloudFormation", map[string]any{"TableName": assertions.Match_Absent()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, func() { s.tmpl.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), tc.props) })
		})
	}
}

func TestSingleRetainedTable(t *testing.T) {
	s := defaultSynth(t)
	check(t, func() { s.tmpl.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1)) })
	check(t, func() {
		s.tmpl.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
			"DeletionPolicy":      "Retain",
			"UpdateReplacePolicy": "Retain",
		})
	})
}

func TestStackIsEnvironmentAgnostic(t *testing.T) {
	s := defaultSynth(t)
	if !*awscdk.Token_IsUnresolved(s.stack.Account()) || !*awscdk.Token_IsUnresolved(s.stack.Region()) {
		t.Errorf("stack is bound to account %s, region %s; want both left to deploy time", *s.stack.Account(), *s.stack.Region())
	}
}

// Every folder functions/<name>/main.go has an entry in the functions table,
// and every entry a folder: `make build` builds the folders, the stack
// deploys the entries.
func TestOneFunctionPerFolder(t *testing.T) {
	mains, err := filepath.Glob("../functions/*/main.go")
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, m := range mains {
		folders = append(folders, filepath.Base(filepath.Dir(m)))
	}
	var entries []string
	for _, f := range functions {
		entries = append(entries, f.Name)
	}
	for _, name := range folders {
		if !slices.Contains(entries, name) {
			hint := ""
			for _, p := range plannedFunctions {
				if p.Name == name {
					hint = fmt.Sprintf("; the drafted entry %sFunction is ready: move it from plannedFunctions into functions", name)
				}
			}
			t.Errorf("functions/%s has no entry in the functions table (infra/functions.go)%s", name, hint)
		}
	}
	for _, name := range entries {
		if !slices.Contains(folders, name) {
			t.Errorf("functions table entry %q has no functions/%s/main.go", name, name)
		}
	}
	for _, p := range plannedFunctions {
		if slices.Contains(entries, p.Name) {
			t.Errorf("%s is both deployed and planned", p.Name)
		}
	}
}

// Routes and schedules name functions of the table (or drafted ones), so a
// typo cannot silently leave a route out.
func TestRoutesAndSchedulesNameKnownFunctions(t *testing.T) {
	known := map[string]bool{}
	for _, f := range append(append([]function{}, functions...), plannedFunctions...) {
		known[f.Name] = true
	}
	for _, r := range routes {
		if !known[r.Function] {
			t.Errorf("route %s %s: unknown function %q", r.Method, r.Path, r.Function)
		}
		if routeAuth[r.Function] == "" {
			t.Errorf("route %s %s: no reason in routeAuth for having no authorizer", r.Method, r.Path)
		}
	}
	for _, s := range schedules {
		if !known[s.Function] {
			t.Errorf("schedule %s: unknown function %q", s.Name, s.Function)
		}
	}
}

func TestFunctions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		synth  func(*testing.T) synthesized
		fns    []function
		config Config
	}{
		{"default", defaultSynth, functions, defaults},
		{"planned functions and full context", fullSynth, append(append([]function{}, functions...), plannedFunctions...), mustConfig(fullContext)},
		{"mail through a relay", relaySynth, functions, mustConfig(relayContext)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.synth(t)
			check(t, func() {
				s.tmpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(len(tc.fns)))
			})
			table := s.only(t, "AWS::DynamoDB::Table")
			for _, spec := range tc.fns {
				t.Run(spec.Name, func(t *testing.T) {
					concurrency := any(assertions.Match_Absent())
					if n := spec.Concurrency(tc.config); n > 0 {
						concurrency = n
					}
					check(t, func() {
						s.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
							"Description":                  spec.Description,
							"Runtime":                      "provided.al2023",
							"Architectures":                []any{"arm64"},
							"Handler":                      "bootstrap",
							"MemorySize":                   spec.MemoryMB,
							"Timeout":                      spec.Timeout.Seconds(),
							"ReservedConcurrentExecutions": concurrency,
							"Environment":                  map[string]any{"Variables": wantEnvironment(t, s, spec, tc.config, table)},
							"LoggingConfig":                map[string]any{"LogGroup": map[string]any{"Ref": assertions.Match_AnyValue()}},
						})
					})
				})
			}
		})
	}
}

// wantEnvironment is what a function's environment must be: the common
// variables, and how to send mail for those that do, nothing of it for the
// others.
func wantEnvironment(t *testing.T, s synthesized, spec function, cfg Config, table string) map[string]any {
	absent := assertions.Match_Absent()
	vars := map[string]any{
		"TABLE_NAME":     ref(table),
		"SECRETS_PREFIX": cfg.SecretsPrefix,
		"MAIL_FROM":      cfg.MailFrom,
		"BASE_URL":       assertions.Match_AnyValue(),
		"MAIL_RATE":      absent, "SES_CONFIGURATION_SET": absent, "SMTP_HOST": absent, "SMTP_PORT": absent, "SMTP_USER": absent,
	}
	if !spec.SendsMail {
		return vars
	}
	vars["MAIL_RATE"] = strconv.FormatFloat(cfg.MailRate, 'f', -1, 64)
	if !cfg.SMTP() {
		vars["SES_CONFIGURATION_SET"] = ref(s.only(t, "AWS::SES::ConfigurationSet"))
		return vars
	}
	vars["SMTP_HOST"], vars["SMTP_PORT"], vars["SMTP_USER"] = cfg.SMTPHost, strconv.Itoa(cfg.SMTPPort), cfg.SMTPUser
	return vars
}

func mustConfig(context map[string]any) Config {
	cfg, err := configFromContext(newApp(context))
	if err != nil {
		panic(err)
	}
	return cfg
}

func TestBaseURL(t *testing.T) {
	// Without baseUrl the links start with the API's own URL.
	d := defaultSynth(t)
	api := d.only(t, "AWS::ApiGatewayV2::Api")
	check(t, func() {
		d.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
			"Environment": map[string]any{"Variables": assertions.Match_ObjectLike(&map[string]any{
				"BASE_URL": map[string]any{"Fn::GetAtt": []any{api, "ApiEndpoint"}},
			})},
		})
	})
	f := fullSynth(t)
	check(t, func() {
		f.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
			"Environment": map[string]any{"Variables": assertions.Match_ObjectLike(&map[string]any{
				"BASE_URL": "https://scorecard.corp.example",
			})},
		})
	})
}

// Each function has a role of its own, no managed policy, and only its log
// group in the inline policy.
func TestFunctionRoles(t *testing.T) {
	s := fullSynth(t)
	roles := map[string]bool{}
	for id, fn := range s.resources("AWS::Lambda::Function") {
		role, ok := props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)
		if !ok {
			t.Fatalf("function %s: role is not a role of the stack", id)
		}
		name := role[0].(string)
		if roles[name] {
			t.Errorf("role %s is shared by two functions", name)
		}
		roles[name] = true
		r := s.resources("AWS::IAM::Role")[name]
		if _, ok := props(r)["ManagedPolicyArns"]; ok {
			t.Errorf("role %s has managed policies", name)
		}
		logGroup := props(fn)["LoggingConfig"].(map[string]any)["LogGroup"].(map[string]any)["Ref"].(string)
		want := []any{map[string]any{
			"PolicyName": "logs",
			"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": getArn(logGroup),
			}}},
		}}
		if diff := cmp.Diff(want, props(r)["Policies"]); diff != "" {
			t.Errorf("role %s inline policy (-want +got):\n%s", name, diff)
		}
	}
}

// grants maps each function (by name) to its role's statements, as
// "action on resource" strings with the logical ids replaced by names.
func (s synthesized) grants(t *testing.T, specs []function) map[string][]string {
	t.Helper()
	names := map[string]string{s.only(t, "AWS::DynamoDB::Table"): "Table"}
	for id := range s.resources("AWS::SES::EmailIdentity") {
		names[id] = "Identity"
	}
	names[s.only(t, "AWS::SES::ConfigurationSet")] = "ConfigurationSet"
	for id := range s.resources("AWS::SQS::Queue") {
		names[id] = "Queue"
	}
	roleOf := map[string]string{}
	for _, spec := range specs {
		fn := s.resources("AWS::Lambda::Function")[s.functionID(t, spec)]
		roleOf[props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)] = spec.Name
	}
	out := map[string][]string{}
	for _, p := range s.resources("AWS::IAM::Policy") {
		for _, r := range props(p)["Roles"].([]any) {
			fn, ok := roleOf[r.(map[string]any)["Ref"].(string)]
			if !ok {
				continue
			}
			for _, st := range statements(props(p)["PolicyDocument"]) {
				for _, a := range strs(st["Action"]) {
					for _, res := range resourceStrings(st["Resource"], names) {
						out[fn] = append(out[fn], a+" on "+res)
					}
				}
			}
		}
	}
	for fn := range out {
		sort.Strings(out[fn])
	}
	return out
}

// resourceStrings renders resources readably: {"Fn::GetAtt": [id, "Arn"]}
// as "<Name>", joins as their parts with pseudo parameters as <AWS::...>.
func resourceStrings(v any, names map[string]string) []string {
	var render func(v any) string
	render = func(v any) string {
		switch v := v.(type) {
		case string:
			return v
		case map[string]any:
			if r, ok := v["Ref"].(string); ok {
				if n, ok := names[r]; ok {
					return "<" + n + ">"
				}
				return "<" + r + ">"
			}
			if g, ok := v["Fn::GetAtt"].([]any); ok {
				n := names[g[0].(string)]
				if n == "" {
					n = g[0].(string)
				}
				return "<" + n + "." + g[1].(string) + ">"
			}
			if j, ok := v["Fn::Join"].([]any); ok {
				var b strings.Builder
				for _, part := range j[1].([]any) {
					b.WriteString(render(part))
				}
				return b.String()
			}
		}
		return fmt.Sprint(v)
	}
	if l, ok := v.([]any); ok {
		var out []string
		for _, e := range l {
			out = append(out, render(e))
		}
		return out
	}
	return []string{render(v)}
}

func TestLeastPrivilege(t *testing.T) {
	s := fullSynth(t)
	arn := func(service, resource string) string {
		return "arn:<AWS::Partition>:" + service + ":<AWS::Region>:<AWS::AccountId>:" + resource
	}
	secrets := []string{
		"kms:Decrypt on " + arn("kms", "key/*"),
		"ssm:GetParameter on " + arn("ssm", "parameter/scorecard"),
		"ssm:GetParameter on " + arn("ssm", "parameter/scorecard/*"),
		"ssm:GetParametersByPath on " + arn("ssm", "parameter/scorecard"),
		"ssm:GetParametersByPath on " + arn("ssm", "parameter/scorecard/*"),
	}
	mail := []string{
		"ses:SendEmail on " + arn("ses", "configuration-set/<ConfigurationSet>"),
		"ses:SendEmail on " + arn("ses", "identity/<Identity>"),
		"ses:SendEmail on " + arn("ses", "identity/<Identity>"), // the sandbox recipient
		"ses:SendRawEmail on " + arn("ses", "configuration-set/<ConfigurationSet>"),
		"ses:SendRawEmail on " + arn("ses", "identity/<Identity>"),
		"ses:SendRawEmail on " + arn("ses", "identity/<Identity>"),
	}
	asyncFailures := []string{
		"sqs:GetQueueAttributes on <Queue.Arn>", "sqs:GetQueueUrl on <Queue.Arn>", "sqs:SendMessage on <Queue.Arn>",
	}
	sorted := func(parts ...[]string) []string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		sort.Strings(all)
		return all
	}
	want := map[string][]string{
		"webhook": sorted(secrets, []string{
			"dynamodb:BatchWriteItem on <Table.Arn>", "dynamodb:GetItem on <Table.Arn>", "dynamodb:PutItem on <Table.Arn>",
		}),
		"monthly": sorted(secrets, mail, asyncFailures, []string{
			"dynamodb:BatchGetItem on <Table.Arn>", "dynamodb:BatchWriteItem on <Table.Arn>",
			"dynamodb:DeleteItem on <Table.Arn>", "dynamodb:GetItem on <Table.Arn>",
			"dynamodb:PutItem on <Table.Arn>", "dynamodb:Query on <Table.Arn>",
			"dynamodb:Query on <Table.Arn>/index/gsi1",
		}),
		"forms": sorted(secrets, []string{
			"dynamodb:GetItem on <Table.Arn>", "dynamodb:PutItem on <Table.Arn>", "dynamodb:UpdateItem on <Table.Arn>",
			// the evidence page: a card and its override, the evidence, the directory
			"dynamodb:BatchGetItem on <Table.Arn>", "dynamodb:Query on <Table.Arn>", "dynamodb:Query on <Table.Arn>/index/gsi1",
		}),
		"notifier": sorted(secrets, mail, asyncFailures, []string{
			"dynamodb:BatchGetItem on <Table.Arn>", "dynamodb:GetItem on <Table.Arn>",
			"dynamodb:PutItem on <Table.Arn>", "dynamodb:UpdateItem on <Table.Arn>",
			"dynamodb:Query on <Table.Arn>", // the ticket an event names
			"dynamodb:Query on <Table.Arn>/index/gsi1",
			// the stream, and the DLQ of stream records
			"dynamodb:DescribeStream on <Table.StreamArn>", "dynamodb:GetRecords on <Table.StreamArn>",
			"dynamodb:GetShardIterator on <Table.StreamArn>", "dynamodb:ListStreams on *",
			"sqs:GetQueueAttributes on <Queue.Arn>", "sqs:GetQueueUrl on <Queue.Arn>", "sqs:SendMessage on <Queue.Arn>",
		}),
	}
	got := s.grants(t, append(append([]function{}, functions...), plannedFunctions...))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("grants per function (-want +got):\n%s", diff)
	}
}

// The KMS grant for the secrets holds only for SSM decrypting the product's
// parameters.
func TestSecretsDecryptIsScopedToSSM(t *testing.T) {
	s := defaultSynth(t)
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
				"Action": "kms:Decrypt",
				"Effect": "Allow",
				"Condition": map[string]any{
					"StringEquals": map[string]any{"kms:ViaService": map[string]any{"Fn::Join": []any{"", []any{"ssm.", ref("AWS::Region"), ".amazonaws.com"}}}},
					"StringLike": map[string]any{"kms:EncryptionContext:PARAMETER_ARN": map[string]any{"Fn::Join": []any{"", []any{
						"arn:", ref("AWS::Partition"), ":ssm:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":parameter/scorecard/*",
					}}}},
				},
				"Resource": assertions.Match_AnyValue(),
			}})},
		})
	})
}

// No Allow statement anywhere — identity policies, roles' inline policies,
// key, queue and topic policies — has a wildcard in its Action. (The Deny
// statements that enforce TLS deny every action, as they should.)
func TestNoWildcardActions(t *testing.T) {
	for _, s := range []synthesized{defaultSynth(t), fullSynth(t)} {
		var docs []any
		for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"} {
			for _, r := range s.resources(typ) {
				docs = append(docs, props(r)["PolicyDocument"])
			}
		}
		for _, r := range s.resources("AWS::IAM::Role") {
			docs = append(docs, props(r)["AssumeRolePolicyDocument"])
			for _, p := range asList(props(r)["Policies"]) {
				docs = append(docs, p.(map[string]any)["PolicyDocument"])
			}
		}
		for _, r := range s.resources("AWS::KMS::Key") {
			docs = append(docs, props(r)["KeyPolicy"])
		}
		if len(docs) < 10 {
			t.Fatalf("found only %d policy documents; the walk is broken", len(docs))
		}
		for _, doc := range docs {
			for _, st := range statements(doc) {
				if st["Effect"] != "Allow" {
					continue
				}
				if _, ok := st["NotAction"]; ok {
					t.Errorf("statement with NotAction: %v", st)
				}
				for _, a := range strs(st["Action"]) {
					if strings.Contains(a, "*") {
						t.Errorf("Allow statement with wildcard action %q: %v", a, st)
					}
				}
			}
		}
	}
}

func statements(doc any) []map[string]any {
	d, _ := doc.(map[string]any)
	var out []map[string]any
	for _, st := range asList(d["Statement"]) {
		out = append(out, st.(map[string]any))
	}
	return out
}

func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

func strs(v any) []string {
	var out []string
	for _, e := range asList(v) {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

func TestLogGroupsKeepNinetyDays(t *testing.T) {
	s := fullSynth(t)
	groups := s.resources("AWS::Logs::LogGroup")
	// one per function and the API's access logs
	if want := len(functions) + len(plannedFunctions) + 1; len(groups) != want {
		t.Errorf("%d log groups, want %d", len(groups), want)
	}
	for id, g := range groups {
		if got := props(g)["RetentionInDays"]; got != float64(90) {
			t.Errorf("log group %s keeps logs %v days, want 90", id, got)
		}
	}
}

func TestRoutes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		synth func(*testing.T) synthesized
		want  []string
	}{
		{"every function, the webhooks on the function's URL", defaultSynth, []string{"GET /a/{token}", "GET /d/{token}", "GET /e/{token}", "GET /q/{token}", "GET /s/{token}", "POST /a/{token}", "POST /d/{token}", "POST /e/{token}", "POST /q/{token}", "POST /s/{token}"}},
		{"the webhooks on the HTTP API", fullSynth, []string{"GET /a/{token}", "GET /d/{token}", "GET /e/{token}", "GET /q/{token}", "GET /s/{token}", "POST /a/{token}", "POST /d/{token}", "POST /e/{token}", "POST /q/{token}", "POST /s/{token}", "POST /webhooks/{source}"}},
		{"without forms", partialSynth, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.synth(t)
			var got []string
			for _, r := range s.resources("AWS::ApiGatewayV2::Route") {
				got = append(got, props(r)["RouteKey"].(string))
				if props(r)["AuthorizationType"] != "NONE" {
					t.Errorf("route %s: authorization %v", props(r)["RouteKey"], props(r)["AuthorizationType"])
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("route keys (-want +got):\n%s", diff)
			}
		})
	}
	// The webhook route, when there is one, reaches the webhook function,
	// with payload 2.0.
	s := fullSynth(t)
	fn := s.functionID(t, functions[0])
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), map[string]any{
			"IntegrationType":      "AWS_PROXY",
			"IntegrationUri":       getArn(fn),
			"PayloadFormatVersion": "2.0",
		})
	})
}

func TestStageLogsAndThrottles(t *testing.T) {
	s := defaultSynth(t)
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
			"StageName":  "$default",
			"AutoDeploy": true,
			"DefaultRouteSettings": map[string]any{
				"ThrottlingRateLimit":  50,
				"ThrottlingBurstLimit": 100,
			},
			"AccessLogSettings": map[string]any{
				"DestinationArn": map[string]any{"Fn::GetAtt": []any{assertions.Match_AnyValue(), "Arn"}},
				"Format":         assertions.Match_SerializedJson(assertions.Match_ObjectLike(&map[string]any{"requestId": "$context.requestId", "status": "$context.status", "routeKey": "$context.routeKey"})),
			},
		})
	})
}

func TestMonthlySchedule(t *testing.T) {
	s := defaultSynth(t)
	monthly := s.functionID(t, functions[1])
	queue := s.failedRunsQueue(t)
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression":         "cron(0 6 1 * ? *)",
			"ScheduleExpressionTimezone": "Asia/Shanghai",
			"FlexibleTimeWindow":         map[string]any{"Mode": "OFF"},
			"State":                      "ENABLED",
			"Target": map[string]any{
				"Arn":              getArn(monthly),
				"Input":            "{}",
				"RetryPolicy":      map[string]any{"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
				"DeadLetterConfig": map[string]any{"Arn": getArn(queue)},
				"RoleArn":          assertions.Match_AnyValue(),
			},
		})
	})
	// The function's own failures, after Lambda's retries, land in the same queue.
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), map[string]any{
			"FunctionName":         ref(monthly),
			"MaximumRetryAttempts": 2,
			"DestinationConfig":    map[string]any{"OnFailure": map[string]any{"Destination": getArn(queue)}},
		})
	})
	// The disputes' follow-up, every 10 minutes.
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression": "rate(10 minutes)",
			"Target": assertions.Match_ObjectLike(&map[string]any{
				"Arn": getArn(monthly), "Input": `{"follow_up":true}`,
			}),
		})
	})
	// The assessment round looks at every day.
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression":         "cron(0 9 * * ? *)",
			"ScheduleExpressionTimezone": "Asia/Shanghai",
			"Target": assertions.Match_ObjectLike(&map[string]any{
				"Arn":              getArn(monthly),
				"Input":            `{"round":"tick"}`,
				"DeadLetterConfig": map[string]any{"Arn": getArn(queue)},
			}),
		})
	})
	// So does the mid-month check-in (the policy names its days).
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression":         "cron(0 9 * * ? *)",
			"ScheduleExpressionTimezone": "Asia/Shanghai",
			"Target": assertions.Match_ObjectLike(&map[string]any{
				"Arn":              getArn(monthly),
				"Input":            `{"check_in":"tick"}`,
				"DeadLetterConfig": map[string]any{"Arn": getArn(queue)},
			}),
		})
	})
	var got []string
	for _, r := range s.resources("AWS::Scheduler::Schedule") {
		got = append(got, props(r)["ScheduleExpression"].(string))
	}
	sort.Strings(got)
	if diff := cmp.Diff([]string{"cron(0 6 1 * ? *)", "cron(0 9 * * ? *)", "cron(0 9 * * ? *)", "rate(10 minutes)", "rate(15 minutes)"}, got); diff != "" {
		t.Errorf("schedules (-want +got):\n%s", diff)
	}
	if n := len(partialSynth(t).resources("AWS::Scheduler::Schedule")); n != 4 {
		t.Errorf("without the notifier: %d schedules, want the monthly run, the follow-up, the round and the check-in", n)
	}
	// The full context moves the schedules to its zone.
	f := fullSynth(t)
	check(t, func() {
		f.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression":         "cron(0 6 1 * ? *)",
			"ScheduleExpressionTimezone": "Europe/Berlin",
		})
	})
}

// The schedule's role may only be assumed by this account's schedules.
func TestScheduleRoleTrust(t *testing.T) {
	s := defaultSynth(t)
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action":    "sts:AssumeRole",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "scheduler.amazonaws.com"},
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": ref("AWS::AccountId")}},
			}}},
		})
	})
}

// failedRunsQueue is the queue of the FailedRunsQueueUrl output.
func (s synthesized) failedRunsQueue(t *testing.T) string {
	t.Helper()
	o := (*s.tmpl.FindOutputs(jsii.String("FailedRunsQueueUrl"), nil))["FailedRunsQueueUrl"]
	if o == nil {
		t.Fatal("no FailedRunsQueueUrl output")
	}
	return (*o)["Value"].(map[string]any)["Ref"].(string)
}

func TestQueuesAreEncryptedAndTLSOnly(t *testing.T) {
	s := defaultSynth(t)
	queues := s.resources("AWS::SQS::Queue")
	if len(queues) != 2 {
		t.Errorf("%d queues, want the failed runs and the stream failures", len(queues))
	}
	for id, q := range queues {
		if props(q)["SqsManagedSseEnabled"] != true {
			t.Errorf("queue %s is not encrypted", id)
		}
		check(t, func() {
			s.tmpl.HasResourceProperties(jsii.String("AWS::SQS::QueuePolicy"), map[string]any{
				"Queues": []any{ref(id)},
				"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
					"Effect":    "Deny",
					"Action":    "sqs:*",
					"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
					"Principal": map[string]any{"AWS": "*"},
					"Resource":  assertions.Match_AnyValue(),
				}})},
			})
		})
	}
}

func TestStreamConsumer(t *testing.T) {
	s := fullSynth(t)
	notifier := s.functionID(t, notifierFunction)
	table := s.only(t, "AWS::DynamoDB::Table")
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), map[string]any{
			"FunctionName":                   ref(notifier),
			"EventSourceArn":                 map[string]any{"Fn::GetAtt": []any{table, "StreamArn"}},
			"StartingPosition":               "LATEST",
			"BisectBatchOnFunctionError":     true,
			"MaximumRetryAttempts":           5,
			"FunctionResponseTypes":          []any{"ReportBatchItemFailures"},
			"DestinationConfig":              map[string]any{"OnFailure": map[string]any{"Destination": map[string]any{"Fn::GetAtt": []any{assertions.Match_AnyValue(), "Arn"}}}},
			"MaximumRecordAgeInSeconds":      86400,
			"MaximumBatchingWindowInSeconds": 5,
		})
	})
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"MetricName": "IteratorAge",
			"Namespace":  "AWS/Lambda",
			"Statistic":  "Maximum",
			"Threshold":  900000,
			"Dimensions": []any{map[string]any{"Name": "FunctionName", "Value": ref(notifier)}},
		})
	})
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), map[string]any{
			"ScheduleExpression": "rate(15 minutes)",
			"Target":             assertions.Match_ObjectLike(&map[string]any{"Arn": getArn(notifier), "Input": "{}"}),
		})
	})
}

// Every function's errors and throttles, every dead-letter queue's depth
// and the API's 5xx alarm to the one topic.
func TestAlarms(t *testing.T) {
	s := fullSynth(t)
	topic := s.only(t, "AWS::SNS::Topic")
	type alarm struct{ metric, dimension string }
	var got []alarm
	for id, a := range s.resources("AWS::CloudWatch::Alarm") {
		p := props(a)
		if diff := cmp.Diff([]any{ref(topic)}, p["AlarmActions"]); diff != "" {
			t.Errorf("alarm %s actions (-want +got):\n%s", id, diff)
		}
		dims := asList(p["Dimensions"])
		d := ""
		if len(dims) == 1 {
			d = resourceStrings(dims[0].(map[string]any)["Value"], nil)[0]
		}
		got = append(got, alarm{p["MetricName"].(string), d})
	}
	var want []alarm
	for _, spec := range append(append([]function{}, functions...), plannedFunctions...) {
		fn := "<" + s.functionID(t, spec) + ">"
		want = append(want, alarm{"Errors", fn}, alarm{"Throttles", fn})
		if spec.Stream {
			want = append(want, alarm{"IteratorAge", fn})
		}
	}
	for id := range s.resources("AWS::SQS::Queue") {
		want = append(want, alarm{"ApproximateNumberOfMessagesVisible", "<" + id + ".QueueName>"})
	}
	want = append(want, alarm{"5xx", "<" + s.only(t, "AWS::ApiGatewayV2::Api") + ">"})
	less := func(a, b alarm) int { return strings.Compare(a.metric+a.dimension, b.metric+b.dimension) }
	slices.SortFunc(got, less)
	slices.SortFunc(want, less)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(alarm{})); diff != "" {
		t.Errorf("alarms (-want +got):\n%s", diff)
	}
}

func TestAlarmTopic(t *testing.T) {
	s := fullSynth(t)
	key := s.only(t, "AWS::KMS::Key")
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{"KmsMasterKeyId": getArn(key)})
	})
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
			"EnableKeyRotation": true,
			"KeyPolicy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
				"Sid":       "CloudWatchPublishesAlarms",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    []any{"kms:GenerateDataKey", "kms:Decrypt"},
				"Resource":  "*",
			}})},
		})
	})
	// The topic's own policy (TLS only) replaces SNS's default one, so it
	// must let this account's alarms publish, and keep the deny.
	for _, st := range []synthesized{s, defaultSynth(t)} {
		check(t, func() {
			st.tmpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
				"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
					assertions.Match_ObjectLike(&map[string]any{
						"Effect":    "Deny",
						"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
					}),
					assertions.Match_ObjectLike(&map[string]any{
						"Sid":       "CloudWatchAlarmsPublish",
						"Effect":    "Allow",
						"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
						"Action":    "sns:Publish",
						"Condition": map[string]any{
							"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}},
							"ArnLike":      map[string]any{"aws:SourceArn": assertions.Match_AnyValue()},
						},
					}),
				})},
			})
		})
	}
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{
			"Protocol": "email", "Endpoint": "ops@corp.example", "TopicArn": ref(s.only(t, "AWS::SNS::Topic")),
		})
	})
	check(t, func() {
		defaultSynth(t).tmpl.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(0))
	})
}

func TestMailIdentity(t *testing.T) {
	d := defaultSynth(t)
	cs := d.only(t, "AWS::SES::ConfigurationSet")
	check(t, func() {
		d.tmpl.HasResourceProperties(jsii.String("AWS::SES::EmailIdentity"), map[string]any{
			"EmailIdentity":              "scorecard@example.com",
			"ConfigurationSetAttributes": map[string]any{"ConfigurationSetName": ref(cs)},
		})
	})
	f := fullSynth(t)
	// With sesIdentity the domain is the identity, its DKIM records are
	// outputs, and each sandbox recipient is an identity.
	for _, identity := range []string{"corp.example", "lead@corp.example"} {
		check(t, func() {
			f.tmpl.HasResourceProperties(jsii.String("AWS::SES::EmailIdentity"), map[string]any{"EmailIdentity": identity})
		})
	}
	outputs := *f.tmpl.FindOutputs(jsii.String("*"), nil)
	for _, id := range []string{"DkimRecord1", "DkimRecord2", "DkimRecord3"} {
		if _, ok := outputs[id]; !ok {
			t.Errorf("no output %s", id)
		}
	}
}

// TestARelayStackHasNoSES: where mail goes through a relay the stack has no
// SES resource, no role may use SES, and the outputs name the relay and the
// password's parameter instead of an identity.
func TestARelayStackHasNoSES(t *testing.T) {
	s := relaySynth(t)
	for id, r := range s.json["Resources"].(map[string]any) {
		if typ := r.(map[string]any)["Type"].(string); strings.HasPrefix(typ, "AWS::SES::") {
			t.Errorf("%s is an %s", id, typ)
		}
	}
	for id, p := range s.resources("AWS::IAM::Policy") {
		for _, st := range statements(props(p)["PolicyDocument"]) {
			for _, a := range strs(st["Action"]) {
				if strings.HasPrefix(a, "ses:") {
					t.Errorf("%s allows %s", id, a)
				}
			}
		}
	}
	outputs := *s.tmpl.FindOutputs(jsii.String("*"), nil)
	if _, ok := outputs["SesIdentity"]; ok {
		t.Error("an SesIdentity output")
	}
	check(t, func() {
		s.tmpl.HasOutput(jsii.String("MailRelay"), map[string]any{"Value": "smtpdm.aliyun.com:465 as scorecard@mail.acme.example.cn"})
	})
	check(t, func() {
		s.tmpl.HasOutput(jsii.String("SmtpPasswordParameter"), map[string]any{"Value": "/scorecard/smtp-password"})
	})
}

func TestOutputs(t *testing.T) {
	s := defaultSynth(t)
	outputs := *s.tmpl.FindOutputs(jsii.String("*"), nil)
	var got []string
	for id := range outputs {
		got = append(got, id)
	}
	sort.Strings(got)
	want := []string{"AlarmTopicArn", "ApiUrl", "BaseUrl", "FailedRunsQueueUrl", "FormsFunctionName", "FreshdeskWebhookUrl",
		"GenericWebhookUrl", "JiraWebhookUrl", "MonthlyFunctionName", "NotifierFunctionName", "SecretsPrefix", "SesIdentity",
		"TableName", "WebhookFunctionName", "ZendeskWebhookUrl"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	check(t, func() {
		s.tmpl.HasOutput(jsii.String("TableName"), map[string]any{"Value": ref(s.only(t, "AWS::DynamoDB::Table"))})
	})
	check(t, func() {
		s.tmpl.HasOutput(jsii.String("ZendeskWebhookUrl"), map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
			map[string]any{"Fn::GetAtt": []any{s.only(t, "AWS::Lambda::Url"), "FunctionUrl"}}, "webhooks/zendesk",
		}}}})
	})
	full := fullSynth(t)
	check(t, func() {
		full.tmpl.HasOutput(jsii.String("ZendeskWebhookUrl"), map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
			map[string]any{"Fn::GetAtt": []any{full.only(t, "AWS::ApiGatewayV2::Api"), "ApiEndpoint"}}, "/webhooks/zendesk",
		}}}})
	})
}

// The webhooks' own endpoint: the webhook function's URL, open (the
// function verifies every request), invoked by anyone through the URL
// alone, with a 5xx alarm; none when they are on the HTTP API.
func TestWebhookFunctionURL(t *testing.T) {
	s := defaultSynth(t)
	webhook := s.only(t, "AWS::Lambda::Url")
	p := props(s.resources("AWS::Lambda::Url")[webhook])
	if p["AuthType"] != "NONE" || !strings.Contains(fmt.Sprint(p["TargetFunctionArn"]), "WebhookFunction") {
		t.Errorf("function URL %v", p)
	}
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
			"Action": "lambda:InvokeFunctionUrl", "Principal": "*", "FunctionUrlAuthType": "NONE",
		})
	})
	check(t, func() {
		s.tmpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"MetricName": "Url5xxCount", "Namespace": "AWS/Lambda"})
	})
	if n := len(fullSynth(t).resources("AWS::Lambda::Url")); n != 0 {
		t.Errorf("%d function URLs with the webhooks on the HTTP API", n)
	}
}

// cdk-nag's AwsSolutions rules leave no error and no warning: each finding
// is fixed or suppressed with a reason.
func TestNoUnsuppressedNagFindings(t *testing.T) {
	for name, s := range map[string]synthesized{"default": defaultSynth(t), "full": fullSynth(t), "partial": partialSynth(t), "relay": relaySynth(t)} {
		t.Run(name, func(t *testing.T) {
			a := assertions.Annotations_FromStack(s.stack)
			for _, m := range *a.FindError(jsii.String("*"), assertions.Match_AnyValue()) {
				t.Errorf("error: %+v", *m)
			}
			for _, m := range *a.FindWarning(jsii.String("*"), assertions.Match_AnyValue()) {
				t.Errorf("warning: %+v", *m)
			}
			r := s.nagReport(t)
			if err := r.Err(); err != nil {
				t.Error(err)
			}
			for _, w := range r.Warnings {
				t.Errorf("unsuppressed cdk-nag warning: %s", w)
			}
		})
	}
}

// Every suppressed finding says why, in more than a few words, and the
// suppressions are the expected ones: a new finding needs a look, not a
// blanket suppression.
func TestSuppressions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		synth func(*testing.T) synthesized
		want  map[string]int // rule → suppressed findings
	}{
		// APIG4: the ten routes of the forms, eleven with the webhooks'
		// (full: webhookEndpoint api). IAM5: the secrets' path and the KMS keys
		// of the four functions, the grantInvoke of the five schedules,
		// the notifier's ListStreams. SQS3: the two dead-letter queues.
		{"default", defaultSynth, map[string]int{"AwsSolutions-APIG4": 10, "AwsSolutions-IAM5": 14, "AwsSolutions-SQS3": 2}},
		{"full", fullSynth, map[string]int{"AwsSolutions-APIG4": 11, "AwsSolutions-IAM5": 14, "AwsSolutions-SQS3": 2}},
		// Only webhook (on its URL) and monthly: their secrets, four
		// schedules, one queue.
		{"partial", partialSynth, map[string]int{"AwsSolutions-IAM5": 8, "AwsSolutions-SQS3": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.synth(t)
			got := map[string]int{}
			for _, l := range s.nagReport(t).Suppressed {
				got[l.Rule]++
				if len(strings.Fields(l.Reason)) < 12 {
					t.Errorf("%s: thin reason %q", l, l.Reason)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("suppressed findings per rule (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMain_buildDirHasEveryTestFunction(t *testing.T) {
	for _, f := range append(append([]function{}, functions...), plannedFunctions...) {
		if _, err := os.Stat(filepath.Join(testBuildDir, f.Name, "bootstrap")); err != nil {
			t.Error(err)
		}
	}
}

// TestANewAccountCanDeployTheDefaults: reserved concurrency takes from the
// account's limit, of which Lambda keeps 100 unreserved, so with a new
// account's limit of 10 the default stack must reserve none.
func TestANewAccountCanDeployTheDefaults(t *testing.T) {
	s := defaultSynth(t)
	reserved := 0
	for _, fn := range *s.tmpl.FindResources(jsii.String("AWS::Lambda::Function"), nil) {
		props, _ := (*fn)["Properties"].(map[string]any)
		if n, ok := props["ReservedConcurrentExecutions"].(float64); ok {
			reserved += int(n)
		}
	}
	if reserved > 0 {
		t.Errorf("the default stack reserves %d concurrent executions; an account limited to 10 can reserve none", reserved)
	}
}
