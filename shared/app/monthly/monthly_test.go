package monthly_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/report"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/records"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// memStore keeps everything in maps; the DynamoDB store is tested against
// DynamoDB Local in the CLI's end-to-end tests.
type memStore struct {
	mu           sync.Mutex
	tickets      map[month.Month][]*ticket.State
	engineers    []directory.Engineer
	results      map[month.Month][]scoring.Card
	overrides    map[month.Month]map[string]*consequence.Override
	runs         map[month.Month]monthly.Run
	mails        map[string]string
	records      map[month.Month][]records.Record
	asms         map[month.Month][]assessment.Assessment
	deployed     time.Time
	evidence     map[string][]metric.Contribution // "yyyy-mm engineer" → in order
	chunks       int
	failEvidence error
	exclusions   map[month.Month][]metric.Exclusion
	kept         map[string][]scoring.Card // "yyyy-mm as-of" → the cards a rescore replaced
	disputes     map[month.Month][]dispute.Dispute
	said         map[string]checkin.Said // "day engineer" → the first
	checkInDone  map[string][]byte       // "month day" → the summary
	monthReads   int                     // MonthTickets calls
	reviews      map[month.Month][]quality.Review
	assignments  map[month.Month][]quality.Assignment
	carried      map[month.Month][]ticket.Key
}

func (s *memStore) Reviews(_ context.Context, m month.Month) ([]quality.Review, error) {
	return s.reviews[m], nil
}

func (s *memStore) ReviewAssignments(_ context.Context, m month.Month) ([]quality.Assignment, error) {
	return s.assignments[m], nil
}

func (s *memStore) PutReviewAssignments(_ context.Context, m month.Month, as []quality.Assignment) error {
	if s.assignments == nil {
		s.assignments = map[month.Month][]quality.Assignment{}
	}
	if len(s.assignments[m]) == 0 {
		s.assignments[m] = as
	}
	return nil
}

// Evidence is the engineer's contributions of the month (the memory store
// keeps the last run's only).
func (s *memStore) Evidence(_ context.Context, m month.Month, engineerID string, _ time.Time) ([]metric.Contribution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.evidence[m.String()+" "+engineerID], nil
}

func (s *memStore) MarkCheckInDone(_ context.Context, m month.Month, day string, summary []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checkInDone == nil {
		s.checkInDone = map[string][]byte{}
	}
	if _, ok := s.checkInDone[m.String()+" "+day]; !ok {
		s.checkInDone[m.String()+" "+day] = summary
	}
	return nil
}

func (s *memStore) CheckInDone(_ context.Context, m month.Month, day string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.checkInDone[m.String()+" "+day]
	return b, ok, nil
}

func (s *memStore) PutCheckIns(_ context.Context, said []checkin.Said) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.said == nil {
		s.said = map[string]checkin.Said{}
	}
	for _, x := range said {
		if _, ok := s.said[x.Day+" "+x.EngineerID]; !ok {
			s.said[x.Day+" "+x.EngineerID] = x
		}
	}
	return nil
}

func (s *memStore) KeepResults(_ context.Context, m month.Month, asOf time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kept == nil {
		s.kept = map[string][]scoring.Card{}
	}
	s.kept[m.String()+" "+asOf.Format(time.RFC3339)] = append([]scoring.Card(nil), s.results[m]...)
	return nil
}

func (s *memStore) Exclusions(_ context.Context, m month.Month) ([]metric.Exclusion, error) {
	return s.exclusions[m], nil
}

func (s *memStore) PutEvidence(_ context.Context, m month.Month, _ time.Time, chunks []metric.Chunk) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failEvidence != nil {
		return s.failEvidence
	}
	if s.evidence == nil {
		s.evidence = map[string][]metric.Contribution{}
	}
	for _, c := range chunks {
		s.evidence[m.String()+" "+c.EngineerID] = append(s.evidence[m.String()+" "+c.EngineerID], c.Items...)
		s.chunks++
	}
	return nil
}

func (s *memStore) DeployedAt(context.Context) (time.Time, bool, error) {
	return s.deployed, !s.deployed.IsZero(), nil
}

func (s *memStore) Records(_ context.Context, m month.Month) ([]records.Record, error) {
	return s.records[m], nil
}

