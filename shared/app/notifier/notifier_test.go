package notifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/survey"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
)

var (
	t0    = time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)
	rules = notifier.Rules{Delay: time.Hour, QuietPeriod: 7 * 24 * time.Hour, LinkValidity: 28 * 24 * time.Hour, NoSurveyTags: []string{"no-survey"}, Locale: "en"}
)

type life struct {
	id  string
	evs []event.Event
}

func newLife(id, email string) *life {
	l := &life{id: id}
	l.add(0, event.Event{Type: event.Created, AssigneeID: "ag-1", Customer: &event.CustomerInfo{ID: "c-" + id, Email: email, Name: "Ann"}})
	return l
}

func (l *life) add(h float64, e event.Event) *life {
	e.Source, e.TicketID = "generic", l.id
	e.ID = l.id + "-" + string(rune('a'+len(l.evs)))
	e.OccurredAt = t0.Add(time.Duration(h * float64(time.Hour)))
	l.evs = append(l.evs, e)
	return l
}
func (l *life) status(h float64, s event.Status) *life {
	return l.add(h, event.Event{Type: event.StatusChanged, Status: s})
}
func (l *life) state() *ticket.State { s := ticket.Reduce(l.evs); return &s }

func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		l    *life
		now  time.Time
		want bool
	}{
		{"a resolved ticket is surveyed", newLife("T1", "ann@example.com").status(2, event.StatusResolved), t0.Add(3 * time.Hour), true},
		{"an open ticket is not", newLife("T1", "ann@example.com"), t0.Add(3 * time.Hour), false},
		{"a reopened ticket is not, until it is resolved again", newLife("T1", "ann@example.com").status(2, event.StatusResolved).status(3, event.StatusOpen), t0.Add(4 * time.Hour), false},
		{"a no-survey ticket is not", newLife("T1", "ann@example.com").add(1, event.Event{Type: event.TagsChanged, Tags: []string{"no-survey"}, HasTags: true}).status(2, event.StatusResolved), t0.Add(3 * time.Hour), false},
		{"a customer known only by id is, for the vendor's API to give the address", newLife("T1", "").status(2, event.StatusResolved), t0.Add(3 * time.Hour), true},
		{"a ticket without a requester is not", (&life{id: "T1"}).add(0, event.Event{Type: event.Created}).status(2, event.StatusResolved), t0.Add(3 * time.Hour), false},
		{"a resolution older than a week is not", newLife("T1", "ann@example.com").status(2, event.StatusResolved), t0.Add(9 * 24 * time.Hour), false},
		{"an answered resolution is not", newLife("T1", "ann@example.com").status(2, event.StatusResolved).add(2.5, event.Event{Type: event.SurveyAnswered, Rating: 5}), t0.Add(3 * time.Hour), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got := notifier.Decide(rules, tc.l.state(), tc.now)
			if got != tc.want {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecideCreditsTheResolverAndDelays(t *testing.T) {
	l := newLife("T1", "Ann@Example.com").add(1, event.Event{Type: event.Assigned, AssigneeID: "ag-2"}).status(2, event.StatusResolved).add(2.2, event.Event{Type: event.Assigned, AssigneeID: "ag-3"})
	sv, ok := notifier.Decide(rules, l.state(), t0.Add(3*time.Hour))
	if !ok {
		t.Fatal("no survey")
	}
	if sv.EngineerAgentID != "ag-2" || !sv.DueAt.Equal(t0.Add(3*time.Hour)) || !sv.ExpiresAt.Equal(sv.DueAt.Add(28*24*time.Hour)) {
		t.Errorf("survey %+v", sv)
	}
	if sv.CustomerKey != notifier.CustomerKey("zendesk", "other", "ann@example.com") {
		t.Error("the customer key is the lower-cased address, whatever the source")
	}
	again := l.status(30, event.StatusOpen).status(31, event.StatusResolved)
	sv2, _ := notifier.Decide(rules, again.state(), t0.Add(32*time.Hour))
	if sv2.ID == sv.ID || sv2.Resolution != 1 {
		t.Errorf("a re-resolution is another survey: %s vs %s", sv2.ID, sv.ID)
	}
}

// mailer counts mails.
type mailer struct{ to []string }

func (m *mailer) Send(_ context.Context, to []string, mail mail.Mail) (string, error) {
	m.to = append(m.to, to...)
	return "msg", nil
}

func newNotifier(t *testing.T, now time.Time) (*notifier.Notifier, *dynamo.Store, *mailer) {
	db := dynamotest.Client(t)
	store := dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
	m := &mailer{}
	return &notifier.Notifier{Store: store, Mailer: m, Key: []byte("k"), BaseURL: "http://127.0.0.1:8080", Rules: rules,
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, m
}

func TestSurveyRulesOnDynamoDB(t *testing.T) {
	ctx := context.Background()
	noDelay := rules
	noDelay.Delay = 0
	n, store, m := newNotifier(t, t0.Add(3*time.Hour))
	n.Rules = noDelay

	first := newLife("T1", "ann@example.com").status(2, event.StatusResolved)
	for range 2 { // the stream delivers the same image twice
		if err := n.Consider(ctx, first.state()); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.to) != 1 {
		t.Fatalf("%d mails for one resolution delivered twice, want 1", len(m.to))
	}
	// Another ticket of the same customer inside the quiet period: none.
	if err := n.Consider(ctx, newLife("T2", "ANN@example.com").status(2.5, event.StatusResolved).state()); err != nil {
		t.Fatal(err)
	}
	// An opted-out customer: none.
	if err := store.OptOut(ctx, notifier.CustomerKey("generic", "", "bob@example.com"), t0); err != nil {
		t.Fatal(err)
	}
	if err := n.Consider(ctx, newLife("T3", "bob@example.com").status(2, event.StatusResolved).state()); err != nil {
		t.Fatal(err)
	}
	if len(m.to) != 1 {
		t.Fatalf("mails %v: the quiet period and the opt-out must hold", m.to)
	}
	// Reopened and resolved again eight days later: surveyed again.
	later := first.status(3, event.StatusOpen).status(8*24, event.StatusResolved)
	n.Now = func() time.Time { return t0.Add(8*24*time.Hour + time.Hour) }
	if err := n.Consider(ctx, later.state()); err != nil {
		t.Fatal(err)
	}
	if len(m.to) != 2 {
		t.Errorf("mails %v: after the quiet period a re-resolution is surveyed", m.to)
	}
}

// failSurveyPut fails the first put of a survey item, after the
// customer's last-surveyed mark went in.
type failSurveyPut struct {
	*dynamodb.Client
	failed bool
}

func (f *failSurveyPut) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if pk, ok := in.Item["pk"].(*types.AttributeValueMemberS); ok && strings.HasPrefix(pk.Value, "SRV#") && !f.failed {
		f.failed = true
		return nil, errors.New("connection reset")
	}
	return f.Client.PutItem(ctx, in, o...)
}

// A fault between the customer's mark and the survey: the retry (the
// stream's) records and mails the survey once, and the quiet period still
// holds for the customer's other tickets.
func TestASurveyInterruptedIsRecordedOnRetry(t *testing.T) {
	ctx := context.Background()
	db := &failSurveyPut{Client: dynamotest.Client(t)}
	store := dynamo.New(db, dynamotest.Table(t, db.Client), dynamo.Options{})
	m := &mailer{}
	noDelay := rules
	noDelay.Delay = 0
	n := &notifier.Notifier{Store: store, Mailer: m, Key: []byte("k"), BaseURL: "http://127.0.0.1:8080", Rules: noDelay,
		Now: func() time.Time { return t0.Add(3 * time.Hour) }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	st := newLife("T1", "ann@example.com").status(2, event.StatusResolved).state()
	if err := n.Consider(ctx, st); err == nil {
		t.Fatal("the fault was not reported (the stream would not retry)")
	}
	for range 2 {
		if err := n.Consider(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Consider(ctx, newLife("T2", "ann@example.com").status(2.5, event.StatusResolved).state()); err != nil {
		t.Fatal(err)
	}
	if len(m.to) != 1 {
		t.Errorf("%d mails, want T1's alone", len(m.to))
	}
}

func TestDelayedSurveysGoOutInTheSweepOnce(t *testing.T) {
	ctx := context.Background()
	n, _, m := newNotifier(t, t0.Add(2*time.Hour+30*time.Minute))
	if err := n.Consider(ctx, newLife("T1", "ann@example.com").status(2, event.StatusResolved).state()); err != nil {
		t.Fatal(err)
	}
	if sent, _, _ := n.SendDue(ctx); sent != 0 || len(m.to) != 0 {
		t.Fatalf("sent %d before the delay", sent)
	}
	n.Now = func() time.Time { return t0.Add(3*time.Hour + time.Minute) }
	if sent, failed, err := n.SendDue(ctx); sent != 1 || failed != 0 || err != nil {
		t.Fatalf("sweep: %d sent, %d failed, %v", sent, failed, err)
	}
	if sent, _, _ := n.SendDue(ctx); sent != 0 || len(m.to) != 1 {
		t.Errorf("a second sweep sent again: %v", m.to)
	}
}

// markFails is a store whose MarkSurveySent fails: the mail went out but
// could not be recorded.
type markFails struct{ *dynamo.Store }

func (markFails) MarkSurveySent(context.Context, string, string, time.Time) error {
	return errors.New("table unavailable")
}

// A survey whose mail went out but could not be marked sent is not sent
// again by any later sweep, an hour or a day later: at most once.
func TestASentSurveyIsNeverSentTwice(t *testing.T) {
	ctx := context.Background()
	n, store, m := newNotifier(t, t0.Add(2*time.Hour+30*time.Minute))
	if err := n.Consider(ctx, newLife("T1", "ann@example.com").status(2, event.StatusResolved).state()); err != nil {
		t.Fatal(err)
	}
	n.Store = markFails{store}
	n.Now = func() time.Time { return t0.Add(3*time.Hour + time.Minute) }
	if sent, _, err := n.SendDue(ctx); sent != 1 || err != nil {
		t.Fatalf("sweep: %d sent, %v", sent, err)
	}
	n.Store = store
	for _, later := range []time.Duration{time.Hour, 24 * time.Hour} {
		n.Now = func() time.Time { return t0.Add(3*time.Hour + later) }
		if _, _, err := n.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.to) != 1 {
		t.Errorf("%d mails, want 1", len(m.to))
	}
}

func TestStreamHandler(t *testing.T) {
	ctx := context.Background()
	n, store, m := newNotifier(t, t0.Add(3*time.Hour))
	n.Rules.Delay = 0
	l := newLife("T1", "ann@example.com").status(2, event.StatusResolved)
	if _, err := store.Ingest(ctx, l.evs); err != nil {
		t.Fatal(err)
	}
	// Event items' images as the stream carries them (the store's test
	// reads the real ones from DynamoDB Local's stream): T1's resolution
	// twice and a reply, a month index entry, and a resolution of a ticket
	// that cannot be read.
	image := func(seq string, e event.Event) events.DynamoDBEventRecord {
		body, err := json.Marshal(event.ToGeneric(e))
		if err != nil {
			t.Fatal(err)
		}
		return events.DynamoDBEventRecord{EventSource: "aws:dynamodb", Change: events.DynamoDBStreamRecord{SequenceNumber: seq, NewImage: map[string]events.DynamoDBAttributeValue{
			"pk": events.NewStringAttribute("TKT#generic#" + e.TicketID), "sk": events.NewStringAttribute("E#" + e.ID), "b": events.NewBinaryAttribute(body),
		}}}
	}
	resolution := l.evs[len(l.evs)-1]
	reply := event.Event{ID: "T1-reply", Source: "generic", TicketID: "T1", Type: event.Replied, OccurredAt: resolution.OccurredAt, Public: true, Actor: event.Actor{ID: "ag-1", Kind: event.Agent}}
	rec, rec2 := image("1", resolution), image("2", reply)
	other := events.DynamoDBEventRecord{EventSource: "aws:dynamodb", Change: events.DynamoDBStreamRecord{SequenceNumber: "3", NewImage: map[string]events.DynamoDBAttributeValue{
		"pk": events.NewStringAttribute("EVM#2026-10#01"), "sk": events.NewStringAttribute("generic#T1")}}}
	gone := resolution
	gone.TicketID, gone.ID = "T9", "T9-r"
	broken := image("4", gone)
	garbled := image("5", gone)
	garbled.Change.NewImage["b"] = events.NewBinaryAttribute([]byte("not an event"))
	garbled.Change.SequenceNumber = "5"
	loads := 0
	h := &notifier.StreamHandler{Notifier: n, Read: dynamo.EventImage, Load: func(ctx context.Context, source, id string) (ticket.State, error) {
		loads++
		if id == "T9" {
			return ticket.State{}, errors.New("storage unavailable")
		}
		return store.TicketState(ctx, source, id)
	}}
	resp, err := h.Handle(ctx, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec, rec2, rec, other, broken, garbled}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.to) != 1 {
		t.Errorf("%d mails for a ticket's events and a record delivered twice", len(m.to))
	}
	if loads != 2 {
		t.Errorf("%d ticket reads, want 2: T1 once for the batch, T9; none for the reply", loads)
	}
	if _, err := h.Handle(ctx, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}}); err != nil || len(m.to) != 1 {
		t.Errorf("a later batch surveys again: %d mails, %v", len(m.to), err)
	}
	if len(resp.BatchItemFailures) != 2 || resp.BatchItemFailures[0].ItemIdentifier != "4" || resp.BatchItemFailures[1].ItemIdentifier != "5" {
		t.Errorf("only the unreadable ticket's and the garbled record fail: %+v", resp.BatchItemFailures)
	}
	out, err := h.HandleAny(ctx, []byte(`{}`))
	if sw, ok := out.(notifier.Sweep); err != nil || !ok || sw.Sent != 0 {
		t.Errorf("a scheduler payload sweeps: %+v %v", out, err)
	}
}

func TestRulesFromPolicyAndIDs(t *testing.T) {
	if notifier.ID("a", "b", 0) == notifier.ID("a", "b", 1) || len(notifier.ID("a", "b", 0)) != 16 {
		t.Error("ids differ per resolution and are 16 characters")
	}
	if !strings.HasPrefix(notifier.CustomerKey("zendesk", "9", ""), "id:zendesk:") {
		t.Error("without an address the key is the source's customer id")
	}
}

var _ survey.Store = (*dynamo.Store)(nil)

func TestRulesFrom(t *testing.T) {
	r := notifier.RulesFrom(policy.Default())
	if r.Delay != time.Hour || r.QuietPeriod != 7*24*time.Hour || r.LinkValidity != 28*24*time.Hour || r.NoSurveyTags[0] != "no-survey" || r.Locale != "zh-CN" {
		t.Errorf("rules %s %+v", r, r)
	}
}

// A batch of resolutions (a stream batch) reads whether their surveys are
// recorded in one call, and considers each without a read of its own; the
// same batch again records and mails nothing, and writes nothing.
func TestABatchReadsItsSurveysInOneCall(t *testing.T) {
	ctx := context.Background()
	var c dynamo.Capacity
	db := dynamotest.Client(t, c.Option())
	store := dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
	m := &mailer{}
	noDelay := rules
	noDelay.Delay = 0
	n := &notifier.Notifier{Store: store, Mailer: m, Key: []byte("k"), BaseURL: "http://127.0.0.1:8080", Rules: noDelay,
		Now: func() time.Time { return t0.Add(3 * time.Hour) }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var batch []*ticket.State
	for _, id := range []string{"B1", "B2", "B3", "B4", "B5"} {
		batch = append(batch, newLife(id, strings.ToLower(id)+"@example.com").status(2, event.StatusResolved).state())
	}
	surveys := func() (reads, writes int) {
		for _, k := range c.Kinds() {
			if k.Kind == "SRV" {
				return k.Reads, k.Writes
			}
		}
		return 0, 0
	}
	for round, want := range []int{5, 0} {
		reads, writes := surveys()
		if err := n.Prefetch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, st := range batch {
			if err := n.Consider(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		r, w := surveys()
		if len(m.to) != 5 || r-reads != 1 {
			t.Errorf("round %d: %d mails in all, %d reads of surveys; want 5 and 1", round, len(m.to), r-reads)
		}
		if want == 0 && w != writes {
			t.Errorf("round %d: %d writes of surveys for a batch recorded already", round, w-writes)
		}
	}
	// Without a batch read each ticket reads its own.
	reads, _ := surveys()
	for _, st := range batch {
		if err := n.Consider(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if r, _ := surveys(); r-reads != 5 || len(m.to) != 5 {
		t.Errorf("without the batch: %d reads, %d mails; want 5 and 5", r-reads, len(m.to))
	}
}
