// Command monthly is the Lambda of the scheduled jobs: the monthly run,
// invoked by EventBridge Scheduler on the 1st (the previous month in the
// policy's time zone) or by hand with {"month": "YYYY-MM", "mail": true|false,
// "force": true|false}; and the assessment round, invoked daily with
// {"round": "tick"} (shared/app/round decides whether today starts the round or
// sends its reminders); and the mid-month check-in, invoked daily with
// {"check_in": "tick"} (on the policy's check-in days it scores the month so
// far and mails who should hear it).
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/round"
	"scorecard/shared/aws/mailer"
	"scorecard/shared/aws/startup"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	j, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(j.Handle)
}

// jobs dispatches a scheduler payload to the round or the monthly run.
type jobs struct {
	monthly *monthly.Runner
	round   *round.Round
}

// Handle runs the job the payload names.
func (j jobs) Handle(ctx context.Context, payload json.RawMessage) (any, error) {
	var p struct {
		Round    string `json:"round"`
		CheckIn  string `json:"check_in"`
		FollowUp bool   `json:"follow_up"`
	}
	if json.Unmarshal(payload, &p) == nil && p.Round != "" {
		return j.round.Tick(ctx)
	}
	if p.CheckIn != "" {
		return j.monthly.CheckInTick(ctx)
	}
	if p.FollowUp {
		return j.monthly.FollowUp(ctx)
	}
	return j.monthly.Handle(ctx, payload)
}

// setup builds the jobs once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (*jobs, error) {
	c, err := startup.Load(ctx, getenv, []string{"MAIL_FROM", "BASE_URL"}, "link-signing-key")
	if err != nil {
		return nil, err
	}
	sender, rate, err := mailer.New(c, getenv)
	if err != nil {
		return nil, err
	}
	store := c.Store()
	return &jobs{
		monthly: &monthly.Runner{Store: store, Mailer: sender, Policy: c.Policy, Now: time.Now, Log: log, Rate: rate, Key: c.Secrets.SigningKey, BaseURL: getenv("BASE_URL")},
		round:   &round.Round{Store: store, Mailer: sender, Policy: c.Policy, Key: c.Secrets.SigningKey, BaseURL: getenv("BASE_URL"), Now: time.Now, Log: log},
	}, nil
}
