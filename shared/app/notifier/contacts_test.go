package notifier_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/mail"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/vendorapi"
)

// idLife is a resolved ticket of source whose webhooks named the requester
// only by id, as Zendesk's and Jira Cloud's do.
func idLife(source, id, customer string) *life {
	l := &life{id: id}
	l.add(0, event.Event{Type: event.Created, AssigneeID: "ag-1", Customer: &event.CustomerInfo{ID: customer}})
	l.status(2, event.StatusResolved)
	for i := range l.evs {
		l.evs[i].Source = source
	}
	return l
}

// startFake serves the vendors' APIs on loopback and wires the notifier to
// them.
func startFake(t *testing.T, n *notifier.Notifier, fake *vendorfake.Server) {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	creds := map[string]vendorapi.Credentials{}
	for _, s := range []string{"zendesk", "jira", "freshdesk"} {
		creds[s] = fake.Credentials(srv.URL, s)
	}
	lookups, err := notifier.Lookups(creds, fake.Now)
	if err != nil {
		t.Fatal(err)
	}
	n.Contacts = lookups
	n.Cache = n.Store.(notifier.ContactCache)
}

// A requester known only by id is surveyed at the address the vendor's API
// gives, in their language; the address is cached on the customer's item,
// so their next survey asks the API nothing.
func TestAddressesComeFromTheVendorAPI(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(3*time.Hour + time.Minute)
	n, _, m := newNotifier(t, now)
	fake := &vendorfake.Server{User: "agent@example.com/token", Token: "tok", Now: func() time.Time { return now }, People: map[string]map[string]vendorfake.Person{
		"zendesk":   {"3001": {Email: "ann@example.com", Name: "Ann", Locale: "zh-cn"}, "3002": {Name: "Chat only"}},
		"jira":      {"qm:1": {Email: "bob@example.com", Name: "Bob", Locale: "en_US"}},
		"freshdesk": {"77": {Email: "cy@example.com", Name: "Cy"}},
	}}
	startFake(t, n, fake)
	for _, l := range []*life{idLife("zendesk", "Z1", "3001"), idLife("jira", "J1", "qm:1"), idLife("freshdesk", "F1", "77"), idLife("zendesk", "Z2", "3002"), idLife("zendesk", "Z3", "9999")} {
		if err := n.Consider(ctx, l.state()); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"ann@example.com", "bob@example.com", "cy@example.com"}; !equal(m.to, want) {
		t.Fatalf("mails to %v, want %v", m.to, want)
	}
	// Nobody without an address is asked again: their surveys were dropped.
	if sent, failed, err := n.SendDue(ctx); sent != 0 || failed != 0 || err != nil {
		t.Fatalf("sweep: %d sent, %d failed, %v", sent, failed, err)
	}
	// Ann's next ticket, after the quiet period: the cached address.
	asked := fake.Requests()["zendesk 200"]
	later := idLife("zendesk", "Z4", "3001")
	for i := range later.evs {
		later.evs[i].OccurredAt = later.evs[i].OccurredAt.Add(8 * 24 * time.Hour)
	}
	n.Now = func() time.Time { return now.Add(8 * 24 * time.Hour) }
	if err := n.Consider(ctx, later.state()); err != nil {
		t.Fatal(err)
	}
	if len(m.to) != 4 || m.to[3] != "ann@example.com" || fake.Requests()["zendesk 200"] != asked {
		t.Errorf("mails %v, %d lookups after the first %d: the cached address must be used", m.to, fake.Requests()["zendesk 200"], asked)
	}
}

// A vendor that rate-limits or is down leaves the survey due; the next
// sweep after Retry-After sends it: a survey is never lost to the API.
func TestAVendorThatCannotAnswerLeavesTheSurveyDue(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(3*time.Hour + time.Minute)
	n, _, m := newNotifier(t, now)
	fake := &vendorfake.Server{User: "u", Token: "t", Limit: 1, Window: time.Minute, Now: func() time.Time { return now }, People: map[string]map[string]vendorfake.Person{
		"zendesk": {"1": {Email: "a@example.com"}, "2": {Email: "b@example.com"}, "3": {Email: "c@example.com"}},
	}}
	startFake(t, n, fake)
	for i, id := range []string{"1", "2", "3"} {
		l := idLife("zendesk", "Z"+id, id)
		if err := n.Consider(ctx, l.state()); err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	if len(m.to) != 1 {
		t.Fatalf("%d mails inside one rate-limit window, want 1", len(m.to))
	}
	if got := fake.Requests()["zendesk 429"]; got != 1 {
		t.Errorf("%d requests answered 429: after the first the client must wait", got)
	}
	// The window passes; an outage, then the vendor is back.
	now = now.Add(2 * time.Minute)
	fake.Fail = 2
	if sent, failed, err := n.SendDue(ctx); sent != 0 || failed != 2 || err != nil {
		t.Fatalf("during the outage: %d sent, %d failed, %v", sent, failed, err)
	}
	now = now.Add(2 * time.Minute)
	for range 2 {
		if _, _, err := n.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Minute)
	}
	if !equal(slices.Sorted(slices.Values(m.to)), []string{"a@example.com", "b@example.com", "c@example.com"}) {
		t.Errorf("mails %v: every survey goes out once the vendor answers, each once", m.to)
	}
}