func (s *memStore) Assessments(_ context.Context, m month.Month) ([]assessment.Assessment, error) {
	return s.asms[m], nil
}

func newMem() *memStore {
	return &memStore{tickets: map[month.Month][]*ticket.State{}, results: map[month.Month][]scoring.Card{},
		overrides: map[month.Month]map[string]*consequence.Override{}, runs: map[month.Month]monthly.Run{}, mails: map[string]string{},
		records: map[month.Month][]records.Record{}, asms: map[month.Month][]assessment.Assessment{}}
}

func (s *memStore) MonthTickets(_ context.Context, m month.Month) iter.Seq2[*ticket.State, error] {
	s.mu.Lock()
	s.monthReads++
	s.mu.Unlock()
	return func(yield func(*ticket.State, error) bool) {
		for _, t := range s.tickets[m] {
			if !yield(t, nil) {
				return
			}
		}
	}
}
func (s *memStore) CarryOpen(_ context.Context, next month.Month, open []ticket.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.carried == nil {
		s.carried = map[month.Month][]ticket.Key{}
	}
	s.carried[next] = open
	return nil
}
func (s *memStore) Engineers(context.Context) ([]directory.Engineer, error) { return s.engineers, nil }
func (s *memStore) History(_ context.Context, months []month.Month) (map[string][]consequence.Record, error) {
	out := map[string][]consequence.Record{}
	for _, m := range months {
		for _, c := range s.results[m] {
			r := c.Record()
			r.Override = s.overrides[m][c.EngineerID]
			out[c.EngineerID] = append(out[c.EngineerID], r)
		}
	}
	return out, nil
}
func (s *memStore) Overrides(_ context.Context, m month.Month) (map[string]*consequence.Override, error) {
	return s.overrides[m], nil
}
func (s *memStore) PutResults(_ context.Context, m month.Month, cards []scoring.Card) error {
	s.results[m] = slices.Clone(cards)
	return nil
}
func (s *memStore) GetRun(_ context.Context, m month.Month) (monthly.Run, error) {
	r, ok := s.runs[m]
	if !ok {
		return monthly.Run{}, errcode.Errorf(errcode.NotFound, "no run")
	}
	return r, nil
}
func (s *memStore) PutRun(_ context.Context, r monthly.Run) error { s.runs[r.Month] = r; return nil }
func (s *memStore) ClaimMail(_ context.Context, m month.Month, key string, _ time.Time, force bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := m.String() + "/" + key
	if _, ok := s.mails[k]; ok && !force {
		return monthly.ErrMailClaimed
	}
	s.mails[k] = "sending"
	return nil
}
func (s *memStore) MarkMailSent(_ context.Context, m month.Month, key, id string, _ time.Time) error {
	s.mails[m.String()+"/"+key] = id
	return nil
}
func (s *memStore) ReleaseMail(_ context.Context, m month.Month, key string) error {
	delete(s.mails, m.String()+"/"+key)
	return nil
}
func (s *memStore) Disputes(_ context.Context, m month.Month) ([]dispute.Dispute, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.disputes[m]), nil
}
func (s *memStore) MarkDisputeApplied(_ context.Context, d dispute.Dispute) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.disputes[d.Month] {
		if x.ID == d.ID {
			s.disputes[d.Month][i].Applied = true
		}
	}
	return nil
}
func (s *memStore) Results(_ context.Context, m month.Month) ([]scoring.Card, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.results[m]), nil
}
func (s *memStore) MailSent(_ context.Context, m month.Month, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.mails[m.String()+"/"+key]
	return ok && v != "sending", nil
}

// fakeMailer records mails; failAfter > 0 makes the n-th and later sends fail.
type fakeMailer struct {
	sent      []string
	failAfter int
}

func (f *fakeMailer) Send(_ context.Context, to []string, mail report.Mail) (string, error) {
	if f.failAfter > 0 && len(f.sent)+1 >= f.failAfter {
		return "", errcode.Wrap(errcode.Unavailable, errors.New("smtp down"), "mail service unavailable; retry")
	}
	f.sent = append(f.sent, to[0]+" | "+mail.Subject)
	return fmt.Sprint("msg-", len(f.sent)), nil
}

var (
	aug = month.Month{Year: 2026, Month: time.August}
	sep = aug.Add(1)
	oct = aug.Add(2)
)

