package notifier_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"scorecard/shared/core/mail"
	"scorecard/shared/core/survey"
)

// slowSES sends each mail in delay; every hangEvery-th attempt hangs until
// its context ends, as a stalled connection would, and sends nothing.
type slowSES struct {
	mu        sync.Mutex
	delay     time.Duration
	hangEvery int
	attempts  int
	hangs     int
	sent      map[string]int // address → mails
}

func (s *slowSES) Send(ctx context.Context, to []string, _ mail.Mail) (string, error) {
	s.mu.Lock()
	s.attempts++
	hang := s.hangEvery > 0 && s.attempts%s.hangEvery == 0
	if hang {
		s.hangs++
	}
	s.mu.Unlock()
	if hang {
		<-ctx.Done()
		return "", ctx.Err()
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(s.delay):
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[to[0]]++
	return "msg", nil
}

// TestSweepsToATimeBudget: 500 due surveys, a slow mail service that
// sometimes hangs, and invocations far too short for all of them. Every
// survey is mailed exactly once across consecutive invocations, and none
// is left claimed and unsent.
func TestSweepsToATimeBudget(t *testing.T) {
	const surveys = 500
	ctx := context.Background()
	n, store, _ := newNotifier(t, t0.Add(2*time.Hour))
	ses := &slowSES{delay: 2 * time.Millisecond, hangEvery: 97, sent: map[string]int{}}
	n.Mailer = ses
	n.Margin = 400 * time.Millisecond
	n.Rate = 2000
	for i := range surveys {
		sv := survey.Survey{
			ID: fmt.Sprintf("generic-T%d-1", i), Source: "generic", TicketID: fmt.Sprintf("T%d", i), Resolution: 1,
			ResolvedAt: t0, CustomerKey: fmt.Sprintf("c%d@example.com", i), CustomerEmail: fmt.Sprintf("c%d@example.com", i),
			Locale: "en", DueAt: t0.Add(time.Hour), ExpiresAt: t0.Add(29 * 24 * time.Hour),
		}
		if _, err := store.RecordSurvey(ctx, sv, survey.Recording{QuietSince: t0.Add(-30 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	invocations := 0
	for ; invocations < 100; invocations++ {
		due, err := store.DueSurveys(ctx, n.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		budget, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		_, _, err = n.SendDue(budget)
		cancel()
		if err != nil {
			t.Fatalf("invocation %d: %v", invocations, err)
		}
	}
	if invocations < 2 || ses.hangs == 0 {
		t.Errorf("%d invocations and %d hung sends: the budget was never short", invocations, ses.hangs)
	}
	if len(ses.sent) != surveys {
		t.Errorf("%d of %d surveys mailed after %d invocations", len(ses.sent), surveys, invocations)
	}
	for to, k := range ses.sent {
		if k != 1 {
			t.Errorf("%s got %d mails", to, k)
		}
	}
	t.Logf("%d surveys in %d invocations of 1.5 s, %d sends hung and were retried", surveys, invocations, ses.hangs)
}

// TestSweepsKeepToTheRate: the sweep waits 1/Rate between mails (the SES
// sandbox sends one a second).
func TestSweepsKeepToTheRate(t *testing.T) {
	ctx := context.Background()
	n, store, m := newNotifier(t, t0.Add(2*time.Hour))
	n.Rate = 1
	var waits []time.Duration
	n.Wait = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	for i := range 3 {
		sv := survey.Survey{ID: fmt.Sprintf("generic-R%d-1", i), Source: "generic", TicketID: fmt.Sprintf("R%d", i), Resolution: 1,
			ResolvedAt: t0, CustomerKey: fmt.Sprintf("r%d@example.com", i), CustomerEmail: fmt.Sprintf("r%d@example.com", i),
			Locale: "en", DueAt: t0.Add(time.Hour), ExpiresAt: t0.Add(29 * 24 * time.Hour)}
		if _, err := store.RecordSurvey(ctx, sv, survey.Recording{QuietSince: t0.Add(-30 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if sent, _, err := n.SendDue(ctx); err != nil || sent != 3 || len(m.to) != 3 {
		t.Fatalf("sent %d (%d mails), %v", sent, len(m.to), err)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waits %v, want a second before each mail after the first", waits)
	}
}
