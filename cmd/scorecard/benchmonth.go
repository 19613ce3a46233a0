package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime/metrics"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/logging"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/report"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// nullMailer sends nothing: the benchmark measures the run, not SES.
type nullMailer struct{}

func (nullMailer) Send(context.Context, []string, report.Mail) (string, error) { return "", nil }

// benchMonth loads a month of synthetic tickets into the local DynamoDB
// (bulk, through Backfill) and times the monthly run over it.
func benchMonth(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench-month", flag.ContinueOnError)
	nTickets := fs.Int("tickets", 100_000, "tickets in the month")
	nEngineers := fs.Int("engineers", 10_000, "engineers")
	table := fs.String("table", "scorecard-bench", "table to use (dropped and recreated)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *nTickets < 1 || *nEngineers < 1 {
		return errcode.Errorf(errcode.Invalid, "usage: scorecard bench-month [--tickets N] [--engineers N]")
	}
	ae := awsenv.FromEnv(e.getenv, true)
	cfg, err := awsconfig.Load(ctx, ae, e.getenv)
	if err != nil {
		return err
	}
	cfg.Logger = logging.Nop{} // the SDK's notes on connection reuse under load are not the measurement's
	var capacity dynamo.Capacity
	client := ae.DynamoDB(cfg, capacity.Option())
	client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(*table)})
	if err := dynamo.CreateTable(ctx, client, *table); err != nil {
		return errcode.Wrap(errcode.Unavailable, err, "cannot reach the local DynamoDB; start it with `make up`")
	}
	defer client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(*table)})
	pol := policy.Default()
	store := dynamo.New(client, *table, dynamo.Options{Location: pol.Location(), Parallel: 8})
	m := month.Month{Year: 2026, Month: time.October}

	engs := make([]directory.Engineer, *nEngineers)
	for i := range engs {
		id := fmt.Sprintf("E%05d", i)
		engs[i] = directory.Engineer{ID: id, Name: id, Email: id + "@example.com", Team: fmt.Sprintf("team-%03d", i/25),
			ManagerEmail: fmt.Sprintf("lead-%03d@example.com", i/25), BaseBonus: 1000, External: map[string]string{"generic": fmt.Sprintf("a%d", i)}}
	}
	start := time.Now()
	if err := store.PutEngineers(ctx, engs); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	loc := pol.Location()
	span := m.End(loc).Sub(m.Start(loc)) - 96*time.Hour
	var batch [][]event.Event
	for i := range *nTickets {
		batch = append(batch, syntheticTicket(r, m.Start(loc), span, i, *nEngineers))
		if len(batch) == 2000 || i == *nTickets-1 {
			if err := store.Backfill(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	loaded := time.Since(start)
	fmt.Fprintf(e.stdout, "bench-month: %d tickets, %d engineers loaded into %s in %s\n", *nTickets, *nEngineers, *table, loaded.Round(time.Second))

	read0, write0, calls0 := capacity.Read(), capacity.Write(), capacity.Calls()
	runner := &monthly.Runner{Store: store, Mailer: nullMailer{}, Policy: pol, Now: func() time.Time { return m.End(loc).Add(time.Hour) },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var sum monthly.Summary
	noMail := false
	took, peak := measure(func() { sum, err = runner.Run(ctx, monthly.Request{Month: m.String(), Mail: &noMail}) })
	if err != nil {
		return err
	}
	units := capacity.Read() - read0
	fmt.Fprintf(e.stdout, "  monthly run   %s for %d tickets, %d engineers (%.1f µs/ticket)\n", took.Round(time.Millisecond), sum.Tickets, sum.Engineers, float64(took.Microseconds())/float64(max(1, sum.Tickets)))
	fmt.Fprintf(e.stdout, "  peak heap     %.0f MB live (Go runtime)\n", float64(peak)/(1<<20))
	fmt.Fprintf(e.stdout, "  reads         %.0f read units in %d calls: %.3f per ticket\n", units, capacity.Calls()-calls0, units/float64(max(1, sum.Tickets)))
	fmt.Fprintf(e.stdout, "  writes        %.0f write units (results, evidence, the open tickets carried over)\n", capacity.Write()-write0)
	return nil
}

// syntheticTicket is a plausible ticket: created, assigned, answered,
// sometimes pending, a colleague's note, resolved; a survey on a third.
func syntheticTicket(r *rand.Rand, start time.Time, span time.Duration, i, engineers int) []event.Event {
	agent := fmt.Sprintf("a%d", i%engineers)
	other := fmt.Sprintf("a%d", (i+1)%engineers)
	created := start.Add(time.Duration(r.Int64N(int64(span))))
	id := fmt.Sprintf("T%07d", i)
	reply := time.Duration(r.ExpFloat64() * float64(40*time.Minute))
	resolve := reply + time.Duration(r.ExpFloat64()*float64(10*time.Hour))
	evs := []event.Event{
		{Source: "generic", ID: "c", TicketID: id, Type: event.Created, OccurredAt: created, Priority: event.Priorities[i%4], AssigneeID: agent},
		{Source: "generic", ID: "r", TicketID: id, Type: event.Replied, OccurredAt: created.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
		{Source: "generic", ID: "p", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(reply + time.Minute), Status: event.StatusPending},
		{Source: "generic", ID: "o", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(reply + time.Hour), Status: event.StatusOpen},
		{Source: "generic", ID: "n", TicketID: id, Type: event.Note, OccurredAt: created.Add(reply + 2*time.Hour), Actor: event.Actor{ID: other, Kind: event.Agent}},
		{Source: "generic", ID: "s", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(resolve + time.Hour), Status: event.StatusResolved},
	}
	if i%3 == 0 {
		evs = append(evs, event.Event{Source: "generic", ID: "a", TicketID: id, Type: event.SurveyAnswered, OccurredAt: created.Add(resolve + 5*time.Hour), Rating: 1 + r.IntN(5)})
	}
	return evs
}

// measure times fn and samples the live heap while it runs.
func measure(fn func()) (time.Duration, uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	fn()
	took := time.Since(start)
	close(done)
	return took, peak.Load()
}
