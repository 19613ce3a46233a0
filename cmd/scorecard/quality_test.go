package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/dynamotest"
)

// TestQualityReviewInChromium: after October's run the follow-up draws the
// month's quality review sample and mails the lead their tickets. In
// headless Chromium the lead opens each of Bob's four tickets from that
// mail, reads its timeline and reviews it: the first with a critical
// category failed (the review scores 0), the others at the top of every
// category (100). The next follow-up scores October again: Bob's ticket
// quality is (0 + 3 × 100) / 4 = 75, 71.43 points, and his composite moves
// exactly as the policy's arithmetic says. A reviewed link shows the
// review and takes no other; a forged one is not found.
func TestQualityReviewInChromium(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	tag := fmt.Sprint(time.Now().UnixNano())
	ann, bob, lead := "ann-q-"+tag+"@example.com", "bob-q-"+tag+"@example.com", "lead-q-"+tag+"@example.com"
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.PutEngineers(ctx, []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: ann, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-good"}},
		{ID: "E2", Name: "Bob", Email: bob, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-slow"}},
	}); err != nil {
		t.Fatal(err)
	}
	// Live since August: October is not history, so it is reviewed.
	if err := store.MarkSwitchover(ctx, "generic", time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, e := range aMonth("ag-good", "ag-slow") {
		if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
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
	cli("run-month", "2026-10", "--local", "--out", "")
	oct := month.Month{Year: 2026, Month: time.October}
	before, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	if out := cli("disputes", "follow-up", "--local"); !strings.Contains(out, "rescored []") {
		t.Fatalf("follow-up: %s", out)
	}
	as, err := store.ReviewAssignments(ctx, oct)
	if err != nil || len(as) != 8 {
		t.Fatalf("%d tickets drawn, %v; want 4 of each engineer's 5", len(as), err)
	}
	var html string
	for _, m := range mailsTo(t, lead) {
		if strings.Contains(m.Subject, "Tickets to review") || strings.Contains(m.Subject, "待质检工单") {
			html = m.Body.HTML
		}
	}
	links := regexp.MustCompile(`Bob</td><td[^>]*><a href="([^"]+/q/[^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(links) != 4 {
		t.Fatalf("%d of Bob's tickets in the lead's mail, want 4:\n%s", len(links), html)
	}

	tab, cancel := chromedp.NewContext(browsertest.Browser(t, 1024, 900))
	defer cancel()
	for i, l := range links {
		link := strings.ReplaceAll(l[1], "&amp;", "&")
		if err := chromedp.Do(tab, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#review`))); err != nil {
			t.Fatalf("review %d: %v", i, err)
		}
		timeline, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`[data-timeline]`)))
		if err != nil || !strings.Contains(timeline, "created (priority normal)") || !strings.Contains(timeline, "public reply") || !strings.Contains(timeline, "status: resolved") || !strings.Contains(timeline, "survey: rated 3 of 5") {
			t.Fatalf("timeline %q, %v", timeline, err)
		}
		var acts []chromedp.Action[chromedp.Void]
		for _, c := range []string{"diagnosis", "solution", "communication", "follow_up", "process"} {
			v := "4"
			if i == 0 && c == "solution" {
				v = "0"
			}
			acts = append(acts, chromedp.Click(chromedp.CSS(`input[name=r_`+c+`][value="`+v+`"]`)))
		}
		if i == 0 {
			acts = append(acts, chromedp.SendKeys(chromedp.CSS(`#c_solution`), "Told the customer to reinstall; the fault was the firmware."))
		}
		acts = append(acts, chromedp.Click(chromedp.CSS(`#review button`)), chromedp.WaitVisible(chromedp.CSS(`[data-done]`)))
		if err := chromedp.Do(tab, acts...); err != nil {
			t.Fatalf("submitting review %d: %v", i, err)
		}
		done, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`[data-done]`)))
		want := "Reviewed: 100.0 of 100."
		if i == 0 {
			want = "Reviewed: 0.0 of 100. Failed: Solution correctness."
		}
		if done != want {
			t.Errorf("review %d: %q, want %q", i, done, want)
		}
	}
	// The reviewed link shows the review, with no form to send again.
	first := strings.ReplaceAll(links[0][1], "&amp;", "&")
	if err := chromedp.Do(tab, chromedp.Navigate(first), chromedp.WaitVisible(chromedp.CSS(`[data-done]`))); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('#review').length`)); n != 0 {
		t.Error("a reviewed link still has its form")
	}
	if resp, err := http.Get(first[:len(first)-4] + "AAAA"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("a forged link: %v %v", resp.Status, err)
	}

	if out := cli("disputes", "follow-up", "--local"); !strings.Contains(out, "rescored [2026-10]") {
		t.Fatalf("follow-up after the reviews: %s", out)
	}
	after, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	iqs := after.Metrics[metric.QualityReviewScore]
	if iqs.Value == nil || *iqs.Value != 75 || iqs.N != 4 || math.Abs(*iqs.Points-points(75, 50, 85)) > 0.005 {
		t.Fatalf("Bob's ticket quality %+v; want 75 of 4 tickets, %.2f points", iqs, points(75, 50, 85))
	}
	// By hand: the quality points join problem resolution's scored
	// metrics (a mean), the dimension moves the composite by its weight
	// among the scored dimensions.
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
	pr := before.Dimensions["problem_resolution"]
	prAfter := (*pr.Score*float64(scored) + points(75, 50, 85)) / float64(scored+1)
	want := *before.Composite + (prAfter-*pr.Score)*pr.Weight/weights
	if math.Abs(*after.Dimensions["problem_resolution"].Score-prAfter) > 0.01 || math.Abs(*after.Composite-want) > 0.01 {
		t.Errorf("problem resolution %v, composite %v; want %.2f and %.2f by hand (from %v)", *after.Dimensions["problem_resolution"].Score, *after.Composite, prAfter, want, *before.Composite)
	}

	// Bob sees each reviewed ticket on his evidence page, the failed one
	// first with the failed category and the lead's comment, and disputes
	// that review like any other evidence; his lead accepts, and the
	// review no longer counts: (3 × 100) / 3 = 100.
	link := linkIn(t, bob, "/e/")
	rowSel := `[data-metric=quality_review_score] tbody tr`
	if err := chromedp.Do(tab, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-metric=quality_review_score]`))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll('`+rowSel+`')].map(r => r.innerText)`))
	if err != nil || len(rows) != 4 || !strings.Contains(rows[0], "quality review: 0.0 of 100") || !strings.Contains(rows[0], "failed: Solution correctness") || !strings.Contains(rows[0], "the fault was the firmware") {
		t.Fatalf("Bob's reviewed tickets %q, %v", rows, err)
	}
	if err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(rowSel+`.missed a.dispute`)), chromedp.WaitVisible(chromedp.CSS(`form.dispute`)),
		chromedp.Click(chromedp.CSS(`input[value=other]`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "The firmware fix was the customer's own IT's call; I escalated it."),
		chromedp.Click(chromedp.CSS(`form.dispute button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("disputing the review: %v", err)
	}
	cli("disputes", "follow-up", "--local")
	if err := chromedp.Do(tab, chromedp.Navigate(linkIn(t, lead, "/d/")), chromedp.WaitVisible(chromedp.CSS(`#settle`)),
		chromedp.Click(chromedp.CSS(`input[value=accept]`)),
		chromedp.Click(chromedp.CSS(`#settle button`)), chromedp.WaitVisible(chromedp.CSS(`[data-decided]`)),
	); err != nil {
		t.Fatalf("settling: %v", err)
	}
	if out := cli("disputes", "follow-up", "--local"); !strings.Contains(out, "rescored [2026-10]") {
		t.Fatalf("follow-up after the decision: %s", out)
	}
	settled, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	if q := settled.Metrics[metric.QualityReviewScore]; q.Value == nil || *q.Value != 100 || q.N != 3 {
		t.Errorf("after the dispute: Bob's ticket quality %v of %d tickets, want 100 of 3", q.Value, q.N)
	}
}
