package round_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/round"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

type memStore struct {
	mu   sync.Mutex
	engs []directory.Engineer
	asms map[string]assessment.Assessment
}

func (s *memStore) Engineers(context.Context) ([]directory.Engineer, error) { return s.engs, nil }
func (s *memStore) PutAssessment(_ context.Context, a assessment.Assessment) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.asms[a.ID]; ok {
		return false, nil
	}
	s.asms[a.ID] = a
	return true, nil
}
func (s *memStore) Assessments(_ context.Context, m month.Month) ([]assessment.Assessment, error) {
	var out []assessment.Assessment
	for _, a := range s.asms {
		if a.Month == m {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b assessment.Assessment) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return out, nil
}
func (s *memStore) MarkAssessment(_ context.Context, a assessment.Assessment) error {
	s.asms[a.ID] = a
	return nil
}

type mailer struct{ subjects []string }

func (m *mailer) Send(_ context.Context, to []string, mail mail.Mail) (string, error) {
	m.subjects = append(m.subjects, to[0]+"|"+mail.Subject)
	return "id", nil
}

func setup(now time.Time) (*round.Round, *memStore, *mailer) {
	st := &memStore{asms: map[string]assessment.Assessment{}, engs: []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: "ann@example.com", Team: "north", ManagerEmail: "Lead@example.com", Locale: "en"},
		{ID: "E2", Name: "Bob", Email: "bob@example.com", Team: "north", ManagerEmail: "lead@example.com"},
		{ID: "E3", Name: "Cat", Email: "", Team: "south", ManagerEmail: "south@example.com"},
	}}
	m := &mailer{}
	r := &round.Round{Store: st, Mailer: m, Policy: policy.Default(), Key: []byte("k"), BaseURL: "http://127.0.0.1:8080",
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return r, st, m
}

func TestDayIsTheLastWorkingDay(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		m    string
		want string
	}{{"2026-10", "2026-10-30"}, {"2026-11", "2026-11-30"}, {"2026-05", "2026-05-29"}} {
		m, _ := month.Parse(tc.m)
		if got := round.Day(m, sh).Format("2006-01-02"); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.m, got, tc.want)
		}
	}
}

func TestTickThroughARound(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	oct := month.Month{Year: 2026, Month: time.October}
	ctx := context.Background()
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			panic(err)
		}
		return t
	}
	r, st, m := setup(at("2026-10-29 09:00"))
	if sum, err := r.Tick(ctx); err != nil || sum.Created != 0 || len(m.subjects) != 0 {
		t.Fatalf("before the round's day: %s %v", sum, err)
	}
	r.Now = func() time.Time { return at("2026-10-30 09:00") }
	sum, err := r.Tick(ctx)
	// Self for E1 and E2 (E3 has no address), a lead assessment for each of
	// the two managers (addresses compared without case).
	if err != nil || sum.Created != 4 || sum.Invited != 4 || sum.Month != "2026-10" {
		t.Fatalf("round day: %s %v", sum, err)
	}
	if sum, _ := r.Tick(ctx); sum.Invited != 0 || len(m.subjects) != 4 {
		t.Errorf("a second tick invites again: %s", sum)
	}
	lead := st.asms[assessment.ID(oct, assessment.Lead, "lead@example.com")]
	if diff := cmp.Diff([]assessment.Engineer{{ID: "E1", Name: "Ann"}, {ID: "E2", Name: "Bob"}}, lead.Engineers); diff != "" {
		t.Errorf("the lead assesses their engineers (-want +got):\n%s", diff)
	}
	want := r.Deadline(oct)
	if !lead.Deadline.Equal(want) || want.Format("2006-01-02 15:04") != "2026-11-01 05:00" {
		t.Errorf("deadline %v, want 05:00 on the 1st", lead.Deadline.In(sh))
	}
	// Ann answers; within the last 24 h the others get one reminder.
	self := st.asms[assessment.ID(oct, assessment.Self, "E1")]
	self.Answers = map[string]assessment.Scores{"E1": {Attitude: 90, ProblemSolving: 80, Collaboration: 85}}
	self.SubmittedAt = at("2026-10-30 10:00")
	st.asms[self.ID] = self
	r.Now = func() time.Time { return at("2026-10-31 06:00") }
	sum, err = r.Tick(ctx)
	if err != nil || sum.Reminded != 3 || sum.Submitted != 1 {
		t.Fatalf("reminder window: %s %v", sum, err)
	}
	if sum, _ := r.Tick(ctx); sum.Reminded != 0 {
		t.Errorf("reminded twice: %s", sum)
	}
	// On the 1st before the deadline it is still October's round.
	r.Now = func() time.Time { return at("2026-11-01 04:00") }
	if sum, _ := r.Tick(ctx); sum.Month != "2026-10" {
		t.Errorf("just after the month: %s", sum)
	}
	// After the deadline nothing happens, and starting by hand is refused.
	r.Now = func() time.Time { return at("2026-11-01 06:00") }
	if sum, err := r.Tick(ctx); err != nil || sum.Invited+sum.Reminded+sum.Created != 0 {
		t.Errorf("after the deadline: %s %v", sum, err)
	}
	if _, err := r.Start(ctx, oct); err == nil {
		t.Error("starting a closed round by hand must fail")
	}
	if len(m.subjects) != 7 {
		t.Errorf("%d mails in all, want 4 invitations and 3 reminders", len(m.subjects))
	}
}