func engineers() []directory.Engineer {
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: "ann@example.com", Team: "north", ManagerEmail: "lead@example.com", HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "a1"}},
		{ID: "E2", Name: "Bob", Email: "bob@example.com", Team: "north", ManagerEmail: "lead@example.com", HireDate: hire, BaseBonus: 1000, Locale: "zh-CN", External: map[string]string{"generic": "a2"}},
	}
}

// tickets makes n tickets for agent in m: good ones answered in 10 min and
// solved in 2 h, bad ones 5 h and 40 h.
func tickets(loc *time.Location, m month.Month, agent string, n int, good bool) []*ticket.State {
	var out []*ticket.State
	for i := range n {
		created := m.Start(loc).Add(time.Duration(24*(i%20)+2) * time.Hour)
		reply, resolve := 10*time.Minute, 2*time.Hour
		if !good {
			reply, resolve = 5*time.Hour, 40*time.Hour
		}
		id := fmt.Sprintf("%s-%s-%d", m, agent, i)
		s := ticket.Reduce([]event.Event{
			{Source: "generic", ID: id + "c", TicketID: id, Type: event.Created, OccurredAt: created, AssigneeID: agent},
			{Source: "generic", ID: id + "r", TicketID: id, Type: event.Replied, OccurredAt: created.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
			{Source: "generic", ID: id + "s", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(resolve), Status: event.StatusResolved},
		})
		out = append(out, &s)
	}
	return out
}

func setup(t *testing.T) (*memStore, *fakeMailer, *monthly.Runner) {
	p := policy.Default()
	st := newMem()
	st.engineers = engineers()
	for _, m := range []month.Month{aug, sep, oct} {
		st.tickets[m] = append(tickets(p.Location(), m, "a1", 10, true), tickets(p.Location(), m, "a2", 10, false)...)
	}
	ml := &fakeMailer{}
	now := oct.End(p.Location()).Add(time.Hour) // 1 November
	r := &monthly.Runner{Store: st, Mailer: ml, Policy: p, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return st, ml, r
}

func kinds(cs []consequence.Consequence) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind))
	}
	return out
}

func TestThreeMonthsOfConsequencesAndMails(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	wantKinds := [][]string{{"bonus"}, {"warning", "training_plan", "bonus"}, {"position_adjustment", "training_plan", "bonus"}}
	for i, m := range []month.Month{aug, sep, oct} {
		sum, err := r.Run(ctx, monthly.Request{Month: m.String()})
		if err != nil {
			t.Fatal(err)
		}
		var bob scoring.Card
		for _, c := range st.results[m] {
			if c.EngineerID == "E2" {
				bob = c
			}
		}
		if diff := cmp.Diff(wantKinds[i], kinds(bob.Consequences)); diff != "" {
			t.Errorf("%s: E2's consequences (-want +got):\n%s", m, diff)
		}
		// A team report and two scorecards; in months 2 and 3 Bob's notice
		// waits for the dispute window.
		held := 0
		if i > 0 {
			held = 1
		}
		if sum.Sent != 3 || sum.Held != held || sum.Engineers != 2 || sum.Tickets != 20 {
			t.Errorf("%s: %s; want 3 mails and %d held", m, sum, held)
		}
		if st.runs[m].State != monthly.StateDone {
			t.Errorf("%s: run state %q", m, st.runs[m].State)
		}
		// The month was over: its open tickets are carried into the next.
		var open []ticket.Key
		for _, tk := range st.tickets[m] {
			if !tk.Status.Done() {
				open = append(open, ticket.Key{Source: tk.Source, ID: tk.ID})
			}
		}
		if got, ok := st.carried[m.Add(1)]; !ok || len(got) != len(open) {
			t.Errorf("%s: carried %v (%v), want the %d open tickets %v", m, got, ok, len(open), open)
		}
	}
	// The windows closed (the runs were on 1 November: 5 working days), the
	// follow-up mails September's and October's notices to Bob and his
	// manager; again, nothing more.
	later := time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return later }
	for i, want := range []int{4, 0} {
		fu, err := r.FollowUp(ctx)
		if err != nil || fu.Notices != want {
			t.Errorf("follow-up %d: %s, %v; want %d notices", i+1, fu, err, want)
		}
	}
	if len(ml.sent) != 13 {
		t.Errorf("%d mails in all, want 13", len(ml.sent))
	}
}

