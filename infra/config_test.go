package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/google/go-cmp/cmp"
)

// defaults is the configuration without any context.
var defaults = Config{
	MailFrom:        "scorecard@example.com",
	TimeZone:        "Asia/Shanghai",
	MonthlySchedule: "cron(0 6 1 * ? *)",
	RoundSchedule:   "cron(0 9 * * ? *)",
	SecretsPrefix:   "/scorecard",
	APIRateLimit:    50,
	APIBurstLimit:   100,
	MailRate:        1,
	SMTPPort:        465,
	WebhookEndpoint: "url",
}

func TestConfigFromContext(t *testing.T) {
	with := func(change func(*Config)) Config {
		c := defaults
		change(&c)
		return c
	}
	tests := []struct {
		name    string
		context map[string]any
		want    Config
	}{
		{"no context gives the defaults", nil, defaults},
		{"context as cdk.json gives it: strings, numbers, lists", map[string]any{
			"mailFrom":           "Scorecard <noreply@mail.corp.example>",
			"sesIdentity":        "Corp.Example.",
			"sandboxRecipients":  []any{"lead@corp.example", " hr@corp.example "},
			"baseUrl":            "https://sc.corp.example/app",
			"timeZone":           "Europe/Berlin",
			"monthlySchedule":    "cron(30 7 1 * ? *)",
			"roundSchedule":      "cron(0 8 ? * MON-FRI *)",
			"alarmEmail":         "ops@corp.example",
			"secretsPrefix":      "/corp/scorecard",
			"webhookConcurrency": float64(20),
			"formsConcurrency":   float64(5),
			"monthlyConcurrency": float64(1),
			"apiRateLimit":       float64(12.5),
			"mailRate":           float64(14),
			"apiBurstLimit":      float64(40),
		}, Config{
			MailFrom:           "Scorecard <noreply@mail.corp.example>",
			SESIdentity:        "corp.example",
			SandboxRecipients:  []string{"lead@corp.example", "hr@corp.example"},
			BaseURL:            "https://sc.corp.example/app",
			TimeZone:           "Europe/Berlin",
			MonthlySchedule:    "cron(30 7 1 * ? *)",
			RoundSchedule:      "cron(0 8 ? * MON-FRI *)",
			AlarmEmail:         "ops@corp.example",
			SecretsPrefix:      "/corp/scorecard",
			WebhookConcurrency: 20,
			FormsConcurrency:   5,
			MonthlyConcurrency: 1,
			APIRateLimit:       12.5,
			MailRate:           14,
			APIBurstLimit:      40,
			SMTPPort:           465,
			WebhookEndpoint:    "url",
		}},
		{"context as the CLI's -c gives it: everything a string", map[string]any{
			"sandboxRecipients":   "lead@corp.example, hr@corp.example",
			"notifierConcurrency": "3",
			"apiRateLimit":        "100",
			"apiBurstLimit":       "200",
		}, with(func(c *Config) {
			c.SandboxRecipients = []string{"lead@corp.example", "hr@corp.example"}
			c.NotifierConcurrency = 3
			c.APIRateLimit = 100
			c.APIBurstLimit = 200
		})},
		{"trailing slashes are dropped", map[string]any{
			"baseUrl": "https://sc.corp.example/", "secretsPrefix": "/sc/",
		}, with(func(c *Config) { c.BaseURL = "https://sc.corp.example"; c.SecretsPrefix = "/sc" })},
		{"empty optional values mean none", map[string]any{
			"baseUrl": "", "alarmEmail": "", "sesIdentity": "", "sandboxRecipients": []any{},
		}, defaults},
		{"a rate schedule", map[string]any{"monthlySchedule": "rate(1 day)"},
			with(func(c *Config) { c.MonthlySchedule = "rate(1 day)" })},
		{"Beijing through a relay", map[string]any{
			"region": "cn-north-1", "smtpHost": "SMTPDM.Aliyun.com.", "smtpPort": "587", "smtpUser": "scorecard@mail.acme.cn",
		}, with(func(c *Config) {
			c.Region, c.SMTPHost, c.SMTPPort, c.SMTPUser = "cn-north-1", "smtpdm.aliyun.com", 587, "scorecard@mail.acme.cn"
		})},
		{"a region with everything", map[string]any{"region": "ap-southeast-1"},
			with(func(c *Config) { c.Region = "ap-southeast-1" })},
		{"a relay where SES exists too", map[string]any{"region": "eu-west-1", "smtpHost": "relay.corp.example"},
			with(func(c *Config) { c.Region, c.SMTPHost = "eu-west-1", "relay.corp.example" })},
		{"a region the table does not know is a warning", map[string]any{"region": "xx-west-9"},
			with(func(c *Config) {
				c.Region = "xx-west-9"
				c.Warnings = []string{"region xx-west-9 (context region) is not in the table of regions (infra/regions.go): whether it has SES and HTTP APIs was not checked"}
			})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := configFromContext(newApp(tc.context))
			if err != nil {
				t.Fatalf("configFromContext: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("config mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestARealSenderDeploys: the example-domain refusal is for example
// domains alone.
func TestARealSenderDeploys(t *testing.T) {
	for _, from := range []string{"sc@corp.example.cn", "sc@example.co.uk", "sc@myexample.com", "Scorecard <sc@support.acme.com>"} {
		if _, err := configFromContext(newApp(map[string]any{"mailFrom": from, ctxAllowExampleSender: false})); err != nil {
			t.Errorf("%s: %v", from, err)
		}
	}
}

func TestConfigFromContextRejects(t *testing.T) {
	tests := []struct {
		name    string
		context map[string]any
		wantKey string
	}{
		{"unknown time zone", map[string]any{"timeZone": "Mars/Olympus"}, "timeZone"},
		{"Local is not an IANA zone", map[string]any{"timeZone": "Local"}, "timeZone"},
		{"empty time zone", map[string]any{"timeZone": ""}, "timeZone"},
		{"sender without an address", map[string]any{"mailFrom": "scorecard"}, "mailFrom"},
		{"the default example sender, to deploy", map[string]any{ctxAllowExampleSender: false}, "mailFrom"},
		{"a sender under example.org", map[string]any{"mailFrom": "Scorecard <sc@mail.Example.ORG>", ctxAllowExampleSender: "false"}, "mailFrom"},
		{"a sender on the .test domain", map[string]any{"mailFrom": "sc@corp.test", ctxAllowExampleSender: false}, "mailFrom"},
		{"SES identity that is not a domain", map[string]any{"sesIdentity": "scorecard@corp.example"}, "sesIdentity"},
		{"SES identity that does not cover the sender", map[string]any{"sesIdentity": "other.example"}, "sesIdentity"},
		{"SES identity that only shares a suffix", map[string]any{"mailFrom": "a@badexample.com", "sesIdentity": "example.com"}, "sesIdentity"},
		{"sandbox recipient with a name", map[string]any{"sandboxRecipients": []any{"Ann <ann@corp.example>"}}, "sandboxRecipients"},
		{"sandbox recipient that is the sender", map[string]any{"sandboxRecipients": "scorecard@example.com"}, "sandboxRecipients"},
		{"sandbox recipient twice", map[string]any{"sandboxRecipients": "a@corp.example,A@corp.example"}, "sandboxRecipients"},
		{"sandbox recipients that are not strings", map[string]any{"sandboxRecipients": []any{42.0}}, "sandboxRecipients"},
		{"plain http base URL", map[string]any{"baseUrl": "http://scorecard.example.com"}, "baseUrl"},
		{"relative base URL", map[string]any{"baseUrl": "/s"}, "baseUrl"},
		{"base URL with a query", map[string]any{"baseUrl": "https://sc.example/?a=1"}, "baseUrl"},
		{"value that is not a string", map[string]any{"baseUrl": 42.0}, "baseUrl"},
		{"schedule that is not an expression", map[string]any{"monthlySchedule": "0 6 1 * *"}, "monthlySchedule"},
		{"five-field cron", map[string]any{"monthlySchedule": "cron(0 6 1 * ?)"}, "monthlySchedule"},
		{"cron with both day fields", map[string]any{"monthlySchedule": "cron(0 6 1 * MON *)"}, "monthlySchedule"},
		{"one-off at() schedule", map[string]any{"monthlySchedule": "at(2026-11-01T06:00:00)"}, "monthlySchedule"},
		{"round schedule that is not an expression", map[string]any{"roundSchedule": "daily"}, "roundSchedule"},
		{"alarm e-mail that is not an address", map[string]any{"alarmEmail": "ops"}, "alarmEmail"},
		{"secrets prefix without a leading slash", map[string]any{"secretsPrefix": "scorecard"}, "secretsPrefix"},
		{"secrets prefix with a space", map[string]any{"secretsPrefix": "/score card"}, "secretsPrefix"},
		{"secrets prefix reserved by SSM", map[string]any{"secretsPrefix": "/aws/scorecard"}, "secretsPrefix"},
		{"negative webhook concurrency", map[string]any{"webhookConcurrency": -1.0}, "webhookConcurrency"},
		{"fractional webhook concurrency", map[string]any{"webhookConcurrency": "2.5"}, "webhookConcurrency"},
		{"webhook concurrency that is not a number", map[string]any{"webhookConcurrency": "many"}, "webhookConcurrency"},
		{"negative forms concurrency", map[string]any{"formsConcurrency": -1.0}, "formsConcurrency"},
		{"no mail rate", map[string]any{"mailRate": 0.0}, "mailRate"},
		{"a mail rate that is not a number", map[string]any{"mailRate": "fast"}, "mailRate"},
		{"monthly concurrency that is not a number", map[string]any{"monthlyConcurrency": "one"}, "monthlyConcurrency"},
		{"notifier concurrency over 1000", map[string]any{"notifierConcurrency": 5000.0}, "notifierConcurrency"},
		{"zero API rate", map[string]any{"apiRateLimit": 0.0}, "apiRateLimit"},
		{"zero API burst", map[string]any{"apiBurstLimit": "0"}, "apiBurstLimit"},
		{"boolean API burst", map[string]any{"apiBurstLimit": true}, "apiBurstLimit"},
		{"Hong Kong without a relay", map[string]any{"region": "ap-east-1"}, "smtpHost"},
		{"Beijing without a relay", map[string]any{"region": "cn-north-1"}, "smtpHost"},
		{"Taipei, which has no HTTP API", map[string]any{"region": "ap-east-2", "smtpHost": "relay.corp.example"}, "region"},
		{"a region that is not a name", map[string]any{"region": "Hong Kong"}, "region"},
		{"a relay that is a URL", map[string]any{"smtpHost": "smtp://relay.corp.example"}, "smtpHost"},
		{"a relay port out of range", map[string]any{"smtpHost": "relay.corp.example", "smtpPort": 70000.0}, "smtpPort"},
		{"a relay user without a relay", map[string]any{"smtpUser": "sc"}, "smtpUser"},
		{"an SES identity with a relay", map[string]any{"smtpHost": "relay.corp.example", "mailFrom": "sc@corp.example.cn", "sesIdentity": "corp.example.cn"}, "sesIdentity"},
		{"sandbox recipients with a relay", map[string]any{"smtpHost": "relay.corp.example", "sandboxRecipients": "a@corp.example"}, "sandboxRecipients"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configFromContext(newApp(tc.context))
			if err == nil {
				t.Fatal("configFromContext succeeded, want an error")
			}
			if !strings.Contains(err.Error(), "context "+tc.wantKey+":") {
				t.Errorf("error %q does not name the context key %s", err, tc.wantKey)
			}
		})
	}
}

func TestConfigReportsEveryBadKey(t *testing.T) {
	_, err := configFromContext(newApp(map[string]any{"timeZone": "Mars/Olympus", "alarmEmail": "ops", "apiRateLimit": -1.0}))
	for _, key := range []string{"timeZone", "alarmEmail", "apiRateLimit"} {
		if err == nil || !strings.Contains(err.Error(), "context "+key+":") {
			t.Errorf("error %v does not name %s", err, key)
		}
	}
}

func TestIdentity(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"the sender's address without its name", Config{MailFrom: "Scorecard <noreply@corp.example>"}, "noreply@corp.example"},
		{"the domain when one is configured", Config{MailFrom: "noreply@mail.corp.example", SESIdentity: "corp.example"}, "corp.example"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.Identity(); got != tc.want {
				t.Errorf("Identity() = %q, want %q", got, tc.want)
			}
		})
	}
}

// cdk.json documents every context key with its default: the file and the
// code must agree.
func TestCDKJSONHoldsTheDefaults(t *testing.T) {
	data, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		App     string         `json:"app"`
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	if file.App != "cd infra && go run ." {
		t.Errorf("cdk.json app = %q, want the Go app in infra", file.App)
	}
	keys := []string{ctxMailFrom, ctxSESIdentity, ctxSandboxRecipients, ctxBaseURL, ctxTimeZone, ctxMonthlySchedule,
		ctxRoundSchedule, ctxAlarmEmail, ctxSecretsPrefix, ctxWebhookConcurrency, ctxFormsConcurrency, ctxMonthlyConcurrency, ctxNotifierConcurrency,
		ctxMailRate, ctxAPIRateLimit, ctxAPIBurstLimit, ctxRegion, ctxSMTPHost, ctxSMTPPort, ctxSMTPUser}
	for _, k := range keys {
		if _, ok := file.Context[k]; !ok {
			t.Errorf("cdk.json has no context %s", k)
		}
	}
	got, err := configFromContext(newApp(file.Context))
	if err != nil {
		t.Fatalf("cdk.json context: %v", err)
	}
	if diff := cmp.Diff(defaults, got); diff != "" {
		t.Errorf("cdk.json context is not the defaults (-code +cdk.json):\n%s", diff)
	}
}

// The schedules fire in timeZone and the monthly run's months are in the
// policy's zone: out of the box they are the same.
func TestDefaultTimeZoneIsThePolicys(t *testing.T) {
	data, err := os.ReadFile("../shared/core/policy/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^time_zone:\s*"?([^"\s#]+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no top-level time_zone in shared/core/policy/default.yaml")
	}
	if string(m[1]) != defaultTimeZone {
		t.Errorf("default timeZone %s, policy time_zone %s", defaultTimeZone, m[1])
	}
}

// newApp is an app with context; unless the context says otherwise it
// allows the example sender the defaults have, as make synth does.
func newApp(context map[string]any) awscdk.App {
	c := map[string]any{ctxAllowExampleSender: true}
	for k, v := range context {
		c[k] = v
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &c})
}

// TestRegionRefusalsNameTheFix: the messages an operator gets for the
// regions the stack cannot go to as configured.
func TestRegionRefusalsNameTheFix(t *testing.T) {
	for _, tc := range []struct {
		context map[string]any
		says    []string
	}{
		{map[string]any{"region": "ap-east-1"}, []string{"context smtpHost: ap-east-1 (context region) has no SES", "smtpUser", "/scorecard/smtp-password", "Regions without SES"}},
		{map[string]any{"region": "cn-northwest-1", "secretsPrefix": "/acme"}, []string{"cn-northwest-1", "/acme/smtp-password"}},
		{map[string]any{"region": "ap-east-2", "smtpHost": "relay.corp.example"}, []string{"context region: ap-east-2", "AWS::ApiGatewayV2", "ap-southeast-1"}},
	} {
		_, err := configFromContext(newApp(tc.context))
		for _, want := range tc.says {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%v: got %v, want it to say %q", tc.context, err, want)
			}
		}
	}
}
