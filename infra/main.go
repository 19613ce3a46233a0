// Command infra is the AWS CDK app that deploys the Aftersales Scorecard: it
// reads the deployment configuration from CDK context and synthesizes the
// single, environment-agnostic stack "Scorecard" into a cloud assembly.
//
// It is its own Go module so that `go test ./...` at the repository root never
// compiles the CDK library. The CDK CLI runs it through /cdk.json at the
// repository root; `cd infra && go run .` works without the CLI and writes
// ../cdk.out. Synthesis needs Node.js (for jsii) but no AWS credentials.
package main

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // validate timeZone against the IANA database, whatever the host has

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// stackName is the CloudFormation stack name; DESIGN.md and the Makefile use it.
const stackName = "Scorecard"

// defaultOutdir is where `go run .` in infra/ writes the cloud assembly when
// the CDK CLI has not chosen one: cdk.out next to cdk.json at the repo root.
const defaultOutdir = "../cdk.out"

// Context keys and their defaults; /cdk.json repeats the defaults so that
// `cdk synth -c key=value` is the one way to override them.
const (
	ctxTimeZone = "timeZone"
	ctxMailFrom = "mailFrom"
	ctxBaseURL  = "baseUrl"

	defaultTimeZone = "Asia/Shanghai"
	defaultMailFrom = "scorecard@example.com"
	defaultBaseURL  = "https://scorecard.example.com"
)

// Config is the deployment configuration read from CDK context.
type Config struct {
	// TimeZone is the IANA zone of the performance policy; the monthly
	// schedule fires in it.
	TimeZone string
	// MailFrom is the SES sender of every mail (MAIL_FROM).
	MailFrom string
	// BaseURL is the public https URL that signed links in mail start with
	// (BASE_URL), without a trailing slash.
	BaseURL string
}

func main() {
	err := run(os.Getenv)
	// Close before exiting: it stops the Node.js child process that jsii runs.
	jsii.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "infra: %v\n", err)
		os.Exit(1)
	}
}

// run builds the app and synthesizes it. getenv is os.Getenv outside tests.
func run(getenv func(string) string) error {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: outdir(getenv)})
	cfg, err := configFromContext(app)
	if err != nil {
		return err
	}
	// No Env: the stack stays environment-agnostic, so synthesis makes no
	// account or region lookups and needs no credentials.
	NewScorecardStack(app, stackName, &ScorecardStackProps{
		StackProps: awscdk.StackProps{
			Description: jsii.String("Aftersales Scorecard: webhooks, surveys, monthly scores and consequences"),
		},
		Config: cfg,
	})
	app.Synth(nil)
	return nil
}

// outdir is the directory the CDK CLI chose through CDK_OUTDIR (it reads the
// assembly from there) or, without the CLI, defaultOutdir. It is passed
// explicitly rather than left to the App because the App reads the
// environment of the jsii Node.js process, which a test cannot change.
func outdir(getenv func(string) string) *string {
	if dir := getenv("CDK_OUTDIR"); dir != "" {
		return jsii.String(dir)
	}
	return jsii.String(defaultOutdir)
}

// configFromContext reads Config from the CDK context of scope, falling back to
// the defaults, and rejects values that would only fail at deploy time.
func configFromContext(scope constructs.Construct) (Config, error) {
	var errs []error
	get := func(key, def string) string {
		switch v := scope.Node().TryGetContext(jsii.String(key)).(type) {
		case nil:
			return def
		case string:
			return strings.TrimSpace(v)
		default:
			errs = append(errs, fmt.Errorf("context %s: want a string, got %T", key, v))
			return ""
		}
	}
	cfg := Config{
		TimeZone: get(ctxTimeZone, defaultTimeZone),
		MailFrom: get(ctxMailFrom, defaultMailFrom),
		BaseURL:  strings.TrimSuffix(get(ctxBaseURL, defaultBaseURL), "/"),
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}

	// "Local" and "" are accepted by time.LoadLocation but are not IANA names
	// that EventBridge Scheduler understands.
	if cfg.TimeZone == "" || cfg.TimeZone == "Local" {
		errs = append(errs, fmt.Errorf("context %s: %q is not an IANA time zone", ctxTimeZone, cfg.TimeZone))
	} else if _, err := time.LoadLocation(cfg.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("context %s: %w", ctxTimeZone, err))
	}
	if _, err := mail.ParseAddress(cfg.MailFrom); err != nil {
		errs = append(errs, fmt.Errorf("context %s: %q: %w", ctxMailFrom, cfg.MailFrom, err))
	}
	if u, err := url.Parse(cfg.BaseURL); err != nil {
		errs = append(errs, fmt.Errorf("context %s: %w", ctxBaseURL, err))
	} else if u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, fmt.Errorf("context %s: %q: want an absolute https URL such as %s", ctxBaseURL, cfg.BaseURL, defaultBaseURL))
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}
