package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/google/go-cmp/cmp"
)

func TestConfigFromContext(t *testing.T) {
	tests := []struct {
		name    string
		context map[string]any
		want    Config
	}{
		{"no context gives the defaults", nil, Config{
			TimeZone: "Asia/Shanghai",
			MailFrom: "scorecard@example.com",
			BaseURL:  "https://scorecard.example.com",
		}},
		{"context overrides each default", map[string]any{
			"timeZone": "Europe/Berlin",
			"mailFrom": "Scorecard <noreply@corp.example>",
			"baseUrl":  "https://sc.corp.example/app",
		}, Config{
			TimeZone: "Europe/Berlin",
			MailFrom: "Scorecard <noreply@corp.example>",
			BaseURL:  "https://sc.corp.example/app",
		}},
		{"trailing slash of baseUrl is dropped", map[string]any{
			"baseUrl": "https://sc.corp.example/",
		}, Config{
			TimeZone: "Asia/Shanghai",
			MailFrom: "scorecard@example.com",
			BaseURL:  "https://sc.corp.example",
		}},
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
		{"plain http base URL", map[string]any{"baseUrl": "http://scorecard.example.com"}, "baseUrl"},
		{"relative base URL", map[string]any{"baseUrl": "/s"}, "baseUrl"},
		{"value that is not a string", map[string]any{"baseUrl": 42}, "baseUrl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configFromContext(newApp(tc.context))
			if err == nil {
				t.Fatal("configFromContext succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.wantKey) {
				t.Errorf("error %q does not name the context key %s", err, tc.wantKey)
			}
		})
	}
}

func TestOutdir(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"without the CLI, cdk.out at the repo root", nil, "../cdk.out"},
		{"the CLI's CDK_OUTDIR wins", map[string]string{"CDK_OUTDIR": "/tmp/from-cli"}, "/tmp/from-cli"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := *outdir(mapEnv(tc.env)); got != tc.want {
				t.Errorf("outdir = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRunWritesTemplate(t *testing.T) {
	dir := t.TempDir()
	if err := run(mapEnv(map[string]string{"CDK_OUTDIR": dir})); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, stackName+".template.json")); err != nil {
		t.Errorf("template not written: %v", err)
	}
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func newApp(context map[string]any) awscdk.App {
	if context == nil {
		return awscdk.NewApp(nil)
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &context})
}
