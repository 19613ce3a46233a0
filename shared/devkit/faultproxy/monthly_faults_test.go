package faultproxy_test

import (
	"context"
	"errors"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/report"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/faultproxy"
)

// noMailer fails a run that tries to mail.
type noMailer struct{}

func (noMailer) Send(context.Context, []string, report.Mail) (string, error) {
	return "", errors.New("this run sends no mail")
}

// A fifth of the calls fail, as in the webhook test.
var fifth = faultproxy.Rates{Throttle: 0.06, Error: 0.04, Unavailable: 0.04, Drop: 0.04, Slow: 0.02}

// outageAt starts an outage (every call fails) when the run reaches a
// stage: the run must fail there, whatever it wrote before.
type outageAt struct {
	monthly.Store
	stage string // "tickets", "results", "scored"
	start func()
	once  sync.Once
}

func (s *outageAt) at(stage string) {
	if s.stage == stage {
		s.once.Do(s.start)
	}
}

func (s *outageAt) MonthTickets(ctx context.Context, m month.Month) iter.Seq2[*ticket.State, error] {
	s.at("tickets")
	return s.Store.MonthTickets(ctx, m)
}

func (s *outageAt) PutResults(ctx context.Context, m month.Month, cards []scoring.Card) error {
	s.at("results")
	return s.Store.PutResults(ctx, m, cards)
}

func (s *outageAt) PutRun(ctx context.Context, r monthly.Run) error {
	if r.State == monthly.StateScored {
		s.at("scored")
	}
	return s.Store.PutRun(ctx, r)
}

// The monthly run stores the same results when its DynamoDB calls fail: the
// SDK's standard retryer absorbs most faults; a run that still fails, or
// meets an outage at any stage, fails as errcode.Unavailable and, run again
// as the scheduler would while a fifth of the calls fail, completes with
// the results of a run that saw no fault.
func TestMonthlyRunUnderDynamoDBFaults(t *testing.T) {
	endpoint := needDynamoDB(t)
	ctx := context.Background()
	pol := policy.Default()
	org, evs := demoMonths(t, pol, 1, ticketsPerMonth(t, 150))
	dir := engineers(org, testDomain())
	direct := dynamotest.Client(t)
	now := aug.End(pol.Location()).Add(36 * time.Hour)
	noMail := false
	req := monthly.Request{Month: aug.String(), Mail: &noMail}
	runner := func(st monthly.Store) *monthly.Runner {
		return &monthly.Runner{Store: st, Mailer: noMailer{}, Policy: pol, Now: func() time.Time { return now }, Log: discard}
	}
	// table is a table of its own with the month stored.
	table := func(t *testing.T) string {
		name := dynamotest.Table(t, direct)
		st := dynamo.New(direct, name, dynamo.Options{Location: pol.Location()})
		if err := st.PutEngineers(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if err := st.Backfill(ctx, byTicket(evs)); err != nil {
			t.Fatal(err)
		}
		return name
	}
	// stored reads a table's results and run record without faults.
	stored := func(t *testing.T, table string) ([]scoring.Card, monthly.Run) {
		st := dynamo.New(direct, table, dynamo.Options{Location: pol.Location()})
		cards, err := st.Results(ctx, aug)
		if err != nil {
			t.Fatal(err)
		}
		run, err := st.GetRun(ctx, aug)
		if err != nil {
			t.Fatal(err)
		}
		return cards, run
	}

	cleanTable := table(t)
	clean, err := runner(dynamo.New(direct, cleanTable, dynamo.Options{Location: pol.Location()})).Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	wantCards, wantRun := stored(t, cleanTable)
	if len(wantCards) < len(dir)-1 || wantRun.State != monthly.StateDone {
		t.Fatalf("the clean run scored %d engineers of %d, state %s", len(wantCards), len(dir), wantRun.State)
	}
	t.Logf("%d events, %d tickets scored for %d engineers without faults", len(evs), clean.Tickets, len(wantCards))

	tests := []struct {
		name   string
		outage string // the stage at which every call starts failing; "" for none
	}{
		{"a fifth of the calls fail throughout", ""},
		{"an outage while the tickets are read", "tickets"},
		{"an outage while the results are stored", "results"},
		{"an outage after the results are stored", "scored"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := table(t)
			proxy := faultproxy.Start(t, endpoint, faultproxy.Config{Seed: 30 + uint64(i), Delay: 5 * time.Millisecond, Rates: fifth})
			st := &outageAt{Store: dynamo.New(dynamoAt(t, proxy.URL, dynamoDBRetries), name, dynamo.Options{Location: pol.Location()}),
				stage: tc.outage, start: func() { proxy.SetRates(faultproxy.Rates{Unavailable: 1}) }}
			faulty := runner(st)
			var (
				sum  monthly.Summary
				errs []string
				runs int
			)
			for runs = 1; ; runs++ {
				sum, err = faulty.Run(ctx, req)
				if err == nil {
					break
				}
				if errcode.Code(err) != errcode.Unavailable {
					t.Fatalf("run %d failed with %v (%s), want errcode.Unavailable", runs, err, errcode.Code(err))
				}
				errs = append(errs, err.Error())
				// An outage spends the SDK's retry quota (a token bucket
				// that successes refill slowly), so the runs after it
				// fail at their first fault for a while.
				if runs == 30 {
					t.Fatalf("still failing after %d runs: %v", runs, errs)
				}
				// The outage is over; the faults go on.
				proxy.SetRates(fifth)
			}
			if tc.outage != "" && runs == 1 {
				t.Errorf("the run completed through an outage at %q", tc.outage)
			}
			if d := cmp.Diff(clean, sum); d != "" {
				t.Errorf("the summary differs (-clean +faults):\n%s", d)
			}
			gotCards, gotRun := stored(t, name)
			if d := cmp.Diff(wantCards, gotCards); d != "" {
				t.Errorf("the stored results differ (-clean +faults):\n%s", d)
			}
			if d := cmp.Diff(wantRun, gotRun); d != "" {
				t.Errorf("the run record differs (-clean +faults):\n%s", d)
			}
			if len(errs) > 0 {
				t.Logf("%d run(s); the first failed with: %s", runs, errs[0])
			} else {
				t.Logf("1 run")
			}
			t.Logf("DynamoDB through the proxy: %v", proxy.Counts())
		})
	}
}
