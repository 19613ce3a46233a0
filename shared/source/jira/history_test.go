package jira

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/vendorapi"
)

func histFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHistoryCaptures(t *testing.T) {
	t.Run("a real Cloud search page with the changelog embedded", func(t *testing.T) {
		evs, err := HistoryEvents(histFile(t, "history/cloud2015_search_v2_changelog.json"), policy.Source{})
		if err != nil {
			t.Fatal(err)
		}
		byTicket := map[string][]event.Event{}
		for _, e := range evs {
			if e.Source != Source || !e.Imported || !strings.HasPrefix(e.ID, "hist:jira:") {
				t.Fatalf("event %+v: want source jira, imported, a hist: id", e)
			}
			byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
		}
		if len(byTicket) != 25 {
			t.Fatalf("%d tickets, want the page's 25", len(byTicket))
		}
		// UT-26 (10125): Backlog → Dev Active → … four status histories.
		st := ticket.Reduce(byTicket["10125"])
		if st.CreatedAt.IsZero() || len(st.Statuses) == 0 || st.Customer == nil || st.Customer.ID != "admin" {
			t.Errorf("UT-26 state %+v", st)
		}
		if got := byTicket["10125"][0]; got.Type != event.Created || got.Status != event.StatusOpen {
			t.Errorf("UT-26 created = %+v, want the initial status Backlog (open)", got)
		}
	})
	t.Run("Atlassian's search example: fields.comment is an array there, an error naming it", func(t *testing.T) {
		_, err := HistoryEvents(histFile(t, "history/cloud_search_v3_spec.json"), policy.Source{})
		if err == nil || !strings.Contains(err.Error(), "fields.comment") || errcode.Code(err) != errcode.Invalid {
			t.Fatalf("err = %v, want an Invalid error naming fields.comment", err)
		}
	})
	t.Run("Atlassian's changelog page example", func(t *testing.T) {
		cp, err := decodeChangelogPage(histFile(t, "history/cloud_changelog_page_spec.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(cp.Values) != 2 || cp.Total != 5 || cp.IsLast == nil || *cp.IsLast || cp.Values[0].ID != "10001" || len(cp.Values[1].Items) != 1 {
			t.Fatalf("page %+v", cp)
		}
		// Its items name the field "fields": ignored, as a webhook's would be.
		is := histIssue{ID: "1", id: "1", Fields: &histFields{Created: "2021-01-17T12:34:00.000+0000"}, Changelog: &histChangelog{Total: 5, Histories: cp.Values}}
		cp.Values[0].Created = "2021-01-18T00:00:00.000+0000" // the example's 1970 times are outside the model's range
		cp.Values[1].Created = "2021-01-18T00:00:01.000+0000"
		evs, err := (&reader{}).issueEvents(&is, "issues[0]")
		if err != nil || len(evs) != 1 || evs[0].Type != event.Created {
			t.Fatalf("events %+v, %v: want only created", evs, err)
		}
	})
	t.Run("Atlassian's comments page example", func(t *testing.T) {
		cp, err := decodeCommentPage(histFile(t, "history/cloud_comments_page_spec.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(cp.Comments) != 1 || cp.Total != 1 || cp.Comments[0].Author.AccountID != "5b10a2844c20165700ede21g" || cp.Comments[0].JsdPublic != nil {
			t.Fatalf("page %+v", cp)
		}
		is := histIssue{ID: "10010", id: "10010", Fields: &histFields{Created: "2021-01-17T12:00:00.000+0000"}}
		is.Fields.Comment = &struct {
			Comments []histComment `json:"comments"`
			Total    int           `json:"total"`
		}{cp.Comments, 1}
		evs, err := (&reader{}).issueEvents(&is, "issues[0]")
		if err != nil || len(evs) != 2 {
			t.Fatalf("events %+v, %v", evs, err)
		}
		// No accountType, no jsdPublic: a public reply by a person, as the webhook adapter reads it.
		if c := evs[1]; c.Type != event.Replied || !c.Public || c.Actor.Kind != event.Person || c.ID != "hist:jira:10010:comment:10000" {
			t.Fatalf("comment event %+v", c)
		}
	})
}

// FuzzHistoryPage: no search page makes the parser panic; errors are
// coded Invalid; what it accepts are complete, valid imported events.
func FuzzHistoryPage(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "history", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"issues":[{"id":"1","fields":{"created":"2024-01-01T00:00:00.000+0000","status":{"name":"Done","id":"5"}},"changelog":{"total":1,"histories":[{"id":"7","created":"2024-01-02T00:00:00.000+0000","items":[{"field":"status","from":"1","fromString":"Open","to":"5","toString":"Done"}]}]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := HistoryEvents(body, policy.Source{})
		if err != nil {
			if errcode.Code(err) != errcode.Invalid {
				t.Fatalf("code %q for %v", errcode.Code(err), err)
			}
			return
		}
		for _, e := range evs {
			if e.Source != Source || !e.Imported || e.ID == "" || e.TicketID == "" || e.OccurredAt.IsZero() {
				t.Fatalf("incomplete event %+v", e)
			}
			if _, err := event.ToGeneric(e).Normalize(""); err != nil {
				t.Fatalf("event %+v is not valid in the model: %v", e, err)
			}
		}
	})
}

type importer struct {
	srv     *httptest.Server
	x       *Exporter
	pages   int
	retries int
	reqs    int
}

func newImporter(t *testing.T, fake *vendorfake.JiraHistory, since time.Time) *importer {
	t.Helper()
	fake.User, fake.Token = "bot@example.com", "tok"
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	ed := "datacenter"
	if fake.Cloud {
		ed = "cloud"
	}
	c := vendorapi.Credentials{BaseURL: srv.URL, User: fake.User, Token: fake.Token, Edition: ed}
	api, err := vendorapi.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return &importer{srv: srv, x: NewExporter(api, c, policy.Source{}, since, "")}
}

// all reads every page, retrying a page refused with RetryLater.
func (im *importer) all(t *testing.T) []event.Event {
	t.Helper()
	var evs []event.Event
	cur := ""
	for guard := 0; guard < 10000; guard++ {
		p, err := im.x.Next(context.Background(), cur)
		var rl *vendorapi.RetryLater
		if errors.As(err, &rl) {
			im.retries++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		im.pages++
		im.reqs += p.Requests
		evs = append(evs, p.Events...)
		if p.Done {
			return evs
		}
		cur = p.Next
	}
	t.Fatal("no end of pages")
	return nil
}

func byTicket(evs []event.Event) map[string][]event.Event {
	m := map[string][]event.Event{}
	for _, e := range evs {
		m[e.TicketID] = append(m[e.TicketID], e)
	}
	return m
}

func webhookState(t *testing.T, files ...string) ticket.State {
	t.Helper()
	var evs []event.Event
	for _, f := range files {
		got, err := Parse(event.Delivery{Body: histFile(t, filepath.Join("real", f))})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, got...)
	}
	return ticket.Reduce(evs)
}

func ms(n int64) time.Time { return time.UnixMilli(n).UTC() }

func jt(s string) time.Time {
	t, err := time.Parse(commentTimeLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The same issues as captured webhooks describe, served by the fake.
var (
	dcAdmin = vendorfake.JiraUser{Key: "admin", Name: "admin", DisplayName: "admin", Email: "admin@admin.com"}
	// mmjira_server_issue_resolved.json: TES-4 (10300) In Progress → Resolved.
	dcResolved = vendorfake.JiraIssue{ID: "10300", Key: "TES-4", Project: "TES", Created: jt("2019-08-13T06:14:23.580+0800"),
		Reporter: dcAdmin, Status: "In Progress", Priority: "Medium", Labels: []string{}, IssueType: "Bug",
		History: []vendorfake.JiraChange{{ID: "10414", At: ms(1565652182025), Author: dcAdmin, Items: []vendorfake.JiraItem{
			{Field: "status", FromStatus: "In Progress", ToStatusName: "Resolved"},
			{Field: "resolution", To: "10000", ToString: "Done"},
		}}}}
	sergei   = vendorfake.JiraUser{AccountID: "60b8a7caa5be0a0069f3301f", AccountType: "atlassian", DisplayName: "Сергей"}
	veniamin = vendorfake.JiraUser{AccountID: "557058:bf39af2f-2a15-473b-ba9b-fecfcab48e41", AccountType: "atlassian", DisplayName: "Veniamin Smorodinsky"}
	// jirabot_cloud_issue_assigned.json: CRM-13 (10376) reassigned.
	cloudAssigned = vendorfake.JiraIssue{ID: "10376", Key: "CRM-13", Project: "CRM", Created: jt("2021-07-16T18:50:37.763+0300"),
		Reporter: sergei, Status: "Selected for Development", Priority: "Обычный", Assignee: &sergei, Labels: []string{}, IssueType: "Task",
		History: []vendorfake.JiraChange{{ID: "15485", At: ms(1628853167992), Author: sergei, Items: []vendorfake.JiraItem{
			{Field: "assignee", FieldID: "assignee", FromUser: &sergei, ToUser: &veniamin},
		}}}}
	// jirabot_cloud_comment_created.json: TALK-132 (10509), the agent's public comment 10274.
	cloudCommented = vendorfake.JiraIssue{ID: "10509", Key: "TALK-132", Project: "TALK", ServiceDesk: true, Created: jt("2021-08-10T09:00:00.000+0300"),
		Reporter: vendorfake.JiraUser{AccountID: "qm:0d6e2b1c-1111-4a7b-8c9d-0e1f2a3b4c5d", AccountType: "customer", DisplayName: "A customer"},
		Status:   "Done", Priority: "Обычный", Assignee: &veniamin, IssueType: "Баг",
		Comments: []vendorfake.JiraComment{{ID: "10274", At: jt("2021-08-11T13:19:06.887+0300"), Author: veniamin}}}
)

func TestHistoryMatchesWebhooks(t *testing.T) {
	since := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("Data Center: a resolution", func(t *testing.T) {
		im := newImporter(t, &vendorfake.JiraHistory{Issues: []vendorfake.JiraIssue{dcResolved}}, since)
		got := ticket.Reduce(byTicket(im.all(t))["10300"])
		want := webhookState(t, "mmjira_server_issue_resolved.json")
		if got.Status != want.Status || got.AssigneeID != want.AssigneeID || got.Priority != want.Priority || got.Customer.ID != want.Customer.ID {
			t.Errorf("imported %s/%q/%s/%+v, webhooks %s/%q/%s/%+v", got.Status, got.AssigneeID, got.Priority, got.Customer, want.Status, want.AssigneeID, want.Priority, want.Customer)
		}
		if len(got.Resolutions) != 1 || len(want.Resolutions) != 1 || !got.Resolutions[0].At.Equal(want.Resolutions[0].At) ||
			got.Resolutions[0].AgentID != want.Resolutions[0].AgentID || !got.Resolutions[0].Imported {
			t.Errorf("resolutions imported %+v, webhooks %+v", got.Resolutions, want.Resolutions)
		}
	})
	t.Run("Cloud: a reassignment and an agent's public comment", func(t *testing.T) {
		im := newImporter(t, &vendorfake.JiraHistory{Cloud: true, Issues: []vendorfake.JiraIssue{cloudAssigned, cloudCommented}}, since)
		tickets := byTicket(im.all(t))
		got, want := ticket.Reduce(tickets["10376"]), webhookState(t, "jirabot_cloud_issue_assigned.json")
		at := ms(1628853167992)
		if got.AssigneeID != want.AssigneeID || got.AssigneeAt(at) != want.AssigneeAt(at) || got.Priority != want.Priority || got.Customer.ID != want.Customer.ID {
			t.Errorf("imported %q/%q/%s, webhooks %q/%q/%s", got.AssigneeID, got.AssigneeAt(at), got.Priority, want.AssigneeID, want.AssigneeAt(at), want.Priority)
		}
		if got.AssigneeAt(at.Add(-time.Millisecond)) != sergei.AccountID {
			t.Errorf("assignee before the change = %q, want the initial %q (unwound from the changelog)", got.AssigneeAt(at.Add(-time.Millisecond)), sergei.AccountID)
		}
		got, want = ticket.Reduce(tickets["10509"]), webhookState(t, "jirabot_cloud_comment_created.json")
		if got.FirstResponse == nil || want.FirstResponse == nil || *got.FirstResponse != *want.FirstResponse && !(got.FirstResponse.At.Equal(want.FirstResponse.At) && got.FirstResponse.AgentID == want.FirstResponse.AgentID) {
			t.Errorf("first response imported %+v, webhooks %+v", got.FirstResponse, want.FirstResponse)
		}
		if got.Status != event.StatusResolved || slices.Equal(got.Tags, want.Tags) == false {
			t.Errorf("status %s tags %v / %v", got.Status, got.Tags, want.Tags)
		}
	})
}

func generated(n int) []vendorfake.JiraIssue {
	return vendorfake.JiraIssues(n, time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC), 7)
}

func TestHistoryLongChangelog(t *testing.T) {
	issues := generated(50) // the 50th has over a hundred histories
	long := issues[49]
	if len(long.History) <= 100 {
		t.Fatalf("generator: %d histories", len(long.History))
	}
	for _, cloud := range []bool{true, false} {
		t.Run(map[bool]string{true: "cloud", false: "datacenter"}[cloud], func(t *testing.T) {
			im := newImporter(t, &vendorfake.JiraHistory{Cloud: cloud, Issues: []vendorfake.JiraIssue{long}}, long.Created)
			evs := im.all(t)
			ids := map[string]bool{}
			for _, e := range evs {
				if strings.Contains(e.ID, ":changelog:") {
					ids[strings.Join(strings.Split(e.ID, ":")[4:5], "")] = true
				}
			}
			want := 0
			for _, h := range long.History {
				for _, it := range h.Items {
					if it.Field != "resolution" {
						want++
					}
				}
			}
			n := 0
			for _, e := range evs {
				if strings.Contains(e.ID, ":changelog:") {
					n++
				}
			}
			if n != want || len(ids) != len(long.History) {
				t.Fatalf("%d changelog events from %d histories, want %d from %d", n, len(ids), want, len(long.History))
			}
			st := ticket.Reduce(evs)
			if !st.HasTag("round109") || !st.Status.Done() || st.FirstResponse == nil && len(st.PersonReplies) == 0 || len(st.Notes) != 1 {
				t.Errorf("state %+v", st)
			}
			if cloud && im.reqs < 2 {
				t.Errorf("%d requests: the changelog endpoint was not read", im.reqs)
			}
		})
	}
}

func TestHistoryPagesAgainAndFaults(t *testing.T) {
	issues := generated(120)
	since := issues[0].Created
	for _, cloud := range []bool{true, false} {
		t.Run(map[bool]string{true: "cloud", false: "datacenter"}[cloud], func(t *testing.T) {
			clean := newImporter(t, &vendorfake.JiraHistory{Cloud: cloud, Issues: issues}, since)
			want := clean.all(t)

			t.Run("reading a page twice gives identical events", func(t *testing.T) {
				a, err := clean.x.Next(context.Background(), "")
				if err != nil {
					t.Fatal(err)
				}
				b, err := clean.x.Next(context.Background(), "")
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(a.Events, b.Events, func(x, y event.Event) bool { return ticket.Compare(x, y) == 0 }) || a.Next != b.Next || a.Tickets != 50 || a.Done {
					t.Fatalf("two reads differ or wrong page: %d/%d events, %d tickets", len(a.Events), len(b.Events), a.Tickets)
				}
			})
			t.Run("a 429 surfaces as RetryLater with the Retry-After", func(t *testing.T) {
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				im := newImporter(t, &vendorfake.JiraHistory{Cloud: cloud, Issues: issues, Limit: 1, Window: time.Minute, Now: func() time.Time { return now }}, since)
				var err error
				for i := 0; i < 2 && err == nil; i++ {
					_, err = im.x.Next(context.Background(), "")
				}
				var rl *vendorapi.RetryLater
				if !errors.As(err, &rl) || rl.Status != 429 || rl.After <= 0 || rl.After > time.Minute {
					t.Fatalf("err = %v, want RetryLater 429 with Retry-After up to 60 s", err)
				}
			})
			t.Run("a 5xx mid-way, then the same cursor: same events, no duplicates, no gaps", func(t *testing.T) {
				im := newImporter(t, &vendorfake.JiraHistory{Cloud: cloud, Issues: issues, FailOn: []int{2, 7, 8}}, since)
				got := im.all(t)
				if im.retries == 0 {
					t.Fatal("no fault was met")
				}
				ids := map[string]bool{}
				for _, e := range got {
					if ids[e.ID] {
						t.Fatalf("duplicate %s", e.ID)
					}
					ids[e.ID] = true
				}
				if len(got) != len(want) {
					t.Fatalf("%d events after faults, %d without", len(got), len(want))
				}
				for _, e := range want {
					if !ids[e.ID] {
						t.Fatalf("missing %s", e.ID)
					}
				}
			})
		})
	}
}

func TestHistoryRequestsPer1000Issues(t *testing.T) {
	issues := generated(1000)
	for _, cloud := range []bool{true, false} {
		t.Run(map[bool]string{true: "cloud", false: "datacenter"}[cloud], func(t *testing.T) {
			fake := &vendorfake.JiraHistory{Cloud: cloud, Issues: issues}
			im := newImporter(t, fake, issues[0].Created)
			evs := im.all(t)
			tickets := byTicket(evs)
			if len(tickets) != 1000 {
				t.Fatalf("%d tickets", len(tickets))
			}
			resolved, reopened, responded, notes := 0, 0, 0, 0
			for _, evs := range tickets {
				st := ticket.Reduce(evs)
				if st.Status.Done() {
					resolved++
				}
				if len(st.Reopens) > 0 {
					reopened++
				}
				if st.FirstResponse != nil || len(st.PersonReplies) > 0 {
					responded++
				}
				notes += len(st.Notes)
			}
			if resolved != 1000 || reopened == 0 || responded != 1000 || notes != 1000 {
				t.Errorf("resolved %d, reopened %d, responded %d, notes %d", resolved, reopened, responded, notes)
			}
			t.Logf("%s: %d requests for 1000 issues (%d search pages), %d events", map[bool]string{true: "cloud", false: "datacenter"}[cloud], fake.Requests(), im.pages, len(evs))
		})
	}
}
