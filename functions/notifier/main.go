// Command notifier is the Lambda on the table's stream (and on a schedule
// for surveys whose delay has passed): it records the survey each final
// resolution calls for and mails it once (shared/notifier).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/awsenv"
	"scorecard/shared/dynamo"
	"scorecard/shared/notifier"
	"scorecard/shared/policy"
	"scorecard/shared/secrets"
	"scorecard/shared/ses"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.HandleAny)
}

// setup reads the configuration and builds the handler once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*notifier.StreamHandler, error) {
	for _, name := range []string{"SECRETS_PREFIX", "MAIL_FROM", "BASE_URL"} {
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
	n := &notifier.Notifier{
		Store: store, Mailer: ses.New(env.SES(cfg), getenv("MAIL_FROM"), getenv("SES_CONFIGURATION_SET")),
		Key: sec.SigningKey, BaseURL: getenv("BASE_URL"), Rules: notifier.RulesFrom(pol), Now: time.Now, Log: log,
	}
	return &notifier.StreamHandler{Notifier: n, Decode: dynamo.DecodeTicket}, nil
}