// An engineer who opened a ticket in the ticketing system is not surveyed.
func TestEngineersOwnTicketsAreNotSurveyed(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(3*time.Hour + time.Minute)
	n, _, m := newNotifier(t, now)
	startFake(t, n, &vendorfake.Server{User: "u", Token: "t", Now: time.Now, People: map[string]map[string]vendorfake.Person{"jira": {"eng-1": {Email: "eng@corp.example"}, "cust": {Email: "cust@example.com"}}}})
	n.Engineers = &notifier.DirectoryEngineers{TTL: time.Minute, Now: func() time.Time { return now }, Load: func(context.Context) ([]directory.Engineer, error) {
		return []directory.Engineer{{ID: "E1", External: map[string]string{"jira": "eng-1"}}}, nil
	}}
	for _, l := range []*life{idLife("jira", "J1", "eng-1"), idLife("jira", "J2", "cust")} {
		if err := n.Consider(ctx, l.state()); err != nil {
			t.Fatal(err)
		}
	}
	if !equal(m.to, []string{"cust@example.com"}) {
		t.Errorf("mails %v", m.to)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// countingStore counts the claims and the reads of cached addresses the
// notifier makes of the store on DynamoDB Local.
type countingStore struct {
	*dynamo.Store
	claims, cacheReads int
}

func (c *countingStore) ClaimSurvey(ctx context.Context, id string, now time.Time) error {
	c.claims++
	return c.Store.ClaimSurvey(ctx, id, now)
}

func (c *countingStore) CachedContact(ctx context.Context, key string) (vendorapi.Contact, time.Time, bool, error) {
	c.cacheReads++
	return c.Store.CachedContact(ctx, key)
}

// refusingMailer fails every mail to one address.
type refusingMailer struct {
	mailer
	refuse string
}

func (m *refusingMailer) Send(ctx context.Context, to []string, ml mail.Mail) (string, error) {
	if to[0] == m.refuse {
		return "", errors.New("mail service unavailable")
	}
	return m.mailer.Send(ctx, to, ml)
}

// A survey due when it is recorded, with its address at hand (given with
// the ticket, or cached on the customer's item), is recorded claimed and
// mailed with no claim and no read of the customer of its own; one whose
// address must be looked up is claimed after the lookup, as a sweep's.
// A claimed survey whose mail fails is released to the sweep.
func TestASurveyDueNowIsClaimedAsItIsRecorded(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(3*time.Hour + time.Minute)
	n, store, _ := newNotifier(t, now)
	cs := &countingStore{Store: store}
	m := &refusingMailer{refuse: "cy@example.com"}
	n.Store, n.Mailer = cs, m
	fake := &vendorfake.Server{User: "u", Token: "t", Now: func() time.Time { return now }, People: map[string]map[string]vendorfake.Person{
		"zendesk": {"3001": {Email: "ann@example.com", Name: "Ann"}},
	}}
	startFake(t, n, fake)
	lookups := func() int { return fake.Requests()["zendesk 200"] }

	for _, step := range []struct {
		name                    string
		life                    *life
		later                   time.Duration
		mailedTo                string
		claims, reads, lookedUp int
	}{
		{"the address with the ticket", newLife("T1", "bob@example.com").status(2, event.StatusResolved), 0, "bob@example.com", 0, 0, 0},
		{"an address looked up", idLife("zendesk", "Z1", "3001"), 0, "ann@example.com", 1, 0, 1},
		{"the cached address, after the quiet period", idLife("zendesk", "Z2", "3001"), 8 * 24 * time.Hour, "ann@example.com", 1, 0, 1},
		{"a mail that fails", newLife("T3", "cy@example.com").status(2, event.StatusResolved), 0, "", 1, 0, 1},
	} {
		t.Run(step.name, func(t *testing.T) {
			for i := range step.life.evs {
				step.life.evs[i].OccurredAt = step.life.evs[i].OccurredAt.Add(step.later)
			}
			n.Now = func() time.Time { return now.Add(step.later) }
			before := len(m.to)
			if err := n.Consider(ctx, step.life.state()); err != nil {
				t.Fatal(err)
			}
			if got := m.to[before:]; step.mailedTo == "" && len(got) != 0 || step.mailedTo != "" && (len(got) != 1 || got[0] != step.mailedTo) {
				t.Errorf("mailed %v, want %q", got, step.mailedTo)
			}
			if cs.claims != step.claims || cs.cacheReads != step.reads || lookups() != step.lookedUp {
				t.Errorf("claims %d, cached-address reads %d, lookups %d; want %d, %d, %d", cs.claims, cs.cacheReads, lookups(), step.claims, step.reads, step.lookedUp)
			}
		})
	}
	// The failed mail went back to the sweep, which sends it once the
	// mail service is back; nothing else is due.
	m.refuse = ""
	n.Now = func() time.Time { return now.Add(time.Hour) }
	if sent, failed, err := n.SendDue(ctx); sent != 1 || failed != 0 || err != nil || m.to[len(m.to)-1] != "cy@example.com" {
		t.Fatalf("sweep: %d sent, %d failed, %v; mails %v", sent, failed, err, m.to)
	}
	if sent, _, _ := n.SendDue(ctx); sent != 0 {
		t.Errorf("a second sweep sent %d", sent)
	}
}
