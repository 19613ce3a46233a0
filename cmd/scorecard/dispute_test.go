package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/dynamotest"
)

// disputedOctober is Bob's October: six tickets answered in half an hour,
// five resolved in two hours and one five days later (its SLA breached),
// rated 5, 5, 4, 3, 3 and 3 (the breach), all confirmed solved. By the
// policy that is composite 77.69 (grade C, below the standard of 80);
// without the breached ticket in resolution_sla_rate, 80.28 (B).
func disputedOctober(agent string) []event.Event {
	var evs []event.Event
	yes := true
	ratings := []int{5, 5, 4, 3, 3, 3}
	for i, rating := range ratings {
		id := fmt.Sprintf("%s-%d", agent, i)
		at := time.Date(2026, 10, 5+i, 2, 0, 0, 0, time.UTC)
		solve := 2 * time.Hour
		if i == len(ratings)-1 {
			solve = 5 * 24 * time.Hour
		}
		evs = append(evs,
			event.Event{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: at, Priority: event.Normal,
				Actor: event.Actor{ID: "c-" + id, Kind: event.Customer}, Customer: &event.CustomerInfo{ID: "c-" + id, Email: "c-" + id + "@example.com"}},
			event.Event{Source: "generic", ID: id + "-a", TicketID: id, Type: event.Assigned, OccurredAt: at, AssigneeID: agent},
			event.Event{Source: "generic", ID: id + "-r", TicketID: id, Type: event.Replied, OccurredAt: at.Add(30 * time.Minute), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
			event.Event{Source: "generic", ID: id + "-s", TicketID: id, Type: event.StatusChanged, OccurredAt: at.Add(solve), Status: event.StatusResolved},
			event.Event{Source: "generic", ID: id + "-v", TicketID: id, Type: event.SurveyAnswered, OccurredAt: at.Add(solve + time.Hour), Rating: rating, Solved: &yes,
				Actor: event.Actor{ID: "c-" + id, Kind: event.Customer}},
		)
	}
	return evs
}

// points is a metric's points by the policy: 0 at the floor, 100 at the
// target, linear between (mirrored when lower is better).
func points(v, floor, target float64) float64 {
	return math.Max(0, math.Min(100, (v-floor)/(target-floor)*100))
}

// TestDisputeAcceptedAndRejected: Bob, below standard in September, gets
// his October scorecard; his warning waits. In headless Chromium he opens
// his evidence from the mail, sees all six SLA tickets, and disputes the
// breached one; the follow-up mails his lead, who accepts it from that
// mail. The follow-up rescores October: the SLA metric, the composite and
// the consequence move exactly as the policy's arithmetic says, the
// warning is never mailed, the first version stays. A second dispute is
// rejected (from the CLI) and changes nothing. Replayed and forged settle
// links and a lead settling their own dispute are refused.
func TestDisputeAcceptedAndRejected(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	tag := fmt.Sprint(time.Now().UnixNano())
	ann, bob, lead := "ann-d-"+tag+"@example.com", "bob-d-"+tag+"@example.com", "lead-d-"+tag+"@example.com"
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.PutEngineers(ctx, []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: ann, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-good"}},
		{ID: "E2", Name: "Bob", Email: bob, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-bob"}},
	}); err != nil {
		t.Fatal(err)
	}
	// Live since August: October is not history.
	if err := store.MarkSwitchover(ctx, "generic", time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, e := range append(aMonth("ag-good", "ag-nobody"), disputedOctober("ag-bob")...) {
		if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	sep, oct := month.Month{Year: 2026, Month: time.September}, month.Month{Year: 2026, Month: time.October}
	low, no, yes := 60.0, false, true
	if err := store.PutResults(ctx, sep, []scoring.Card{
		{EngineerID: "E1", Month: sep, Composite: ptr(95.0), Grade: "A", MeetsStandard: &yes, Tickets: 10},
		{EngineerID: "E2", Month: sep, Composite: &low, Grade: "D", MeetsStandard: &no, Tickets: 10},
	}); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint(), "BASE_URL": srv.URL}
	cli := func(args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := runWith(&o, &e, func(k string) string { return vars[k] }, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, o.String(), e.String())
		}
		return o.String()
	}
	if out := cli("run-month", "2026-10", "--local", "--out", ""); !strings.Contains(out, "1 notices held") {
		t.Fatalf("run-month: %s", out)
	}
	before, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	if before.Composite == nil || math.Abs(*before.Composite-77.69) > 0.01 || before.Grade != "C" || !hasKind(before, consequence.Warning) {
		t.Fatalf("Bob's October before: %v %s %v", before.Composite, before.Grade, before.Consequences)
	}
	first, _ := store.GetRun(ctx, oct)

	// Bob's scorecard links his evidence; the breached ticket is among six.
	link := linkIn(t, bob, "/e/")
	tab, cancel := chromedp.NewContext(browsertest.Browser(t, 1024, 900))
	defer cancel()
	breached := `[data-metric=resolution_sla_rate] tr.missed`
	if err := chromedp.Do(tab, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-page=evidence]`))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`[document.querySelectorAll('[data-metric=resolution_sla_rate] tbody tr').length, document.querySelectorAll('`+breached+`').length]`))
	if err != nil || rows[0] != 6 || rows[1] != 1 {
		t.Fatalf("SLA rows %v, %v; want 6 with 1 breached", rows, err)
	}
	if err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(breached+` a.dispute`)), chromedp.WaitVisible(chromedp.CSS(`form.dispute`)),
		chromedp.Click(chromedp.CSS(`input[value=duplicate]`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "The customer opened this twice; the other was solved in two hours."),
		chromedp.Click(chromedp.CSS(`form.dispute button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("disputing in Chromium: %v", err)
	}
	if state, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`[data-disputes]`))); err != nil || !strings.Contains(state, "waiting for your lead") {
		t.Fatalf("after the dispute: %q %v", state, err)
	}

	// The follow-up mails the lead, who accepts from the mail.
	if out := cli("disputes", "follow-up", "--local"); !strings.Contains(out, "disputes mailed 1 to leads") {
		t.Fatalf("follow-up: %s", out)
	}
	settle := linkIn(t, lead, "/d/")
	if err := chromedp.Do(tab, chromedp.Navigate(settle), chromedp.WaitVisible(chromedp.CSS(`#settle`)),
		chromedp.Click(chromedp.CSS(`input[value=accept]`)),
		chromedp.SendKeys(chromedp.CSS(`#answer`), "Yes, a duplicate of the one you solved."),
		chromedp.Click(chromedp.CSS(`#settle button`)), chromedp.WaitVisible(chromedp.CSS(`[data-decided]`)),
	); err != nil {
		t.Fatalf("settling in Chromium: %v", err)
	}
	if out := cli("disputes", "follow-up", "--local"); !strings.Contains(out, "rescored [2026-10]") || !strings.Contains(out, "1 to engineers") {
		t.Fatalf("follow-up after the decision: %s", out)
	}

	// The hand computation: the SLA metric 5 of 6 → 5 of 5; its points
	// in problem_resolution (a mean over its scored metrics) and the
	// dimension in the composite (a mean weighted over scored dimensions).
	after, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	slaBefore, slaAfter := before.Metrics[metric.ResolutionSLARate], after.Metrics[metric.ResolutionSLARate]
	if slaBefore.Numerator != 5 || slaBefore.Denominator != 6 || slaAfter.Numerator != 5 || slaAfter.Denominator != 5 {
		t.Errorf("SLA %v/%v → %v/%v, want 5/6 → 5/5", slaBefore.Numerator, slaBefore.Denominator, slaAfter.Numerator, slaAfter.Denominator)
	}
	pBefore, pAfter := points(5.0/6, *slaBefore.Floor, *slaBefore.Target), points(1, *slaAfter.Floor, *slaAfter.Target)
	scored, weights := 0, 0.0
	for _, r := range before.Metrics {
		if r.Dimension == "problem_resolution" && r.Points != nil {
			scored++
		}
	}
	for _, d := range before.Dimensions {
		if d.Score != nil {
			weights += d.Weight
		}
	}
	want := *before.Composite + (pAfter-pBefore)/float64(scored)*before.Dimensions["problem_resolution"].Weight/weights
	if after.Composite == nil || math.Abs(*after.Composite-want) > 0.01 || math.Abs(want-80.28) > 0.01 {
		t.Errorf("composite %v after, want %.2f by hand (80.28)", after.Composite, want)
	}
	if after.Grade != "B" || after.MeetsStandard == nil || !*after.MeetsStandard || hasKind(after, consequence.Warning) {
		t.Errorf("after: grade %s, meets %v, consequences %v; want B, meeting the standard, no warning", after.Grade, after.MeetsStandard, after.Consequences)
	}
	if kept, err := store.ResultVersion(ctx, oct, first.AsOf); err != nil || len(kept) != 2 {
		t.Errorf("the first version: %d cards, %v", len(kept), err)
	}
	if m := mailSubjects(t, bob); !strings.Contains(m, "Your dispute was accepted") || strings.Contains(m, "warning") {
		t.Errorf("Bob's mails: %s", m)
	}

	// Replayed or forged settle links change nothing.
	tok := strings.TrimPrefix(settle, srv.URL+"/d/")
	form := url.Values{"decision": {"reject"}, "answer": {"no"}, "csrf": {httpapi.CSRF(secrets.Dev().SigningKey, tok)}}
	for _, tc := range []struct {
		name, tok string
		status    int
	}{
		{"replayed", tok, http.StatusConflict},
		{"forged", strings.Replace(tok, "A", "B", 1) + "A", http.StatusNotFound},
	} {
		resp, err := http.PostForm(srv.URL+"/d/"+tc.tok, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s settle link: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
	}

	// A second dispute, rejected from the CLI: nothing changes.
	ds, _ := store.Disputes(ctx, oct)
	second := dispute.Dispute{Month: oct, EngineerID: "E2", Metric: metric.CSATSatisfiedRate, Source: "generic", TicketID: "ag-bob-3",
		Reason: dispute.Unreachable, Comment: "rated before I could reach them", OpenedAt: time.Now(), Arbiter: lead, Status: dispute.Open}
	second.ID = dispute.ID(oct, "E2", second.Metric, second.Source, second.TicketID)
	if err := store.OpenDispute(ctx, second, pol.Disputes.PerEngineerMonth); err != nil || len(ds) != 1 {
		t.Fatalf("second dispute: %v (%d before)", err, len(ds))
	}
	var o, e bytes.Buffer
	if code := runWith(&o, &e, func(k string) string { return vars[k] }, "disputes", "settle", "2026-10", "E2", second.ID, "--accept", "--by", bob, "--local"); code == 0 || !strings.Contains(e.String(), "settled by your manager") {
		t.Errorf("Bob settling his own dispute: exit %d %s", code, e.String())
	}
	cli("disputes", "settle", "2026-10", "E2", second.ID, "--reject", "--answer", "They answered the survey; it counts.", "--by", lead, "--local")
	if out := cli("disputes", "follow-up", "--local"); strings.Contains(out, "rescored [2") || !strings.Contains(out, "1 to engineers") {
		t.Fatalf("follow-up after the rejection: %s", out)
	}
	again, _ := store.Card(ctx, oct, "E2")
	if again.Composite == nil || *again.Composite != *after.Composite {
		t.Errorf("a rejected dispute changed the composite: %v → %v", after.Composite, again.Composite)
	}
	if m := mailSubjects(t, bob); !strings.Contains(m, "Your dispute was rejected") {
		t.Errorf("Bob's mails: %s", m)
	}
	if audit := cli("disputes", "audit", "2026-10", "--local"); strings.Count(audit, "dispute ") != 4 {
		t.Errorf("audit trail:\n%s", audit)
	}
}

func hasKind(c scoring.Card, k consequence.Kind) bool {
	for _, q := range c.Consequences {
		if q.Kind == k {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

// linkIn is the last link under segment ("/e/", "/d/") in mail to addr.
func linkIn(t *testing.T, addr, segment string) string {
	t.Helper()
	re := regexp.MustCompile(`href="(http://[^"]+` + segment + `[^"]+)"`)
	var link string
	for _, m := range mailsTo(t, addr) {
		if l := re.FindStringSubmatch(m.Body.HTML); l != nil {
			link = l[1]
		}
	}
	if link == "" {
		t.Fatalf("no %s link in mail to %s", segment, addr)
	}
	return link
}

func mailSubjects(t *testing.T, addr string) string {
	var out []string
	for _, m := range mailsTo(t, addr) {
		out = append(out, m.Subject)
	}
	return strings.Join(out, " | ")
}