// A ticket still open when the month's run reads it is carried into the
// next month's index; resolved ones are not.
func TestOpenTicketsAreCarried(t *testing.T) {
	st, _, r := setup(t)
	open := &ticket.State{Source: "generic", ID: "still-open", Status: event.StatusOpen}
	st.tickets[aug] = append(st.tickets[aug], open)
	if _, err := r.Run(context.Background(), monthly.Request{Month: aug.String()}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]ticket.Key{{Source: "generic", ID: "still-open"}}, st.carried[sep]); diff != "" {
		t.Errorf("carried into September (-want +got):\n%s", diff)
	}
}

// TestMonthsFromHistory: deployed on 10 October, with August and September
// imported from the ticketing system's history. Those two months are
// scored and marked so, their consequences count (October is Bob's third
// month below standard: a position adjustment), but no notice is mailed
// for them; October's, which ended after the deployment, is.
func TestMonthsFromHistory(t *testing.T) {
	st, ml, r := setup(t)
	st.deployed = time.Date(2026, 10, 10, 3, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for _, tc := range []struct {
		m           month.Month
		fromHistory bool
		mails       int
		kinds       []string
	}{
		{aug, true, 3, []string{"bonus"}},
		{sep, true, 3, []string{"warning", "training_plan", "bonus"}},
		{oct, false, 3, []string{"position_adjustment", "training_plan", "bonus"}},
	} {
		sum, err := r.Run(ctx, monthly.Request{Month: tc.m.String()})
		if err != nil {
			t.Fatal(err)
		}
		if sum.FromHistory != tc.fromHistory || sum.Sent != tc.mails {
			t.Errorf("%s: %+v; want from history %v and %d mails", tc.m, sum, tc.fromHistory, tc.mails)
		}
		for _, c := range st.results[tc.m] {
			if c.FromHistory != tc.fromHistory {
				t.Errorf("%s: %s's card from history %v", tc.m, c.EngineerID, c.FromHistory)
			}
			if c.EngineerID == "E2" {
				if diff := cmp.Diff(tc.kinds, kinds(c.Consequences)); diff != "" {
					t.Errorf("%s: E2's consequences (-want +got):\n%s", tc.m, diff)
				}
			}
		}
	}
	for _, sent := range ml.sent[:6] {
		if strings.Contains(sent, "Warning") || strings.Contains(sent, "警告") {
			t.Errorf("a notice for a month from history: %s", sent)
		}
	}
	// After the window only October's notice goes, to Bob and his manager.
	r.Now = func() time.Time { return time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC) }
	if fu, err := r.FollowUp(ctx); err != nil || fu.Notices != 2 {
		t.Errorf("follow-up: %s, %v; want October's 2 notices", fu, err)
	}
}

