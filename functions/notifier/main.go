// Command notifier is the Lambda on the table's stream (and on a schedule
// for surveys whose delay has passed): it records the survey each final
// resolution calls for and mails it once (shared/app/notifier).
package main

import (
	"context"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/mailer"
	"scorecard/shared/aws/startup"
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

// setup builds the handler once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*notifier.StreamHandler, error) {
	c, err := startup.Load(ctx, getenv, []string{"MAIL_FROM", "BASE_URL"}, "link-signing-key")
	if err != nil {
		return nil, err
	}
	// The ticketing systems whose API credentials are configured give
	// the addresses their webhooks leave out.
	lookups, err := notifier.Lookups(c.Secrets.API, time.Now)
	if err != nil {
		return nil, err
	}
	sender, rate, err := mailer.New(c, getenv)
	if err != nil {
		return nil, err
	}
	store := c.Store()
	n := &notifier.Notifier{
		Store: store, Mailer: sender, Key: c.Secrets.SigningKey, BaseURL: getenv("BASE_URL"),
		Rules: notifier.RulesFrom(c.Policy), Now: time.Now, Log: log,
		Contacts: lookups, Cache: store,
		Engineers: &notifier.DirectoryEngineers{Load: store.Engineers, TTL: 10 * time.Minute, Now: time.Now},
		Rate:      rate,
	}
	return &notifier.StreamHandler{Notifier: n, Read: dynamo.EventImage, Load: store.TicketState}, nil
}
