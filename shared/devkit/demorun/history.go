package demorun

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"scorecard/shared/app/history"
	"scorecard/shared/core/event"
	"scorecard/shared/core/imports"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/replay"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// HistorySummary is the month before the live ones, imported from each
// ticketing system's API on day one.
type HistorySummary struct {
	Month     month.Month
	Imports   map[string]imports.State // by source
	PerSource map[string]int           // tickets each fake served
	Elapsed   time.Duration
	MonthSummary
}

// historyMonth imports the month before the first live one from a local
// fake of each ticketing system's API, on the day the product starts (the
// first live month's first hour), then scores it: the month is marked from
// history, its consequences count for the live months, and no notice is
// mailed for it. The month is the demo generator's, as for the live ones
// (the same organisation and profiles, tickets many), its tickets shared
// among the three systems and written as each system's API holds them
// (vendorfake.*FromEvents), cut at the switch-over.
func (r *runner) historyMonth(ctx context.Context, m month.Month, tickets int) (HistorySummary, []scoring.Card, error) {
	hs := HistorySummary{Month: m, PerSource: map[string]int{}, Imports: map[string]imports.State{}, MonthSummary: MonthSummary{Month: m, Requests: map[string]int{}}}
	t0 := time.Now()
	now := m.End(r.loc).Add(time.Hour)
	r.cfg.Clock.Set(now)
	cfg := r.cfg.Demo
	cfg.Start, cfg.Months, cfg.TicketsPerMonth = m, 1, tickets
	_, raw := demo.Generate(cfg)
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		return hs, nil, err
	}
	bySource := map[string][]event.Event{}
	seen := map[string]map[string]bool{}
	shares := map[string]float64{"zendesk": 0.45, "jira": 0.3, "freshdesk": 0.25}
	for _, e := range evs {
		if !e.OccurredAt.Before(m.End(r.loc)) {
			continue // after the switch-over: the webhooks' (not played here)
		}
		src := replay.SourceFor(e.TicketID, shares)
		bySource[src] = append(bySource[src], e)
		if seen[src] == nil {
			seen[src] = map[string]bool{}
		}
		seen[src][e.TicketID] = true
	}
	// The three systems are imported at once, as three `scorecard history
	// import` runs (one per source) would be; each keeps its own cursor.
	vendors := historyVendors(bySource, r.org.AgentIDs())
	states := make([]imports.State, len(vendors))
	errs := make([]error, len(vendors))
	var wg sync.WaitGroup
	for i, v := range vendors {
		hs.PerSource[v.source] = len(seen[v.source])
		wg.Add(1)
		go func() {
			defer wg.Done()
			states[i], errs[i] = r.importHistory(ctx, v, m)
		}()
	}
	wg.Wait()
	for i, v := range vendors {
		if errs[i] != nil {
			return hs, nil, fmt.Errorf("history import of %s: %w", v.source, errs[i])
		}
		st := states[i]
		hs.Imports[v.source] = st
		hs.Requests[v.source] = st.Requests
		hs.Events += st.Stored
		r.meter.records.Add(int64(st.Stored))
		r.progress("%s  history: %s", m, history.Progress{State: st})
	}
	hs.IngestTime = time.Since(t0)
	cards, err := r.runMonth(ctx, m, &hs.MonthSummary)
	if err != nil {
		return hs, nil, err
	}
	r.progress("%s  scored from imported history: %d engineers, %d tickets, %d mails (reports and scorecards; no notices); the import and run took %s", m, len(cards), hs.Tickets, hs.MailsSent, time.Since(t0).Round(time.Second))
	hs.Elapsed = time.Since(t0)
	return hs, cards, nil
}

// importHistory imports month m from one system's API fake, as `scorecard
// history import` does.
func (r *runner) importHistory(ctx context.Context, v historyVendor, m month.Month) (imports.State, error) {
	srv := httptest.NewServer(v.fake)
	defer srv.Close()
	api, err := vendorapi.New(v.creds(srv.URL))
	if err != nil {
		return imports.State{}, err
	}
	src, _ := source.Get(v.source)
	im := &history.Importer{
		Store: r.cfg.Store, Source: v.source, Since: m.Start(r.loc), Now: r.cfg.Clock.Now,
		Exporter: src.History(api, v.creds(srv.URL), r.cfg.Policy.SourceFor(v.source), m.Start(r.loc), source.HistoryOptions{}),
		Sleep:    func(context.Context, time.Duration) error { return nil }, // the fakes set no limit here
	}
	return im.Run(ctx)
}

// historyVendor is one ticketing system's API fake with its tickets.
type historyVendor struct {
	source string
	fake   http.Handler
	creds  func(url string) vendorapi.Credentials
}

// historyVendors serves each system's share of the tickets, its agents the
// engineers' ids there.
func historyVendors(bySource map[string][]event.Event, agents map[string]map[string]string) []historyVendor {
	return []historyVendor{
		{"zendesk", &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskFromEvents(bySource["zendesk"], agents["zendesk"]), User: "demo@acme.example/token", Token: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo@acme.example/token", Token: "demo"}
			}},
		{"jira", &vendorfake.JiraHistory{Issues: vendorfake.JiraFromEvents(bySource["jira"], agents["jira"]), Cloud: true, User: "demo@acme.example", Token: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo@acme.example", Token: "demo", Edition: "cloud"}
			}},
		{"freshdesk", &vendorfake.FreshdeskHistory{Tickets: vendorfake.FreshdeskFromEvents(bySource["freshdesk"], agents["freshdesk"]), APIKey: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo", Token: "X"}
			}},
	}
}
