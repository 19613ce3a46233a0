package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// capture reads a real webhook body (<source>/testdata/real) to send it
// again with this test's ids and times, keeping every other member.
func capture(t *testing.T, source, file string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "source", source, "testdata", "real", file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// obj is a member object of a decoded body, created when absent.
func obj(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

// postSigned sends a body to a source's route signed as the source signs.
func postSigned(t *testing.T, base, source string, body map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/"+source, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	switch source {
	case "zendesk":
		ts := time.Now().UTC().Format(time.RFC3339)
		req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		req.Header.Set("X-Zendesk-Webhook-Signature", zendesk.Sign([]byte("dev-zendesk-secret"), ts, b))
	case "jira":
		req.Header.Set("X-Hub-Signature", jira.Sign([]byte("dev-jira-secret"), b))
	case "freshdesk":
		req.Header.Set("Authorization", "Bearer dev-freshdesk-secret")
	default:
		req.Header.Set("X-Signature", generic.Sign([]byte("dev-generic-secret"), b))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e map[string]any
		json.NewDecoder(resp.Body).Decode(&e)
		t.Fatalf("%s: %d %v", source, resp.StatusCode, e)
	}
}

// lifecycle is one ticket created, answered by an agent and resolved, in
// the shapes of its source's real captures, naming the requester only by id.
type lifecycle struct {
	source  string
	bodies  func(t *testing.T, ticket, customer, agent string, at time.Time) []map[string]any
	address bool // the requester's address travels with the webhooks (generic)
}

var lifecycles = []lifecycle{
	{source: "zendesk", bodies: func(t *testing.T, tk, cust, agent string, at time.Time) []map[string]any {
		created := capture(t, "zendesk", "zendesk-sample_ticket_created.json")
		created["id"], created["time"], created["subject"] = "c-"+tk, at.Format(time.RFC3339Nano), "zen:ticket:"+tk
		d := obj(created, "detail")
		d["id"], d["requester_id"], d["submitter_id"], d["actor_id"], d["assignee_id"], d["status"] = tk, cust, cust, cust, agent, "NEW"
		reply := capture(t, "zendesk", "docs_messaging_ticket_message_added_system.json")
		reply["id"], reply["time"], reply["subject"] = "m-"+tk, at.Add(20*time.Minute).Format(time.RFC3339Nano), "zen:ticket:"+tk
		obj(reply, "detail")["id"] = tk
		obj(reply, "event")["actor"] = map[string]any{"id": agent, "name": "Mia", "type": "agent"}
		solved := capture(t, "zendesk", "kers-engine_ticket_status_changed_new_to_open_trimmed.json")
		solved["id"], solved["time"], solved["subject"] = "s-"+tk, at.Add(time.Hour).Format(time.RFC3339Nano), "zen:ticket:"+tk
		solved["detail"] = map[string]any{"id": tk, "tags": []any{}}
		solved["event"] = map[string]any{"previous": "OPEN", "current": "SOLVED"}
		return []map[string]any{created, reply, solved}
	}},
	{source: "jira", bodies: func(t *testing.T, tk, cust, agent string, at time.Time) []map[string]any {
		reporter := map[string]any{"accountId": cust, "accountType": "customer", "displayName": "Ann Customer"}
		assignee := map[string]any{"accountId": agent, "accountType": "atlassian", "displayName": "Mia"}
		created := capture(t, "jira", "mmjira_cloud2019_issue_created.json")
		created["timestamp"], created["user"] = at.UnixMilli(), reporter
		is := obj(created, "issue")
		is["id"], is["key"] = tk, "SUP-"+tk
		f := obj(is, "fields")
		f["reporter"], f["assignee"] = reporter, assignee
		comment := capture(t, "jira", "jirabot_cloud_comment_created.json")
		comment["timestamp"] = at.Add(20 * time.Minute).UnixMilli()
		obj(comment, "issue")["id"] = tk
		c := obj(comment, "comment")
		c["id"], c["author"], c["jsdPublic"] = "9"+tk, assignee, true
		c["created"] = at.Add(20 * time.Minute).Format("2006-01-02T15:04:05.000-0700")
		c["self"] = "https://example.atlassian.net/rest/api/2/issue/" + tk + "/comment/9" + tk
		done := capture(t, "jira", "jirabot_cloud_issue_generic_status.json")
		done["timestamp"], done["user"] = at.Add(time.Hour).UnixMilli(), assignee
		is = obj(done, "issue")
		is["id"] = tk
		f = obj(is, "fields")
		f["reporter"], f["assignee"] = reporter, assignee
		f["status"] = map[string]any{"id": "10001", "name": "Done", "statusCategory": map[string]any{"key": "done"}}
		done["changelog"] = map[string]any{"id": "8" + tk, "items": []any{map[string]any{
			"field": "status", "fieldtype": "jira", "fieldId": "status", "from": "10025", "fromString": "Selected for Development", "to": "10001", "toString": "Done"}}}
		return []map[string]any{created, comment, done}
	}},
	{source: "freshdesk", bodies: func(t *testing.T, tk, cust, agent string, _ time.Time) []map[string]any {
		// Freshdesk's rule bodies carry no time: each happens when received.
		body := func(file, triggered, status string) map[string]any {
			m := capture(t, "freshdesk", file)
			w := obj(m, "freshdesk_webhook")
			delete(w, "requester_email")
			delete(w, "requester_name")
			w["ticket_id"], w["requester_id"], w["agent_id"], w["triggered_event"], w["ticket_status"] = tk, cust, agent, triggered, status
			return m
		}
		return []map[string]any{
			body("zulip_ticket_created.json", "{ticket_action:created}", "Open"),
			body("zulip_public_note.json", "{reply_sent:sent}", "Open"),
			body("zulip_status_changed.json", "{status:{from:2,to:4}}", "Resolved"),
		}
	}},
	{source: "generic", address: true, bodies: func(t *testing.T, tk, cust, agent string, at time.Time) []map[string]any {
		ev := func(id, typ string, h time.Duration, extra map[string]any) map[string]any {
			m := map[string]any{"event_id": id, "ticket_id": tk, "type": typ, "occurred_at": at.Add(h).Format(time.RFC3339)}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		return []map[string]any{
			ev("c", "created", 0, map[string]any{"assignee_id": agent, "customer": map[string]any{"id": cust, "email": "gen-" + tk + "@example.com"}}),
			ev("r", "replied", 20*time.Minute, map[string]any{"public": true, "actor": map[string]any{"id": agent, "kind": "agent"}}),
			ev("s", "status_changed", time.Hour, map[string]any{"status": "resolved"}),
		}
	}},
}

// For every source: a ticket created, answered and resolved through that
// source's real payload shapes, naming the requester only by id (the
// generic format carries the address) → the survey mail reaches the
// address the vendor's API gives (a local stand-in serving its documented
// answers) → answered in headless Chromium → counted for the engineer
// credited at resolution.
func TestEverySourcesCustomersAreSurveyed(t *testing.T) {
	tag := strconv.FormatInt(time.Now().UnixNano()%1_000_000_000, 10)
	fake := &vendorfake.Server{User: "agent@example.com/token", Token: "tok", Now: time.Now, People: map[string]map[string]vendorfake.Person{}}
	for _, l := range lifecycles {
		fake.People[l.source] = map[string]vendorfake.Person{"cust-" + tag: {Email: l.source + "-" + tag + "@example.com", Name: "Ann", Locale: "en-US"}}
	}
	vendors := httptest.NewServer(fake)
	defer vendors.Close()
	var env []string
	for _, src := range []string{"zendesk", "jira", "freshdesk"} {
		b, _ := json.Marshal(fake.Credentials(vendors.URL, src))
		env = append(env, "API_"+strings.ToUpper(src), string(b))
	}
	base, table, logs := startServe(t, env...)
	store := dynamo.New(dynamotest.Client(t), table, dynamo.Options{})
	at := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)

	for i, l := range lifecycles {
		t.Run(l.source, func(t *testing.T) {
			tk := strconv.Itoa(5_000_000+i) + tag
			cust, agent := "cust-"+tag, "ag-"+l.source
			for _, body := range l.bodies(t, tk, cust, agent, at) {
				postSigned(t, base, l.source, body)
			}
			address := l.source + "-" + tag + "@example.com"
			if l.address {
				address = "gen-" + tk + "@example.com"
			}
			var mails []storedMail
			for i := 0; i < 150 && len(mails) == 0; i++ {
				time.Sleep(200 * time.Millisecond)
				mails = mailsTo(t, address)
			}
			if len(mails) != 1 {
				t.Fatalf("%d survey mails to the requester, want 1\n%s", len(mails), logs.String())
			}
			var links []string
			for _, m := range linkRE.FindAllStringSubmatch(mails[0].Body.HTML, -1) {
				links = append(links, m[1])
			}
			if len(links) != 6 {
				t.Fatalf("%d links in the mail", len(links))
			}
			tab, cancel := chromedp.NewContext(browsertest.Browser(t, 390, 844))
			defer cancel()
			if err := chromedp.Do(tab,
				chromedp.Navigate(links[3]), chromedp.WaitVisible(chromedp.CSS(`form`)),
				chromedp.Click(chromedp.CSS(`label[for=rating-5]`)),
				chromedp.Click(chromedp.CSS(`label[for=solved-yes]`)),
				chromedp.Click(chromedp.CSS(`button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-page=thanks]`)),
			); err != nil {
				t.Fatalf("answer in Chromium: %v", err)
			}
			st, _, err := store.Ticket(context.Background(), l.source, tk)
			if err != nil || len(st.Answers) != 1 || st.Answers[0].Rating != 5 || st.Answers[0].AgentID != agent {
				t.Fatalf("the ticket's answers %+v, %v; want one 5 credited to %s", st.Answers, err, agent)
			}
			// The engineer mapped to the agent gets the answer in the month it came.
			p := policy.Default()
			dir := directory.New([]directory.Engineer{{ID: "E-" + l.source, Team: "t", External: map[string]string{l.source: agent}}})
			cards, _, err := engine.Run(engine.Input{Policy: p, Month: month.Of(time.Now(), p.Location()), AsOf: time.Now(), Directory: dir,
				Tickets: func(yield func(*ticket.State) bool) { yield(&st) }})
			if err != nil || len(cards) != 1 {
				t.Fatalf("cards %v, %v", cards, err)
			}
			if got := cards[0].Metrics[metric.CSATScore]; got.Value == nil || *got.Value != 100 || got.N != 1 {
				t.Errorf("%s csat %+v", cards[0].EngineerID, got)
			}
			if got := cards[0].Metrics[metric.FollowupConfirmedRate]; got.Value == nil || *got.Value != 1 {
				t.Errorf("%s follow-up %+v", cards[0].EngineerID, got)
			}
			if strings.Contains(logs.String(), address) {
				t.Errorf("the requester's address reached the log")
			}
		})
	}
	if n := fake.Requests(); n["zendesk 200"] != 1 || n["jira 200"] != 1 || n["freshdesk 200"] != 1 {
		t.Errorf("API requests %v: one lookup per vendor", n)
	}
}
