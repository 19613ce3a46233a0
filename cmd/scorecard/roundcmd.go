package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/app/round"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// assessmentsCmd starts a month's assessment round or sends its reminders,
// as the daily schedule does on its days.
func assessmentsCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("assessments", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "start" && pos[0] != "remind") {
		return errcode.Errorf(errcode.Invalid, "want start|remind YYYY-MM")
	}
	m, err := month.Parse(pos[1])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	cfg, err := awsconfig.Load(ctx, be.env, e.getenv)
	if err != nil {
		return err
	}
	sec, err := cliSecrets(ctx, e, cfg, *sf.local)
	if err != nil {
		return err
	}
	r := &round.Round{
		Store: be.store, Mailer: ses.New(ses.Client(cfg, be.env.SESEndpoint), orDefault(e.getenv("MAIL_FROM"), "scorecard@example.com"), e.getenv("SES_CONFIGURATION_SET")),
		Policy: be.policy, Key: sec.SigningKey, BaseURL: orDefault(e.getenv("BASE_URL"), "http://127.0.0.1:8080"),
		Now: time.Now, Log: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	var sum round.Summary
	if pos[0] == "start" {
		sum, err = r.Start(ctx, m)
	} else {
		sum, err = r.Remind(ctx, m)
	}
	fmt.Fprintln(e.stdout, sum)
	return err
}

// cliSecrets are the dev secrets against the local servers, else the
// deployment's from SSM under SECRETS_PREFIX.
func cliSecrets(ctx context.Context, e *env, cfg aws.Config, local bool) (secrets.Secrets, error) {
	if local {
		return devSecrets(e.getenv)
	}
	prefix := e.getenv("SECRETS_PREFIX")
	if prefix == "" {
		return secrets.Secrets{}, errcode.Errorf(errcode.Invalid, "SECRETS_PREFIX is not set (or use --local)")
	}
	return secrets.Load(ctx, ssm.NewFromConfig(cfg), prefix, "link-signing-key")
}