// TestNoticeWaitsForDisputes: Bob's October position adjustment is held
// through the window (5 working days from the run on Sunday 1 November:
// the last is Friday the 6th), then while his dispute is open; the lead
// gets the dispute once; rejected, Bob gets the answer and the notice goes
// (to him and his manager), once; with the dispute still open, the notice
// goes when the settling time is over.
func TestNoticeWaitsForDisputes(t *testing.T) {
	for _, settled := range []bool{true, false} {
		t.Run(map[bool]string{true: "rejected", false: "never settled"}[settled], func(t *testing.T) {
			st, ml, r := setup(t)
			ctx := context.Background()
			clock := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)
			r.Now = func() time.Time { return clock }
			r.Key, r.BaseURL = []byte("k"), "https://scorecard.example.com"
			r.Policy = noQualityReviews(t) // this test is about the notices
			for _, m := range []month.Month{aug, sep, oct} {
				clock = m.End(time.UTC).Add(time.Hour)
				if _, err := r.Run(ctx, monthly.Request{Month: m.String()}); err != nil {
					t.Fatal(err)
				}
				if m == sep { // September's warning goes in October
					clock = time.Date(2026, 10, 20, 1, 0, 0, 0, time.UTC)
					if fu, err := r.FollowUp(ctx); err != nil || fu.Notices != 2 {
						t.Fatalf("September's follow-up: %s, %v", fu, err)
					}
				}
			}
			d := dispute.Dispute{ID: "d1", Month: oct, EngineerID: "E2", Metric: metric.CompletionRate, Source: "generic", TicketID: "x",
				Reason: dispute.NotMine, OpenedAt: clock.Add(time.Hour), Arbiter: "lead@example.com", Status: dispute.Open}
			st.disputes = map[month.Month][]dispute.Dispute{oct: {d}}
			step := func(at time.Time, want monthly.FollowUpSummary) {
				t.Helper()
				clock = at
				got, err := r.FollowUp(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got.Months, got.Rescored = nil, nil
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", at.Format(time.DateTime), diff)
				}
			}
			before := len(ml.sent)
			step(time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC), monthly.FollowUpSummary{Opened: 1})
			step(time.Date(2026, 11, 4, 2, 0, 0, 0, time.UTC), monthly.FollowUpSummary{})
			step(time.Date(2026, 11, 9, 2, 0, 0, 0, time.UTC), monthly.FollowUpSummary{Held: 1})
			if settled {
				st.disputes[oct][0].Status, st.disputes[oct][0].Answer = dispute.Rejected, "it was yours"
				step(time.Date(2026, 11, 9, 3, 0, 0, 0, time.UTC), monthly.FollowUpSummary{Settled: 1, Notices: 2})
			} else {
				step(time.Date(2026, 11, 13, 15, 0, 0, 0, time.UTC), monthly.FollowUpSummary{Held: 1})
				step(time.Date(2026, 11, 13, 16, 0, 0, 0, time.UTC), monthly.FollowUpSummary{Notices: 2}) // Shanghai midnight after the 5 more days
			}
			step(time.Date(2026, 11, 16, 2, 0, 0, 0, time.UTC), monthly.FollowUpSummary{})
			if settled && len(ml.sent)-before != 4 {
				t.Errorf("%d mails, want the lead's, Bob's answer and two notices", len(ml.sent)-before)
			}
		})
	}
}

// TestMailsKeepToTheRate: a second between mails in the SES sandbox.
func TestMailsKeepToTheRate(t *testing.T) {
	_, ml, r := setup(t)
	r.Rate = 1
	var waits []time.Duration
	r.Wait = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	sum, err := r.Run(context.Background(), monthly.Request{Month: aug.String()})
	if err != nil || sum.Sent != 3 || len(ml.sent) != 3 {
		t.Fatalf("%v, %v", sum, err)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waits %v, want a second before each mail after the first", waits)
	}
}

