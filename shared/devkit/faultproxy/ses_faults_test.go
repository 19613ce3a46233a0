package faultproxy_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/aws/ses"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/faultproxy"
)

// sesFaults fail three in ten SendEmail calls, before they reach the
// server: a failed call sends nothing.
var sesFaults = faultproxy.Rates{Throttle: 0.10, Error: 0.08, Unavailable: 0.06, Drop: 0.06}

// faultyMailer is the product's mailer on an SES proxy. The SDK does not
// retry: the product's own retry (claim, release, send again) carries every
// fault.
func faultyMailer(t *testing.T, proxy *faultproxy.Proxy) *ses.Mailer {
	t.Helper()
	env := awsenv.Env{SESEndpoint: proxy.URL, Region: "us-east-1"}
	cfg := awsConfig(t, env)
	cfg.Retryer = noRetries
	return ses.New(ses.Client(cfg, env.SESEndpoint), "scorecard@example.com", "")
}

// The monthly mail under SES faults: a run with failed mails says so
// (errcode.Unavailable); run again until it reports every mail sent, each
// manager has one team report per team, each engineer one scorecard, and
// each warning or position adjustment one notice to the engineer and one to
// the manager — none twice.
func TestMonthlyMailUnderSESFaults(t *testing.T) {
	needDynamoDB(t)
	sesURL := needSES(t)
	ctx := context.Background()
	mm := mailMonth(t)
	proxy := faultproxy.Start(t, sesURL, faultproxy.Config{Seed: 50, Rates: sesFaults})
	r := &monthly.Runner{Store: mm.store, Mailer: faultyMailer(t, proxy), Policy: mm.pol, Now: mm.now, Log: discard}
	runs, sent := runUntilMailed(t, r, mm.month, nil)
	want, total := mm.wantMails(t)
	mm.checkOnce(t, sesURL, want)
	if sent != total {
		t.Errorf("runs reported %d mails sent, want %d", sent, total)
	}
	if n, err := mm.store.MailsSent(ctx, mm.month); err != nil || n != total {
		t.Errorf("%d mails marked sent (%v), want %d", n, err, total)
	}
	faults := proxy.Counts()
	if faults.Failed() == 0 {
		t.Error("no fault was injected")
	}
	t.Logf("%d mails to %d recipients (%d notices) in %d run(s), each sent once", total, len(want), mm.notices, runs)
	t.Logf("SES through the proxy: %v", faults)
}

// The monthly mail when a third of the DynamoDB calls that keep track of it
// (claim, mark sent, release) fail and the SDK does not retry them: a mail
// whose claim failed is sent by a later run, and a mail that went out is
// not sent again though marking it sent failed.
func TestMonthlyMailUnderDynamoDBFaults(t *testing.T) {
	endpoint := needDynamoDB(t)
	sesURL := needSES(t)
	mm := mailMonth(t)
	proxy := faultproxy.Start(t, endpoint, faultproxy.Config{Seed: 70, Rates: faultproxy.Rates{Throttle: 0.12, Error: 0.06, Unavailable: 0.06, Drop: 0.06}})
	faulty := dynamo.New(dynamoAt(t, proxy.URL, noRetries), mm.table, dynamo.Options{Location: mm.pol.Location()})
	env := awsenv.Env{SESEndpoint: sesURL, Region: "us-east-1"}
	cfg := awsConfig(t, env)
	through := &mailThrough{Store: mm.store, mail: faulty}
	r := &monthly.Runner{Store: through, Mailer: ses.New(ses.Client(cfg, sesURL), "scorecard@example.com", ""),
		Policy: mm.pol, Now: mm.now, Log: discard}
	// The faults last two runs. A claim that fails leaves the mail's state
	// unknown to the run, which counts it failed even when it went out
	// before: without the SDK's retries, runs would fail for as long as
	// the faults last.
	runs, sent := runUntilMailed(t, r, mm.month, func(run int) {
		if run == 2 {
			proxy.SetRates(faultproxy.Rates{})
		}
	})
	want, total := mm.wantMails(t)
	mm.checkOnce(t, sesURL, want)
	if sent != total {
		t.Errorf("runs reported %d mails sent, want %d", sent, total)
	}
	if through.marks == 0 {
		t.Error("no mark failed: a sent mail whose mark failed is not exercised")
	}
	faults := proxy.Counts()
	t.Logf("%d mails to %d recipients (%d notices) in %d run(s), each sent once; failed: %d claims, %d marks of sent mails, %d releases",
		total, len(want), mm.notices, runs, through.claims, through.marks, through.releases)
	t.Logf("mail bookkeeping in DynamoDB through the proxy: %v", faults)
}

