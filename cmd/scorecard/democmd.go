package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/logging"

	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/demorun"
)

// demoCmd plays generated months through the local stack (package
// demorun): signed webhooks, surveys and assessments answered over HTTP,
// the monthly run with its mails, and a closing table.
func demoCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	out := fs.String("out", "out/demo", "directory for the generated inputs, the reports and the screenshots")
	table := fs.String("table", "scorecard-demo", "table to play into (dropped and recreated)")
	senders := fs.Int("senders", 8, "concurrent webhook senders")
	tickets := fs.Int("tickets", 5000, "tickets a month")
	months := fs.Int("months", 3, "consecutive months")
	start := fs.String("start", "2026-08", "first month")
	seed := fs.Int64("seed", 1, "generator seed")
	chromium := fs.String("chromium", "/usr/bin/chromium", "headless browser for the screenshots (none taken if missing)")
	pf := fs.String("policy", "", "policy YAML (default: the shipped policy)")
	historyTickets := fs.Int("history-tickets", 0, "first import the month before --start, this many tickets, from local fakes of the Zendesk, Jira and Freshdesk APIs (0: none)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errcode.Errorf(errcode.Invalid, "no arguments are taken")
	}
	first, err := month.Parse(*start)
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "--start: %v", err)
	}
	pol, err := loadPolicy(*pf)
	if err != nil {
		return err
	}
	dcfg := demo.DefaultConfig()
	dcfg.Seed, dcfg.Start, dcfg.Months, dcfg.TicketsPerMonth, dcfg.TimeZone = *seed, first, *months, *tickets, pol.Location()
	if err := dcfg.Validate(); err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}

	sum, err := playDemo(ctx, e, demoOptions{demo: dcfg, policy: pol, table: *table, out: *out, senders: *senders, chromium: *chromium, historyTickets: *historyTickets})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout)
	sum.Print(e.stdout)
	return nil
}

// demoOptions are a demo's settings.
type demoOptions struct {
	demo     demo.Config
	policy   *policy.Policy
	table    string
	out      string
	senders  int
	chromium string
	// historyTickets, when above 0, imports a month of history first.
	historyTickets int
	logLevel       slog.Level // of the gateway's and the jobs' log on stderr (warnings by default)
}

// playDemo recreates the table, serves the gateway on a simulated clock
// and plays the demo through it.
func playDemo(ctx context.Context, e *env, o demoOptions) (*demorun.Summary, error) {
	ae := awsenv.FromEnv(e.getenv, true)
	ae.Table = o.table
	cfg, err := awsconfig.Load(ctx, ae, e.getenv)
	if err != nil {
		return nil, err
	}
	cfg.Logger = logging.Nop{} // the SDK's notes on connection reuse under load are not the demo's
	var capacity dynamo.Capacity
	db := ae.DynamoDB(cfg, capacity.Option())
	db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(o.table)})
	if err := dynamo.CreateTable(ctx, db, o.table); err != nil {
		return nil, errcode.Wrap(errcode.Unavailable, err, "cannot reach the local DynamoDB at "+ae.DynamoDBEndpoint+"; start it with `make up`")
	}
	store := dynamo.New(db, o.table, dynamo.Options{Location: o.policy.Location(), Retention: o.policy.Retention.RawEvents.D()})

	// The gateway runs the functions' handlers on a simulated clock that
	// the demo moves through the months.
	clock := demorun.NewClock(o.demo.Start.Start(o.policy.Location()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	level := o.logLevel
	if level == 0 {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	sec, err := devSecrets(e.getenv)
	if err != nil {
		return nil, err
	}
	be := &backend{env: ae, policy: o.policy, store: store, db: db}
	mux := newMux(be, sec, log, clock.Now, base)
	// As many more instances of the gateway, each on its own clock, for
	// the customers who answer surveys at once (demorun.InstanceHeader).
	instances := make([]*demorun.Clock, o.senders)
	muxes := make([]*http.ServeMux, o.senders)
	for i := range instances {
		instances[i] = demorun.NewClock(clock.Now())
		muxes[i] = newMux(be, sec, log, instances[i].Now, base)
	}
	gateway := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i, err := strconv.Atoi(r.Header.Get(demorun.InstanceHeader)); err == nil && i >= 0 && i < len(muxes) {
			muxes[i].ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: gateway, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	fmt.Fprintf(e.stdout, "demo: %d months from %s, %d tickets a month, gateway %s, table %s on %s, mail to %s\n",
		o.demo.Months, o.demo.Start, o.demo.TicketsPerMonth, base, o.table, ae.DynamoDBEndpoint, ae.SESEndpoint)
	return demorun.Run(ctx, demorun.Config{
		Demo: o.demo, Policy: o.policy, Store: store,
		Mailer:  ses.New(ses.Client(cfg, ae.SESEndpoint), orDefault(e.getenv("MAIL_FROM"), "scorecard@example.com"), ""),
		Secrets: sec, Gateway: base, Clock: clock, Instances: instances, SES: ae.SESEndpoint, Out: o.out, Senders: o.senders,
		Chromium: o.chromium, Progress: e.stdout, Log: log, Capacity: &capacity, HistoryTickets: o.historyTickets,
	})
}
