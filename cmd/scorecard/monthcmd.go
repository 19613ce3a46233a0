package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/ses"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

// runMonth runs the monthly job in-process against the configured store and
// SES (the local servers with --local).
func runMonth(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("run-month", flag.ContinueOnError)
	noMail := fs.Bool("no-mail", false, "store the results, send nothing")
	force := fs.Bool("force", false, "recompute as of now and send every mail again")
	out := fs.String("out", "out", "directory for the reports as files (\"\" for none)")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errcode.Errorf(errcode.Invalid, "want the month, YYYY-MM")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	r, err := newRunner(ctx, e, be, *sf.local, *out)
	if err != nil {
		return err
	}
	mail := !*noMail
	sum, err := r.Run(ctx, monthly.Request{Month: pos[0], Mail: &mail, Force: *force})
	fmt.Fprintln(e.stdout, sum)
	if err == nil && *out != "" && mail {
		fmt.Fprintf(e.stdout, "reports: %s\n", filepath.Join(*out, pos[0]))
	}
	return err
}

// newRunner is the monthly job in-process against the configured store and
// SES, on the command's clock; out, when not "", receives the reports.
func newRunner(ctx context.Context, e *env, be *backend, local bool, out string) (*monthly.Runner, error) {
	cfg, err := awsconfig.Load(ctx, be.env, e.getenv)
	if err != nil {
		return nil, err
	}
	from := orDefault(e.getenv("MAIL_FROM"), "scorecard@example.com")
	r := &monthly.Runner{
		Store: be.store, Mailer: ses.New(ses.Client(cfg, be.env.SESEndpoint), from, e.getenv("SES_CONFIGURATION_SET")),
		Policy: be.policy, Now: e.clock, Log: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	// The scorecards link to the evidence pages (and the disputes to the
	// settle pages) when the link-signing key is at hand: the dev key with
	// --local, the deployment's with SECRETS_PREFIX.
	if local || e.getenv("SECRETS_PREFIX") != "" {
		sec, err := cliSecrets(ctx, e, cfg, local)
		if err != nil {
			return nil, err
		}
		r.Key, r.BaseURL = sec.SigningKey, orDefault(e.getenv("BASE_URL"), "http://127.0.0.1:8080")
	}
	if out != "" {
		r.Out = func(name string, data []byte) error {
			path := filepath.Join(out, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			return os.WriteFile(path, data, 0o644)
		}
	}
	return r, nil
}

// scores prints a month's stored results.
func scores(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("scores", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the scores JSON")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errcode.Errorf(errcode.Invalid, "want the month, YYYY-MM")
	}
	m, err := month.Parse(pos[0])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	cards, err := be.store.Results(ctx, m)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cards)
	}
	fmt.Fprintf(e.stdout, "%s · policy %s · %d engineers\n\n", m, cards[0].PolicyVersion, len(cards))
	return printTable(e.stdout, cards)
}

// override records a manager's override of an engineer's month.
func override(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("override", flag.ContinueOnError)
	grade := fs.String("grade", "", "the grade to give (required)")
	reason := fs.String("reason", "", "why (required; kept in the audit trail)")
	by := fs.String("by", "", "who decides (default: $USER)")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errcode.Errorf(errcode.Invalid, "want ENGINEER YYYY-MM")
	}
	m, err := month.Parse(pos[1])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}
	if *reason == "" {
		return errcode.Errorf(errcode.Invalid, "--reason is required: an override is audited")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(be.policy.Grades, func(g policy.Grade) bool { return g.Grade == *grade }) {
		return errcode.Errorf(errcode.Invalid, "--grade %q is not a grade of policy %s", *grade, be.policy.Version)
	}
	cards, err := be.store.Results(ctx, m)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cards, func(c scoring.Card) bool { return c.EngineerID == pos[0] })
	if i < 0 {
		return errcode.Errorf(errcode.NotFound, "no result for %s in %s", pos[0], m)
	}
	who := orDefault(*by, orDefault(e.getenv("USER"), "admin"))
	o := consequence.Override{Grade: *grade, Reason: *reason, By: who, At: time.Now().UTC()}
	if err := be.store.PutOverride(ctx, m, pos[0], o); err != nil {
		return err
	}
	orig := cards[i]
	fmt.Fprintf(e.stdout, "%s %s: grade %s by override (computed: %s, composite %s); reason: %s\n",
		pos[0], m, *grade, orDefault(orig.Grade, "insufficient data"), fmtComposite(orig.Composite), *reason)
	fmt.Fprintln(e.stdout, "run the month again (and later months) to apply it to consequences and mails")
	return nil
}

func fmtComposite(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *p)
}
