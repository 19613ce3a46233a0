package history_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"scorecard/shared/app/history"
	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// BenchmarkImport imports 1 000 generated tickets of each vendor from a
// local fake of its API into DynamoDB Local, through the importer and the
// store's Ingest, as `scorecard history import` does. Reported:
// events-stored/s, and requests/1000-tickets — the figure that, with the
// vendor's rate limit, decides how long a real import takes.
func BenchmarkImport(b *testing.B) {
	const tickets = 1000
	start := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	since := start.Add(-24 * time.Hour)
	for _, v := range []struct {
		name, source string
		fake         http.Handler
		creds        func(url string) vendorapi.Credentials
	}{
		{"zendesk", "zendesk", &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(tickets, start, 1), User: "a@acme.com/token", Token: "t"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "a@acme.com/token", Token: "t"}
			}},
		{"jira-cloud", "jira", &vendorfake.JiraHistory{Issues: vendorfake.JiraIssues(tickets, start, 1), Cloud: true, User: "a@acme.com", Token: "t"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "a@acme.com", Token: "t", Edition: "cloud"}
			}},
		{"jira-datacenter", "jira", &vendorfake.JiraHistory{Issues: vendorfake.JiraIssues(tickets, start, 1), Token: "t"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, Token: "t", Edition: "datacenter"}
			}},
		{"freshdesk", "freshdesk", &vendorfake.FreshdeskHistory{Tickets: vendorfake.FreshdeskTickets(tickets, start, 1), APIKey: "k"},
			func(u string) vendorapi.Credentials { return vendorapi.Credentials{BaseURL: u, User: "k", Token: "X"} }},
	} {
		b.Run(v.name, func(b *testing.B) {
			srv := httptest.NewServer(v.fake)
			defer srv.Close()
			src, _ := source.Get(v.source)
			var stored, requests int
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				st := newStore(b)
				creds := v.creds(srv.URL)
				api, err := vendorapi.New(creds)
				if err != nil {
					b.Fatal(err)
				}
				im := &history.Importer{
					Store: st, Source: v.source, Since: since,
					Exporter: src.History(api, creds, policy.Default().SourceFor(v.source), since, source.HistoryOptions{}),
					Now:      func() time.Time { return start.Add(60 * 24 * time.Hour) },
				}
				b.StartTimer()
				t0 := time.Now()
				got, err := im.Run(context.Background())
				elapsed += time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				stored += got.Stored
				requests += got.Requests
			}
			b.ReportMetric(float64(stored)/elapsed.Seconds(), "events-stored/s")
			b.ReportMetric(float64(requests)/float64(b.N)/tickets*1000, "requests/1000-tickets")
		})
	}
}