// mailThrough keeps the run's mail claims and marks in another store (a
// faulty one), counting what failed; everything else goes to the embedded
// store. The run mails one at a time.
type mailThrough struct {
	monthly.Store
	mail                    *dynamo.Store
	claims, marks, releases int // failed calls
}

func (s *mailThrough) ClaimMail(ctx context.Context, m month.Month, key string, now time.Time, force bool) error {
	err := s.mail.ClaimMail(ctx, m, key, now, force)
	if err != nil && !errors.Is(err, monthly.ErrMailClaimed) {
		s.claims++
	}
	return err
}

func (s *mailThrough) MarkMailSent(ctx context.Context, m month.Month, key, messageID string, now time.Time) error {
	err := s.mail.MarkMailSent(ctx, m, key, messageID, now)
	if err != nil {
		s.marks++
	}
	return err
}

func (s *mailThrough) ReleaseMail(ctx context.Context, m month.Month, key string) error {
	err := s.mail.ReleaseMail(ctx, m, key)
	if err != nil {
		s.releases++
	}
	return err
}

// mailed is a month ready to be mailed: October of a demo organisation
// whose August and September have run (without mail), so that the weak
// engineers get warnings and position adjustments.
type mailed struct {
	pol     *policy.Policy
	store   *dynamo.Store
	table   string
	dir     []directory.Engineer
	domain  string
	month   month.Month
	now     func() time.Time
	start   time.Time // no mail of the test is older
	notices int
}

func mailMonth(t *testing.T) *mailed {
	t.Helper()
	ctx := context.Background()
	pol := policy.Default()
	// Disputes off: the run mails its notices itself, as every mail under
	// test here (the follow-up's are the same claimed sends).
	pol.Disputes.WindowWorkingDays = 0
	mm := &mailed{pol: pol, domain: testDomain(), month: aug.Add(2), start: time.Now()}
	org, evs := demoMonths(t, pol, 3, 150)
	mm.dir = engineers(org, mm.domain)
	db := dynamotest.Client(t)
	mm.table = dynamotest.Table(t, db)
	mm.store = dynamo.New(db, mm.table, dynamo.Options{Location: pol.Location()})
	if err := mm.store.PutEngineers(ctx, mm.dir); err != nil {
		t.Fatal(err)
	}
	if err := mm.store.Backfill(ctx, byTicket(evs)); err != nil {
		t.Fatal(err)
	}
	at := mm.month.End(pol.Location()).Add(36 * time.Hour)
	mm.now = func() time.Time { return at }
	noMail := false
	for _, m := range []month.Month{aug, aug.Add(1)} {
		r := &monthly.Runner{Store: mm.store, Mailer: noMailer{}, Policy: pol, Now: mm.now, Log: discard}
		if _, err := r.Run(ctx, monthly.Request{Month: m.String(), Mail: &noMail}); err != nil {
			t.Fatal(err)
		}
	}
	return mm
}

// runUntilMailed runs the month until it reports every mail sent, as the
// scheduler (or an operator) would; a run with failed mails must say so.
func runUntilMailed(t *testing.T, r *monthly.Runner, m month.Month, failed func(run int)) (runs, sent int) {
	t.Helper()
	for runs = 1; ; runs++ {
		sum, err := r.Run(context.Background(), monthly.Request{Month: m.String()})
		sent += sum.Sent
		if err == nil {
			return runs, sent
		}
		if errcode.Code(err) != errcode.Unavailable {
			t.Fatalf("run %d: %v (%s), want errcode.Unavailable", runs, err, errcode.Code(err))
		}
		if runs == 20 {
			t.Fatalf("mails still failing after %d runs: %v", runs, sum)
		}
		if failed != nil {
			failed(runs)
		}
	}
}

