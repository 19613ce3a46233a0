package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/chromedp/chromedp"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/dynamotest"
)

// startServe runs `scorecard serve --local` on a free port with its own
// table, and stops it when the test ends; extra adds to its environment.
func startServe(t *testing.T, extra ...string) (base, table string, logs *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	table = fmt.Sprintf("serve-survey-%d", time.Now().UnixNano())
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint()}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out bytes.Buffer
	errOut := &syncBuffer{}
	go func() {
		done <- run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: errOut, getenv: func(k string) string { return vars[k] }},
			[]string{"serve", "--local", "--addr", addr})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		dynamotest.Client(t).DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table})
	})
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr, table, errOut
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve did not start: %s", errOut.String())
	return "", "", nil
}

// syncBuffer collects a server's log while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var linkRE = regexp.MustCompile(`href="(http://[^"]+/s/[A-Za-z0-9_-]+)"`)

// Resolve a ticket over HTTP with the local stack, find the survey mail in
// the SES server, prefetch every link (nothing is recorded), then answer in
// real headless Chromium: open the rating-4 link, change to 5, say solved,
// submit, see the thank-you page — and find the answer stored and counted
// for the engineer credited at resolution.
func TestSurveyEndToEnd(t *testing.T) {
	base, table, logs := startServe(t)
	ctx := context.Background()
	tag := fmt.Sprint(time.Now().UnixNano())
	customer := "cust-" + tag + "@example.com"
	id := "T-" + tag
	at := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	life := []event.Event{
		{Source: "generic", ID: "c", TicketID: id, Type: event.Created, OccurredAt: at, Actor: event.Actor{ID: "c-1", Kind: event.Customer},
			Customer: &event.CustomerInfo{ID: "c-1", Email: customer, Name: "Ann"}},
		{Source: "generic", ID: "a", TicketID: id, Type: event.Assigned, OccurredAt: at.Add(time.Minute), AssigneeID: "ag-1"},
		{Source: "generic", ID: "r", TicketID: id, Type: event.Replied, OccurredAt: at.Add(20 * time.Minute), Public: true, Actor: event.Actor{ID: "ag-1", Kind: event.Agent}},
		{Source: "generic", ID: "s", TicketID: id, Type: event.StatusChanged, OccurredAt: at.Add(time.Hour), Status: event.StatusResolved},
		// Reassigned after the resolution: the survey still credits ag-1.
		{Source: "generic", ID: "b", TicketID: id, Type: event.Assigned, OccurredAt: at.Add(90 * time.Minute), AssigneeID: "ag-2"},
	}
	for _, e := range life {
		if code, body := post(t, base+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}

	var mails []storedMail
	for i := 0; i < 100 && len(mails) == 0; i++ {
		time.Sleep(200 * time.Millisecond)
		mails = mailsTo(t, customer)
	}
	if len(mails) != 1 {
		t.Fatalf("%d survey mails to the customer, want 1", len(mails))
	}
	var links []string
	for _, m := range linkRE.FindAllStringSubmatch(mails[0].Body.HTML, -1) {
		links = append(links, m[1])
	}
	if len(links) != 6 {
		t.Fatalf("%d links in the mail, want 5 ratings and an unsubscribe link", len(links))
	}

	store := dynamo.New(dynamotest.Client(t), table, dynamo.Options{})
	sid := notifier.ID("generic", id, 0)
	// A mail scanner prefetches every link: nothing may be recorded.
	for _, l := range links {
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", l, resp.StatusCode)
		}
	}
	if sv, err := store.Survey(ctx, sid); err != nil || sv.Answer != nil || sv.EngineerAgentID != "ag-1" {
		t.Fatalf("after prefetching: %+v %v", sv, err)
	}
	// A tampered link reveals nothing.
	resp, err := http.Get(links[3][:len(links[3])-2] + "xx")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("tampered link: %d", resp.StatusCode)
	}

	tab, cancel := chromedp.NewContext(browsertest.Browser(t, 390, 844))
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(links[3]), chromedp.WaitVisible(chromedp.CSS(`form`))); err != nil {
		t.Fatalf("open the rating link: %v", err)
	}
	checked, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('input[name=rating]:checked').value`))
	if err != nil || checked != "4" {
		t.Fatalf("rating %q preselected (%v), want 4", checked, err)
	}
	if err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(`label[for=rating-5]`)),
		chromedp.Click(chromedp.CSS(`label[for=solved-yes]`)),
		chromedp.SendKeys(chromedp.ID("comment"), "Solved on the first reply."),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-page=thanks]`)),
	); err != nil {
		t.Fatalf("answer: %v", err)
	}

	sv, err := store.Survey(ctx, sid)
	if err != nil || sv.Answer == nil || sv.Answer.Rating != 5 || sv.Answer.Solved == nil || !*sv.Answer.Solved {
		t.Fatalf("stored answer: %+v %v", sv.Answer, err)
	}
	st, _, err := store.Ticket(ctx, "generic", id)
	if err != nil || len(st.Answers) != 1 || st.Answers[0].AgentID != "ag-1" || st.Answers[0].Rating != 5 {
		t.Fatalf("the ticket's answers: %+v %v", st.Answers, err)
	}
	// Counted for ag-1 in the month the answer was received.
	p := policy.Default()
	m := month.Of(time.Now(), p.Location())
	cards, _, err := engine.Run(engine.Input{Policy: p, Month: m, AsOf: time.Now(), Tickets: func(yield func(*ticket.State) bool) { yield(&st) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		got := c.Metrics[metric.CSATScore]
		switch c.EngineerID {
		case "ag-1":
			if got.Value == nil || *got.Value != 100 || got.N != 1 {
				t.Errorf("ag-1 csat %+v", got)
			}
		default:
			if got.Value != nil {
				t.Errorf("%s was credited with the answer", c.EngineerID)
			}
		}
	}
	if n := len(mailsTo(t, customer)); n != 1 {
		t.Errorf("%d survey mails in the end, want exactly 1", n)
	}
	// The whole flow logged (stored, sent, answered), never the address.
	if l := logs.String(); !strings.Contains(l, "survey sent") || strings.Contains(l, customer) || strings.Contains(l, "cust-") {
		t.Errorf("the customer's address must never reach the logs:\n%s", l)
	}
}
