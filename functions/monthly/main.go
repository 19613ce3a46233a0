// Command monthly is the Lambda of the scheduled jobs: the monthly run,
// invoked by EventBridge Scheduler on the 1st (the previous month in the
// policy's time zone) or by hand with {"month": "YYYY-MM", "mail": true|false,
// "force": true|false}; and the assessment round, invoked daily with
// {"round": "tick"} (shared/round decides whether today starts the round or
// sends its reminders).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/awsenv"
	"scorecard/shared/dynamo"
	"scorecard/shared/monthly"
	"scorecard/shared/policy"
	"scorecard/shared/round"
	"scorecard/shared/secrets"
	"scorecard/shared/ses"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	r, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(r)
}

// jobs dispatches a scheduler payload to the round or the monthly run.
type jobs struct {
	monthly *monthly.Runner
	round   *round.Round
}

func (j jobs) Handle(ctx context.Context, payload json.RawMessage) (any, error) {
	var p struct {
		Round string `json:"round"`
	}
	if json.Unmarshal(payload, &p) == nil && p.Round != "" {
		return j.round.Tick(ctx)
	}
	return j.monthly.Handle(ctx, payload)
}

// setup reads the configuration and builds the runner once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (func(context.Context, json.RawMessage) (any, error), error) {
	for _, name := range []string{"SECRETS_PREFIX", "MAIL_FROM", "BASE_URL"} {
		if getenv(name) == "" {
			return nil, fmt.Errorf("%s is not set", name)
		}
	}
	from := getenv("MAIL_FROM")
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
	mailer := ses.New(env.SES(cfg), from, getenv("SES_CONFIGURATION_SET"))
	j := jobs{
		monthly: &monthly.Runner{Store: store, Mailer: mailer, Policy: pol, Now: time.Now, Log: log},
		round:   &round.Round{Store: store, Mailer: mailer, Policy: pol, Key: sec.SigningKey, BaseURL: getenv("BASE_URL"), Now: time.Now, Log: log},
	}
	return j.Handle, nil
}
