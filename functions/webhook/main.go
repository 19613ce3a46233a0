// Command webhook is the Lambda behind POST /webhooks/{source}: it verifies,
// normalises and stores ticket webhooks and people records (shared/app/webhook).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/startup"
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

// setup builds the handler once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*webhook.Handler, error) {
	c, err := startup.Load(ctx, getenv, nil)
	if err != nil {
		return nil, err
	}
	if len(c.Secrets.Webhook) == 0 {
		return nil, fmt.Errorf("no webhook secret under %s/webhook/", getenv("SECRETS_PREFIX"))
	}
	if err := webhook.CheckPolicy(c.Policy); err != nil {
		return nil, err
	}
	store := c.Store()
	return &webhook.Handler{Store: store, Records: store, Switchovers: store, Sources: webhook.Sources(c.Policy), Secrets: c.Secrets.Webhook, Now: time.Now, Log: log}, nil
}
