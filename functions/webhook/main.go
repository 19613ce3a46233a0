// Command webhook is the Lambda behind POST /webhooks/{source}: it verifies,
// normalises and stores ticket webhooks (shared/webhook).
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
	"scorecard/shared/policy"
	"scorecard/shared/secrets"
	"scorecard/shared/webhook"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}

// setup reads the configuration and builds the handler once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*webhook.Handler, error) {
	prefix := getenv("SECRETS_PREFIX")
	if prefix == "" {
		return nil, fmt.Errorf("SECRETS_PREFIX is not set")
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
	sec, err := secrets.Load(ctx, ssm.NewFromConfig(cfg), prefix)
	if err != nil {
		return nil, err
	}
	if len(sec.Webhook) == 0 {
		return nil, fmt.Errorf("no webhook secret under %s/webhook/", prefix)
	}
	store := dynamo.New(env.DynamoDB(cfg), env.Table, dynamo.Options{Location: pol.Location(), Retention: pol.Retention.RawEvents.D()})
	return &webhook.Handler{Store: store, Records: store, Sources: webhook.Sources(), Secrets: sec.Webhook, Now: time.Now, Log: log}, nil
}
