// Command forms is the Lambda behind GET/POST /s/{token} (the survey page a
// customer reaches from the survey mail, shared/survey) and GET/POST
// /a/{token} (the month-end assessment forms, shared/assessment).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/assessment"
	"scorecard/shared/awsenv"
	"scorecard/shared/dynamo"
	"scorecard/shared/httpapi"
	"scorecard/shared/policy"
	"scorecard/shared/secrets"
	"scorecard/shared/survey"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

// setup reads the configuration and builds the handler once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (httpapi.HandlerFunc, error) {
	for _, name := range []string{"SECRETS_PREFIX", "BASE_URL"} {
		if getenv(name) == "" {
			return nil, fmt.Errorf("%s is not set", name)
		}
	}
	pol := policy.Default()
	if path := getenv("POLICY_FILE"); path != "" {
		var err error
		if pol, err = policy.Load(path); err != nil {
			return nil, err
		}
	}
	env := awsenv.FromEnv(getenv, false)
	cfg, err := env.Config(ctx, getenv)
	if err != nil {
		return nil, err
	}
	sec, err := secrets.Load(ctx, ssm.NewFromConfig(cfg), getenv("SECRETS_PREFIX"), "link-signing-key")
	if err != nil {
		return nil, err
	}
	store := dynamo.New(env.DynamoDB(cfg), env.Table, dynamo.Options{Location: pol.Location(), Retention: pol.Retention.RawEvents.D()})
	base := getenv("BASE_URL")
	surveys := &survey.Handler{Store: store, Key: sec.SigningKey, Now: time.Now, Log: log, BaseURL: base}
	assessments := &assessment.Handler{Store: store, Key: sec.SigningKey, Now: time.Now, Log: log, BaseURL: base, Location: pol.Location()}
	return route(surveys.Handle, assessments.Handle), nil
}

// route sends /a/{token} to the assessment forms and the rest to the
// survey pages.
func route(surveys, assessments httpapi.HandlerFunc) httpapi.HandlerFunc {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if strings.HasPrefix(req.RawPath, "/a/") {
			return assessments(ctx, req)
		}
		return surveys(ctx, req)
	}
}