func TestRerunSendsNothingNewAndStoresTheSame(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	if _, err := r.Run(ctx, monthly.Request{Month: "2026-08"}); err != nil {
		t.Fatal(err)
	}
	first := slices.Clone(st.results[aug])
	sent := len(ml.sent)
	// A day later: the as-of time of the first run still holds.
	later := r.Now().Add(24 * time.Hour)
	r.Now = func() time.Time { return later }
	sum, err := r.Run(ctx, monthly.Request{Month: "2026-08"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 0 || sum.Skipped != 3 || len(ml.sent) != sent {
		t.Errorf("rerun: %s", sum)
	}
	if diff := cmp.Diff(first, st.results[aug]); diff != "" {
		t.Errorf("a rerun changed the stored results (-first +rerun):\n%s", diff)
	}
	sum, err = r.Run(ctx, monthly.Request{Month: "2026-08", Force: true})
	if err != nil || sum.Sent != 3 {
		t.Errorf("force: %s %v", sum, err)
	}
}

func TestARunThatDiesMidwayContinues(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	ml.failAfter = 2 // the second mail fails, and every one after it
	sum, err := r.Run(ctx, monthly.Request{Month: "2026-08"})
	if errcode.Code(err) != errcode.Unavailable || sum.Sent != 1 || sum.Failed != 2 {
		t.Fatalf("first attempt: %s %v", sum, err)
	}
	if st.runs[aug].State != monthly.StateScored {
		t.Errorf("state after a failed mail: %q", st.runs[aug].State)
	}
	ml.failAfter = 0
	sum, err = r.Run(ctx, monthly.Request{Month: "2026-08"})
	if err != nil || sum.Sent != 2 || sum.Skipped != 1 {
		t.Fatalf("second attempt: %s %v", sum, err)
	}
	if len(ml.sent) != 3 || st.runs[aug].State != monthly.StateDone {
		t.Errorf("sent %v, state %q", ml.sent, st.runs[aug].State)
	}
}

func TestHandlePayloads(t *testing.T) {
	_, _, r := setup(t)
	ctx := context.Background()
	tests := []struct {
		name, payload, month string
		code                 string
	}{
		{"the scheduler's empty payload runs the previous month", `{}`, "2026-10", ""},
		{"null runs the previous month", `null`, "2026-10", ""},
		{"a named month without mail", `{"month":"2026-09","mail":false}`, "2026-09", ""},
		{"a bad month", `{"month":"Sept"}`, "", errcode.Invalid},
		{"a future month", `{"month":"2027-01"}`, "", errcode.Invalid},
		{"not JSON", `[1,2]`, "", errcode.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := r.Handle(ctx, json.RawMessage(tc.payload))
			if errcode.Code(err) != tc.code || sum.Month != tc.month {
				t.Errorf("got %s, %v", sum, err)
			}
		})
	}
}

func TestOverridesReachConsequences(t *testing.T) {
	st, _, r := setup(t)
	ctx := context.Background()
	if _, err := r.Run(ctx, monthly.Request{Month: "2026-08", Mail: new(bool)}); err != nil {
		t.Fatal(err)
	}
	st.overrides[aug] = map[string]*consequence.Override{"E2": {Grade: "B", Reason: "covered the hotline", By: "lead"}}
	if _, err := r.Run(ctx, monthly.Request{Month: "2026-09", Mail: new(bool)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range st.results[sep] {
		if c.EngineerID == "E2" && slices.Contains(kinds(c.Consequences), "warning") {
			t.Errorf("an override to B in August must break the streak: %v", kinds(c.Consequences))
		}
	}
}

func TestReportsAreWrittenAsFiles(t *testing.T) {
	_, _, r := setup(t)
	files := map[string][]byte{}
	r.Out = func(name string, data []byte) error { files[name] = data; return nil }
	if _, err := r.Run(context.Background(), monthly.Request{Month: "2026-08"}); err != nil {
		t.Fatal(err)
	}
	html, ok := files["2026-08/team-north.html"]
	if !ok {
		t.Fatalf("no team report among %v", keys(files))
	}
	if bytes.Contains(html, []byte("cid:")) {
		t.Error("the file still points at cid: images")
	}
	var pngs, xlsx int
	for name := range files {
		switch filepath.Ext(name) {
		case ".png":
			pngs++
		case ".xlsx":
			xlsx++
		}
	}
	if pngs < 2 || xlsx != 1 || files["2026-08/scorecard-E1.html"] == nil {
		t.Errorf("files: %v", keys(files))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestEvidenceIsEveryTicketBehindTheCards: the run stores every ticket's
// part in every engineer's ticket metrics — summed, exactly the numerator,
// denominator and count on the card — in chunks written as they pile up
// (a buffer of 7 here), not only the worst tickets a card keeps.
func TestEvidenceIsEveryTicketBehindTheCards(t *testing.T) {
	st, _, r := setup(t)
	r.EvidenceBuffer = 7
	if _, err := r.Run(context.Background(), monthly.Request{Month: aug.String(), Mail: new(bool)}); err != nil {
		t.Fatal(err)
	}
	if st.chunks < 4 {
		t.Errorf("%d chunks: the buffer of 7 was not flushed as it filled", st.chunks)
	}
	for _, c := range st.results[aug] {
		type sum struct {
			num, den float64
			n        int
		}
		got := map[metric.ID]*sum{}
		for _, e := range st.evidence[aug.String()+" "+c.EngineerID] {
			s := got[e.Metric]
			if s == nil {
				s = &sum{}
				got[e.Metric] = s
			}
			s.num, s.den, s.n = s.num+e.Num, s.den+e.Den, s.n+1
		}
		for id, m := range c.Metrics {
			s := got[metric.ID(id)]
			if m.N == 0 || metric.ID(id) == metric.CollaborationCases {
				continue
			}
			if s == nil || math.Abs(s.num-m.Numerator) > 1e-4 || math.Abs(s.den-m.Denominator) > 1e-4 || s.n != m.N { // cards keep 4 decimals
				t.Errorf("%s %s: card %v/%v n=%d, evidence %+v", c.EngineerID, id, m.Numerator, m.Denominator, m.N, s)
			}
		}
	}
	// Bob breached the SLA on all ten tickets: every one is in his evidence.
	var breached []string
	for _, e := range st.evidence[aug.String()+" E2"] {
		if e.Metric == metric.ResolutionSLARate && e.Num == 0 {
			breached = append(breached, e.TicketID)
			if e.Hours <= e.Limit {
				t.Errorf("%s: a breach of %v h against a %v h target", e.TicketID, e.Hours, e.Limit)
			}
		}
	}
	if len(breached) != 10 {
		t.Errorf("Bob's breached tickets in the evidence: %v, want all 10", breached)
	}
}

// TestEvidenceThatCannotBeStoredFailsTheRun: no card is stored or mailed
// without its evidence; the run fails so that it is run again.
func TestEvidenceThatCannotBeStoredFailsTheRun(t *testing.T) {
	st, ml, r := setup(t)
	st.failEvidence = errcode.Errorf(errcode.Unavailable, "table unavailable")
	r.EvidenceBuffer = 5
	if _, err := r.Run(context.Background(), monthly.Request{Month: aug.String()}); errcode.Code(err) != errcode.Unavailable {
		t.Fatalf("got %v, want the store's fault", err)
	}
	if len(st.results[aug]) != 0 || len(ml.sent) != 0 {
		t.Errorf("%d cards stored, %d mails sent without their evidence", len(st.results[aug]), len(ml.sent))
	}
}

// TestExclusionsRescoreTheMonth: three of Bob's August tickets taken out of
// his SLA metric (disputes accepted), the month run again: the metric
// counts seven tickets, not ten, none of the three is evidence or among
// the worst, and his other metrics still count all ten.
func TestExclusionsRescoreTheMonth(t *testing.T) {
	st, _, r := setup(t)
	ctx := context.Background()
	if _, err := r.Run(ctx, monthly.Request{Month: aug.String(), Mail: new(bool)}); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range st.evidence[aug.String()+" E2"] {
		if e.Metric == metric.ResolutionSLARate && len(out) < 3 {
			out[e.TicketID] = true
			st.exclusions = map[month.Month][]metric.Exclusion{aug: append(st.exclusions[aug], metric.Exclusion{
				EngineerID: "E2", Metric: metric.ResolutionSLARate, Source: e.Source, TicketID: e.TicketID,
				By: "lead@example.com", Reason: "a duplicate the customer opened twice", At: time.Now()})}
		}
	}
	st.evidence = nil
	if _, err := r.Run(ctx, monthly.Request{Month: aug.String(), Mail: new(bool), Force: true}); err != nil {
		t.Fatal(err)
	}
	var bob scoring.Card
	for _, c := range st.results[aug] {
		if c.EngineerID == "E2" {
			bob = c
		}
	}
	if got := bob.Metrics[metric.ResolutionSLARate]; got.Denominator != 7 || got.Numerator != 0 || got.N != 7 {
		t.Errorf("SLA after the exclusions: %v/%v n=%d, want 0/7", got.Numerator, got.Denominator, got.N)
	} else {
		for _, id := range got.Offending {
			if out[id] {
				t.Errorf("excluded ticket %s still among the worst", id)
			}
		}
	}
	if got := bob.Metrics[metric.FirstResponse1hRate]; got.Denominator != 10 {
		t.Errorf("first response counts %v tickets, want all 10: the exclusions are for the SLA alone", got.Denominator)
	}
	// The first version is kept beside the rescored one.
	if len(st.kept) != 1 {
		t.Fatalf("%d versions kept, want the first run's", len(st.kept))
	}
	for _, cards := range st.kept {
		for _, c := range cards {
			if c.EngineerID == "E2" && c.Metrics[metric.ResolutionSLARate].Denominator != 10 {
				t.Errorf("the kept version's SLA counts %v tickets, want the first run's 10", c.Metrics[metric.ResolutionSLARate].Denominator)
			}
		}
	}
	for _, e := range st.evidence[aug.String()+" E2"] {
		if e.Metric == metric.ResolutionSLARate && out[e.TicketID] {
			t.Errorf("excluded ticket %s is still evidence", e.TicketID)
		}
	}
}