// wantMails is what the month's stored results call for, by recipient: a
// scorecard to each engineer, a team report to each team's manager, and a
// notice of each warning or position adjustment to the engineer and to the
// manager.
func (mm *mailed) wantMails(t *testing.T) (map[string]int, int) {
	t.Helper()
	cards, err := mm.store.Results(context.Background(), mm.month)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]directory.Engineer{}
	for _, e := range mm.dir {
		byID[e.ID] = e
	}
	want := map[string]int{}
	teams := map[[2]string]bool{}
	mm.notices = 0
	for _, c := range cards {
		e := byID[c.EngineerID]
		want[e.Email]++
		teams[[2]string{e.Team, e.ManagerEmail}] = true
		for _, q := range c.Consequences {
			if q.Kind == consequence.Warning || q.Kind == consequence.PositionAdjustment {
				want[e.Email]++
				want[e.ManagerEmail]++
				mm.notices++
			}
		}
	}
	for k := range teams {
		want[k[1]]++
	}
	if mm.notices == 0 {
		t.Errorf("no warning or position adjustment in %s: the notices are not exercised", mm.month)
	}
	total := 0
	for _, n := range want {
		total += n
	}
	return want, total
}

// checkOnce reads the SES server's store: each recipient got the mails
// wanted, none of them twice.
func (mm *mailed) checkOnce(t *testing.T, sesURL string, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	seen := map[string]bool{}
	for _, m := range mailsTo(t, sesURL, mm.domain, mm.start) {
		to := m.Destination.To[0]
		got[to]++
		if k := to + " | " + m.Subject; seen[k] {
			t.Errorf("sent twice: %s", k)
		} else {
			seen[k] = true
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mails by recipient (-want +got):\n%s", d)
	}
}

// Survey mails under SES faults: a survey whose mail failed stays due, the
// sweep (Notifier.SendDue) sends it again, and every customer gets exactly
// one survey.
func TestSurveyMailsUnderSESFaults(t *testing.T) {
	needDynamoDB(t)
	sesURL := needSES(t)
	ctx := context.Background()
	start, domain := time.Now(), testDomain()
	db := dynamotest.Client(t)
	store := dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
	proxy := faultproxy.Start(t, sesURL, faultproxy.Config{Seed: 60, Rates: sesFaults})
	resolved := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	n := &notifier.Notifier{
		Store: store, Mailer: faultyMailer(t, proxy), Key: secrets.Dev().SigningKey, BaseURL: "http://127.0.0.1:8080",
		Rules: notifier.RulesFrom(policy.Dev()), Now: func() time.Time { return resolved.Add(time.Minute) }, Log: discard,
	}
	const customers = 30
	want := map[string]int{}
	for i := range customers {
		id := fmt.Sprintf("S-%d", i)
		email := fmt.Sprintf("customer-%d@%s", i, domain)
		want[email] = 1
		st := ticket.Reduce([]event.Event{
			{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: resolved.Add(-3 * time.Hour),
				Actor: event.Actor{ID: "c" + id, Kind: event.Customer}, Customer: &event.CustomerInfo{ID: "c" + id, Email: email, Name: "Customer"}},
			{Source: "generic", ID: id + "-a", TicketID: id, Type: event.Assigned, OccurredAt: resolved.Add(-2 * time.Hour), AssigneeID: "ag-1"},
			{Source: "generic", ID: id + "-s", TicketID: id, Type: event.StatusChanged, OccurredAt: resolved, Status: event.StatusResolved,
				Actor: event.Actor{ID: "ag-1", Kind: event.Agent}},
		})
		// Recorded and, being due, sent at once; a failed mail stays due.
		if err := n.Consider(ctx, &st); err != nil {
			t.Fatal(err)
		}
	}
	var sweeps, resent int
	for sweeps = 1; ; sweeps++ {
		sent, failed, err := n.SendDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		resent += sent
		if failed == 0 {
			break
		}
		if sweeps == 20 {
			t.Fatalf("%d surveys still failing after %d sweeps", failed, sweeps)
		}
	}
	if sent, failed, err := n.SendDue(ctx); sent+failed != 0 || err != nil {
		t.Errorf("a sweep after all were sent: %d sent, %d failed, %v", sent, failed, err)
	}
	got := map[string]int{}
	for _, m := range mailsTo(t, sesURL, domain, start) {
		got[m.Destination.To[0]]++
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("survey mails by customer (-want +got):\n%s", d)
	}
	faults := proxy.Counts()
	t.Logf("%d surveys: %d sent at once, %d by %d sweep(s); recipients %d, each mailed once", customers, customers-resent, resent, sweeps, len(slices.Collect(maps.Keys(got))))
	t.Logf("SES through the proxy: %v", faults)
}
