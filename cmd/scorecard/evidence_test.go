package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/dynamotest"
)

// TestEvidenceFromTheScorecardMail: the month run through the CLI on
// DynamoDB Local mails Bob his scorecard through the SES server; the link
// in it opens, in headless Chromium, his evidence page on the local
// gateway, with every ticket of every metric he missed — as many as his
// card counted, the ones against him marked — not the card's five.
func TestEvidenceFromTheScorecardMail(t *testing.T) {
	srv, store, table, _, slow, lead := octoberOfTwo(t, "4")
	ctx := context.Background()
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint(), "BASE_URL": srv.URL}
	var o, e bytes.Buffer
	if code := runWith(&o, &e, func(k string) string { return vars[k] }, "run-month", "2026-10", "--local", "--out", ""); code != 0 {
		t.Fatalf("run-month: exit %d %s %s", code, o.String(), e.String())
	}
	oct := month.Month{Year: 2026, Month: time.October}
	bob, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	var card *storedMail
	mails := mailsTo(t, slow)
	for i := range mails {
		if strings.Contains(mails[i].Body.HTML, "/e/") {
			card = &mails[i]
		}
	}
	if card == nil {
		t.Fatalf("no mail to Bob links to his evidence (%d mails)", len(mails))
	}
	m := regexp.MustCompile(`href="(http://[^"]+/e/[^"]+)"`).FindStringSubmatch(card.Body.HTML)
	if m == nil || !strings.HasPrefix(m[1], srv.URL+"/e/") || !strings.Contains(card.Body.Text, m[1]) {
		t.Fatalf("the scorecard's evidence link %v (BASE_URL %s)", m, srv.URL)
	}
	tab, cancel := chromedp.NewContext(browsertest.Browser(t, 1024, 900))
	defer cancel()
	type section struct {
		Rows, Missed int
	}
	if err := chromedp.Do(tab, chromedp.Navigate(m[1]), chromedp.WaitVisible(chromedp.CSS(`[data-page=evidence]`))); err != nil {
		t.Fatalf("the evidence page in Chromium: %v", err)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[map[string]section](`Object.fromEntries([...document.querySelectorAll('[data-metric]')].map(s =>
		[s.dataset.metric, {Rows: s.querySelectorAll('tbody tr').length, Missed: s.querySelectorAll('tbody tr.missed').length}]))`))
	if err != nil {
		t.Fatalf("reading the evidence page: %v", err)
	}
	checked := 0
	for id, r := range bob.Metrics {
		if r.Status != "missed" || r.Denominator == 0 || id == metric.CSATScore || id == metric.AvgFirstResponseHours || id == metric.AvgHandleHours {
			continue
		}
		s := got[string(id)]
		if s.Rows != int(r.Denominator) || s.Missed != int(r.Denominator-r.Numerator) {
			t.Errorf("%s: the page shows %d tickets, %d marked; the card counted %v, %v against him", id, s.Rows, s.Missed, r.Denominator, r.Denominator-r.Numerator)
		}
		checked++
	}
	if checked == 0 {
		t.Fatalf("Bob missed no rate metric: %+v", got)
	}

	// The manager's team report links each engineer's page.
	var report *storedMail
	for _, mail := range mailsTo(t, lead) {
		if strings.Contains(mail.Body.HTML, "/e/") {
			report = &mail
		}
	}
	if report == nil {
		t.Fatal("the team report links no evidence")
	}
	links := regexp.MustCompile(`href="(http://[^"]+/e/[^"]+)"`).FindAllStringSubmatch(report.Body.HTML, -1)
	if len(links) != 2 {
		t.Fatalf("%d evidence links in the team report, want one per engineer", len(links))
	}
	var headings []string
	for _, l := range links {
		if err := chromedp.Do(tab, chromedp.Navigate(l[1])); err != nil {
			t.Fatal(err)
		}
		h, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`h1`)))
		if err != nil {
			t.Fatal(err)
		}
		headings = append(headings, h)
	}
	if !strings.Contains(strings.Join(headings, "|"), "Evidence: Ann, October 2026") || !strings.Contains(strings.Join(headings, "|"), "Evidence: Bob, October 2026") {
		t.Errorf("the team report's links open %q", headings)
	}
}

