package demorun

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/app/history"
	"scorecard/shared/core/imports"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// HistorySummary is the month before the live ones, imported from each
// ticketing system's API on day one.
type HistorySummary struct {
	Month     month.Month
	Imports   map[string]imports.State // by source
	PerSource int                      // tickets each fake served
	Elapsed   time.Duration
	MonthSummary
}

// historyMonth imports the month before the first live one from a local
// fake of each ticketing system's API — tickets made by the fakes'
// generators, their agents those of the organisation's engineers — on the
// day the product starts (the first live month's first hour), then scores
// it: the month is marked from history, its consequences count for the
// live months, and no notice is mailed for it.
func (r *runner) historyMonth(ctx context.Context, m month.Month, perSource int) (HistorySummary, []scoring.Card, error) {
	hs := HistorySummary{Month: m, PerSource: perSource, Imports: map[string]imports.State{}, MonthSummary: MonthSummary{Month: m, Requests: map[string]int{}}}
	t0 := time.Now()
	r.cfg.Clock.Set(m.End(r.loc).Add(time.Hour))
	start := m.Start(r.loc).Add(24 * time.Hour)
	agents := r.org.AgentIDs()
	for _, v := range historyVendors(agents, perSource, start, r.cfg.Demo.Seed) {
		srv := httptest.NewServer(v.fake)
		api, err := vendorapi.New(v.creds(srv.URL))
		if err != nil {
			srv.Close()
			return hs, nil, err
		}
		src, _ := source.Get(v.source)
		im := &history.Importer{
			Store: r.cfg.Store, Source: v.source, Since: m.Start(r.loc), Now: r.cfg.Clock.Now,
			Exporter: src.History(api, v.creds(srv.URL), r.cfg.Policy.SourceFor(v.source), m.Start(r.loc), source.HistoryOptions{}),
			Sleep:    func(context.Context, time.Duration) error { return nil }, // the fakes set no limit here
		}
		st, err := im.Run(ctx)
		srv.Close()
		if err != nil {
			return hs, nil, fmt.Errorf("history import of %s: %w", v.source, err)
		}
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
	r.progress("%s  scored from imported history: %d engineers, %d tickets, %d mails (reports and scorecards; no notices)", m, len(cards), hs.Tickets, hs.MailsSent)
	hs.Elapsed = time.Since(t0)
	return hs, cards, nil
}

// historyVendor is one ticketing system's API fake with its tickets.
type historyVendor struct {
	source string
	fake   http.Handler
	creds  func(url string) vendorapi.Credentials
}

// historyVendors makes perSource tickets for each system's fake, handing
// them round-robin to the engineers who have an id there.
func historyVendors(agents map[string]map[string]string, perSource int, start time.Time, seed int64) []historyVendor {
	ids := func(src string) []string {
		var out []string
		for _, id := range agents[src] {
			if id != "" {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	zd := vendorfake.ZendeskTickets(perSource, start, seed)
	remapZendesk(zd, ids("zendesk"))
	jr := vendorfake.JiraIssues(perSource, start, seed)
	remapJira(jr, ids("jira"))
	fd := vendorfake.FreshdeskTickets(perSource, start, seed)
	remapFreshdesk(fd, ids("freshdesk"))
	return []historyVendor{
		{"zendesk", &vendorfake.ZendeskHistory{Tickets: zd, User: "demo@acme.example/token", Token: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo@acme.example/token", Token: "demo"}
			}},
		{"jira", &vendorfake.JiraHistory{Issues: jr, Cloud: true, User: "demo@acme.example", Token: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo@acme.example", Token: "demo", Edition: "cloud"}
			}},
		{"freshdesk", &vendorfake.FreshdeskHistory{Tickets: fd, APIKey: "demo"},
			func(u string) vendorapi.Credentials {
				return vendorapi.Credentials{BaseURL: u, User: "demo", Token: "X"}
			}},
	}
}

// remapZendesk gives ticket i to agents[i % len]: its agent's audits and
// assignments become that engineer's (the generator's agents are
// 361001–361005).
func remapZendesk(ts []vendorfake.ZendeskTicket, agents []string) {
	if len(agents) == 0 {
		return
	}
	fake := func(id int64) bool { return id >= 361001 && id <= 361005 }
	for i := range ts {
		to, _ := strconv.ParseInt(agents[i%len(agents)], 10, 64)
		for a := range ts[i].Audits {
			au := &ts[i].Audits[a]
			if fake(au.UpdaterID) {
				au.UpdaterID = to
			}
			for c := range au.Changes {
				ch := &au.Changes[c]
				if v, ok := ch.Value.(int64); ok && ch.Field == "assignee_id" && fake(v) {
					ch.Value = to
				}
				if fake(ch.AuthorID) {
					ch.AuthorID = to
				}
			}
		}
	}
}

// remapJira gives issue i to agents[i % len] (Atlassian account ids).
func remapJira(is []vendorfake.JiraIssue, agents []string) {
	if len(agents) == 0 {
		return
	}
	for i := range is {
		id := agents[i%len(agents)]
		to := vendorfake.JiraUser{AccountID: id, AccountType: "atlassian", Key: "JIRAUSER" + strconv.Itoa(50000+i%len(agents)),
			Name: "agent" + strconv.Itoa(i%len(agents)), DisplayName: "Agent " + strings.ToUpper(id[len(id)-4:])}
		swap := func(u *vendorfake.JiraUser) {
			if u != nil && u.AccountType == "atlassian" {
				*u = to
			}
		}
		swap(is[i].Assignee)
		for h := range is[i].History {
			swap(&is[i].History[h].Author)
			for k := range is[i].History[h].Items {
				it := &is[i].History[h].Items[k]
				if it.ToUser != nil {
					u := *it.ToUser
					swap(&u)
					it.ToUser = &u
				}
				if it.FromUser != nil {
					u := *it.FromUser
					swap(&u)
					it.FromUser = &u
				}
			}
		}
		for c := range is[i].Comments {
			swap(&is[i].Comments[c].Author)
		}
	}
}

// remapFreshdesk gives ticket i to agents[i % len] (the generator's agents
// are 9001–9005).
func remapFreshdesk(ts []vendorfake.FreshdeskTicket, agents []string) {
	if len(agents) == 0 {
		return
	}
	fake := func(id int64) bool { return id >= 9001 && id <= 9005 }
	for i := range ts {
		to, _ := strconv.ParseInt(agents[i%len(agents)], 10, 64)
		if fake(ts[i].ResponderID) {
			ts[i].ResponderID = to
		}
		for c := range ts[i].Conversations {
			if fake(ts[i].Conversations[c].UserID) {
				ts[i].Conversations[c].UserID = to
			}
		}
	}
}
