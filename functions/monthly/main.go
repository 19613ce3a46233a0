// Command monthly is the Lambda of the monthly run, invoked by EventBridge
// Scheduler on the 1st (the previous month in the policy's time zone) or by
// hand with {"month": "YYYY-MM", "mail": true|false, "force": true|false}.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/awsenv"
	"scorecard/shared/dynamo"
	"scorecard/shared/monthly"
	"scorecard/shared/policy"
	"scorecard/shared/ses"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	r, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(r.Handle)
}

// setup reads the configuration and builds the runner once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*monthly.Runner, error) {
	from := getenv("MAIL_FROM")
	if from == "" {
		return nil, fmt.Errorf("MAIL_FROM is not set")
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
	store := dynamo.New(env.DynamoDB(cfg), env.Table, dynamo.Options{Location: pol.Location(), Retention: pol.Retention.RawEvents.D()})
	mailer := ses.New(env.SES(cfg), from, getenv("SES_CONFIGURATION_SET"))
	return &monthly.Runner{Store: store, Mailer: mailer, Policy: pol, Now: time.Now, Log: log}, nil
}