// TestExcludeAndRescore: a ticket of Bob's SLA metric taken out through the
// CLI, the month rescored: the metric counts one ticket fewer; a ticket
// that was not in the metric, or an exclusion without a reason, is refused
// and changes nothing.
func TestExcludeAndRescore(t *testing.T) {
	_, store, table, _, _, _ := octoberOfTwo(t, "5")
	ctx := context.Background()
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": "http://127.0.0.1:1"}
	cli := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runWith(&o, &e, func(k string) string { return vars[k] }, args...)
		return code, o.String(), e.String()
	}
	if code, out, errOut := cli("run-month", "2026-10", "--local", "--no-mail", "--out", ""); code != 0 {
		t.Fatalf("run-month: %d %s %s", code, out, errOut)
	}
	oct := month.Month{Year: 2026, Month: time.October}
	first, err := store.GetRun(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	before, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	sla := before.Metrics[metric.ResolutionSLARate]
	if len(sla.Offending) == 0 {
		t.Fatalf("Bob breached no SLA: %+v", sla)
	}
	ticket := sla.OffendingSources[0] + "/" + sla.Offending[0]
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"exclude", "E2", "2026-10", "--metric", "resolution_sla_rate", "--ticket", "generic/nope", "--reason", "r", "--by", "lead", "--local"}, "is not in E2's resolution_sla_rate"},
		{[]string{"exclude", "E1", "2026-10", "--metric", "resolution_sla_rate", "--ticket", ticket, "--reason", "r", "--by", "lead", "--local"}, "is not in E1's"},
		{[]string{"exclude", "E2", "2026-10", "--metric", "resolution_sla_rate", "--ticket", ticket, "--by", "lead", "--local"}, "--reason and --by are required"},
	} {
		if code, _, errOut := cli(tc.args...); code != 2 || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d %q, want 2 saying %q", tc.args[2:], code, errOut, tc.says)
		}
	}
	if xs, err := store.Exclusions(ctx, oct); err != nil || len(xs) != 0 {
		t.Fatalf("refused exclusions stored: %+v %v", xs, err)
	}
	if code, out, errOut := cli("exclude", "E2", "2026-10", "--metric", "resolution_sla_rate", "--ticket", ticket,
		"--reason", "a duplicate the customer opened twice", "--by", "lead@example.com", "--local"); code != 0 || !strings.Contains(out, "run-month 2026-10 --force") {
		t.Fatalf("exclude: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := cli("run-month", "2026-10", "--local", "--no-mail", "--force", "--out", ""); code != 0 {
		t.Fatalf("rescore: %d %s %s", code, out, errOut)
	}
	after, err := store.Card(ctx, oct, "E2")
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Metrics[metric.ResolutionSLARate]; got.Denominator != sla.Denominator-1 || got.Numerator != sla.Numerator {
		t.Errorf("SLA %v/%v after excluding one of %v/%v", got.Numerator, got.Denominator, sla.Numerator, sla.Denominator)
	}
	// The first run's cards are kept beside, under its as-of time.
	kept, err := store.ResultVersion(ctx, oct, first.AsOf)
	if err != nil || len(kept) != 2 {
		t.Fatalf("kept version: %d cards, %v", len(kept), err)
	}
	for _, c := range kept {
		if c.EngineerID == "E2" && c.Metrics[metric.ResolutionSLARate].Denominator != sla.Denominator {
			t.Errorf("the kept card counts %v SLA tickets, want the first run's %v", c.Metrics[metric.ResolutionSLARate].Denominator, sla.Denominator)
		}
	}
}
