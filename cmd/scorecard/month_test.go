package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/dynamotest"
)

func sesEndpoint() string {
	if e := os.Getenv("SES_ENDPOINT"); e != "" {
		return e
	}
	return "http://127.0.0.1:8005"
}

// storedMail is a mail as the local SES server keeps it.
type storedMail struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Subject     string `json:"subject"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Body struct {
		HTML string `json:"html"`
		Text string `json:"text"`
	} `json:"body"`
	Attachments []struct {
		Filename string `json:"filename"`
		Content  string `json:"content"`
	} `json:"attachments"`
}

// mailsTo reads the SES server's store for mails to any of the addresses.
func mailsTo(t *testing.T, addrs ...string) []storedMail {
	t.Helper()
	resp, err := http.Get(sesEndpoint() + "/store")
	if err != nil {
		t.Fatalf("SES server: %v (make up starts it)", err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []storedMail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatal(err)
	}
	var out []storedMail
	for _, m := range store.Emails {
		for _, to := range m.Destination.To {
			for _, a := range addrs {
				if strings.Contains(to, a) {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// aMonth is a hand-computable October for two engineers (5 tickets each,
// the minimum sample, so nothing is shrunk):
//
//	good: first reply after 30 min, solved after 2 h, rated 5, solved yes → every metric at or above target: composite 100, A.
//	slow: first reply after 3 h, solved after 30 h (normal SLA 24 h: breached), rated 3, solved no:
//	  response  (8−3)/6 = 83.33 and 0 (none within 1 h)                     → 41.67
//	  resolution  SLA 0, handle (72−30)/48 = 87.5, completion 100, success 100, follow-up 0 → 57.5
//	  satisfaction  csat 50 → 0, satisfied 0 → 0, complaints 0 → 100        → 33.33
//	  composite (30·33.33 + 25·57.5 + 20·41.67) / 75 = 43.61 → D
func aMonth(good, slow string) []event.Event {
	var evs []event.Event
	yes, no := true, false
	add := func(agent string, i int, reply, solve time.Duration, rating int, solved *bool) {
		id := fmt.Sprintf("%s-%d", agent, i)
		at := time.Date(2026, 10, 5+i, 2, 0, 0, 0, time.UTC)
		evs = append(evs,
			event.Event{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: at, Priority: event.Normal,
				Actor: event.Actor{ID: "c-" + id, Kind: event.Customer}, Customer: &event.CustomerInfo{ID: "c-" + id, Email: "c-" + id + "@example.com"}},
			event.Event{Source: "generic", ID: id + "-a", TicketID: id, Type: event.Assigned, OccurredAt: at, AssigneeID: agent},
			event.Event{Source: "generic", ID: id + "-r", TicketID: id, Type: event.Replied, OccurredAt: at.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
			event.Event{Source: "generic", ID: id + "-s", TicketID: id, Type: event.StatusChanged, OccurredAt: at.Add(solve), Status: event.StatusResolved},
			event.Event{Source: "generic", ID: id + "-v", TicketID: id, Type: event.SurveyAnswered, OccurredAt: at.Add(solve + time.Hour), Rating: rating, Solved: solved,
				Actor: event.Actor{ID: "c-" + id, Kind: event.Customer}},
		)
	}
	for i := range 5 {
		add(good, i, 30*time.Minute, 2*time.Hour, 5, &yes)
		add(slow, i, 3*time.Hour, 30*time.Hour, 3, &no)
	}
	return evs
}

// octoberOfTwo is Ann (good) and Bob (slow) under their lead, with
// unique addresses (the SES server is shared by every test run), and their
// October posted as webhooks through the local gateway.
func octoberOfTwo(t *testing.T, prefix string) (srv *httptest.Server, store *dynamo.Store, table, good, slow, lead string) {
	t.Helper()
	srv, store, table = gateway(t)
	tag := fmt.Sprint(time.Now().UnixNano())
	good, slow, lead = "ann"+prefix+"-"+tag+"@example.com", "bob"+prefix+"-"+tag+"@example.com", "lead"+prefix+"-"+tag+"@example.com"
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.PutEngineers(context.Background(), []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: good, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-good"}},
		{ID: "E2", Name: "Bob", Email: slow, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, Locale: "en", External: map[string]string{"generic": "ag-slow"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, e := range aMonth("ag-good", "ag-slow") {
		if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	return srv, store, table, good, slow, lead
}

func TestRunMonthEndToEnd(t *testing.T) {
	_, _, table, good, slow, lead := octoberOfTwo(t, "")
	ctx := context.Background()
	out := t.TempDir()
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": "http://127.0.0.1:1"}
	runCLI := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runWith(&o, &e, func(k string) string { return vars[k] }, args...)
		return code, o.String(), e.String()
	}

	// First attempt: the mail service is down. Results are stored, the run
	// fails so that it is retried, and nothing is mailed.
	code, stdout, stderr := runCLI("run-month", "2026-10", "--local", "--out", out)
	if code == 0 || !strings.Contains(stderr, "mails failed") {
		t.Fatalf("with SES down: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if n := len(mailsTo(t, good, slow, lead)); n != 0 {
		t.Fatalf("%d mails while SES was down", n)
	}

	// The retry completes: a team report and two scorecards, once each.
	vars["SES_ENDPOINT"] = sesEndpoint()
	if code, stdout, stderr := runCLI("run-month", "2026-10", "--local", "--out", out); code != 0 {
		t.Fatalf("retry: exit %d\n%s\n%s", code, stdout, stderr)
	}
	cards, err := dynamo.New(dynamotest.Client(t), table, dynamo.Options{}).Results(ctx, month.Month{Year: 2026, Month: time.October})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]scoring.Card{}
	for _, c := range cards {
		byID[c.EngineerID] = c
	}
	if c := byID["E1"]; c.Composite == nil || *c.Composite != 100 || c.Grade != "A" {
		t.Errorf("E1: %v %s; want 100, A", c.Composite, c.Grade)
	}
	if c := byID["E2"]; c.Composite == nil || math.Abs(*c.Composite-43.61) > 0.005 || c.Grade != "D" {
		t.Errorf("E2: %v %s; want 43.61, D", c.Composite, c.Grade)
	}
	if v := byID["E2"].Metrics["avg_handle_hours"].Value; v == nil || *v != 30 {
		t.Errorf("E2 handle hours %v, want 30", v)
	}
	mails := mailsTo(t, good, slow, lead)
	if len(mails) != 3 {
		t.Fatalf("%d mails, want 3 (team report, two scorecards)", len(mails))
	}
	var team *storedMail
	for i := range mails {
		if strings.Contains(mails[i].Destination.To[0], lead) {
			team = &mails[i]
		}
	}
	if team == nil {
		t.Fatal("no team report to the manager")
	}
	for _, want := range []string{"100", "43.6", "Ann", "Bob"} {
		if !strings.Contains(team.Body.HTML, want) {
			t.Errorf("the team report lacks %q", want)
		}
	}
	var xlsx []byte
	for _, a := range team.Attachments {
		if strings.HasSuffix(a.Filename, ".xlsx") {
			xlsx = decode64(t, a.Content)
		}
	}
	if xlsx == nil {
		t.Fatal("the team report has no .xlsx attachment")
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	found := 0
	for _, r := range rows {
		for _, cell := range r {
			if cell == "43.61" || cell == "100" {
				found++
			}
		}
	}
	if found < 2 {
		t.Errorf("the workbook's summary does not hold the stored composites: %v", rows)
	}
	if _, err := os.Stat(filepath.Join(out, "2026-10", "team-north.html")); err != nil {
		t.Errorf("no report file under out/: %v", err)
	}

	// A rerun sends nothing new.
	if code, stdout, stderr := runCLI("run-month", "2026-10", "--local", "--out", ""); code != 0 || !strings.Contains(stdout, "0 sent, 3 already sent") {
		t.Errorf("rerun: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if n := len(mailsTo(t, good, slow, lead)); n != 3 {
		t.Errorf("%d mails after a rerun, want still 3", n)
	}

	// scores and override.
	code, stdout, _ = runCLI("scores", "2026-10", "--json", "--local")
	var listed []scoring.Card
	if code != 0 || json.Unmarshal([]byte(stdout), &listed) != nil || len(listed) != 2 {
		t.Fatalf("scores --json: exit %d %s", code, stdout)
	}
	if code, stdout, stderr := runCLI("override", "E2", "2026-10", "--grade", "C", "--reason", "covered the hotline alone", "--by", "lead", "--local"); code != 0 || !strings.Contains(stdout, "computed: D") {
		t.Fatalf("override: exit %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI("override", "E2", "2026-10", "--grade", "Z", "--reason", "x", "--local"); code != 2 || !strings.Contains(stderr, "not a grade") {
		t.Errorf("unknown grade: %d %s", code, stderr)
	}
	if code, stdout, _ = runCLI("scores", "2026-10", "--json", "--local"); code != 0 {
		t.Fatalf("scores: exit %d", code)
	}
	json.Unmarshal([]byte(stdout), &listed)
	for _, c := range listed {
		if c.EngineerID == "E2" && (c.Override == nil || c.Override.Grade != "C" || c.Grade != "D") {
			t.Errorf("override shown beside the original: grade %s override %+v", c.Grade, c.Override)
		}
	}
}

func decode64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Three consecutive stored months on DynamoDB Local: an engineer below
// standard each month gets a warning in month 2 and a position adjustment
// in month 3, each with its notices to the engineer and the manager.
func TestConsequencesAcrossStoredMonths(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	tag := fmt.Sprint(time.Now().UnixNano())
	good, slow, lead := "ann3-"+tag+"@example.com", "bob3-"+tag+"@example.com", "lead3-"+tag+"@example.com"
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.PutEngineers(ctx, []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: good, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, External: map[string]string{"generic": "ag-good"}},
		{ID: "E2", Name: "Bob", Email: slow, Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, External: map[string]string{"generic": "ag-slow"}},
	}); err != nil {
		t.Fatal(err)
	}
	// The product has been live since August: these months are not
	// history (whose notices are not mailed), though the test posts their
	// webhooks today.
	if err := store.MarkSwitchover(ctx, "generic", time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for shift := range 3 {
		for _, e := range aMonth("ag-good", "ag-slow") {
			e.ID = fmt.Sprintf("%s-m%d", e.ID, shift)
			e.TicketID = fmt.Sprintf("%s-m%d", e.TicketID, shift)
			e.OccurredAt = e.OccurredAt.AddDate(0, shift-2, 0) // August, September, October
			if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
				t.Fatalf("%d %s", code, body)
			}
		}
	}
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint()}
	want := map[string][]string{
		"2026-08": {"bonus"},
		"2026-09": {"warning", "training_plan", "bonus"},
		"2026-10": {"position_adjustment", "training_plan", "bonus"},
	}
	for _, m := range []string{"2026-08", "2026-09", "2026-10"} {
		var o, e bytes.Buffer
		if code := runWith(&o, &e, func(k string) string { return vars[k] }, "run-month", m, "--local", "--out", ""); code != 0 {
			t.Fatalf("%s: exit %d %s %s", m, code, o.String(), e.String())
		}
		cards, err := dynamo.New(dynamotest.Client(t), table, dynamo.Options{}).Results(ctx, mustMonth(m))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cards {
			if c.EngineerID != "E2" {
				continue
			}
			var got []string
			for _, q := range c.Consequences {
				got = append(got, string(q.Kind))
			}
			if strings.Join(got, ",") != strings.Join(want[m], ",") {
				t.Errorf("%s: E2's consequences %v, want %v", m, got, want[m])
			}
		}
	}
	// The notices waited for the dispute window; two weeks on the
	// follow-up mails them.
	later := time.Now().AddDate(0, 0, 14)
	var o, e bytes.Buffer
	if code := run(ctx, &env{stdin: strings.NewReader(""), stdout: &o, stderr: &e, getenv: func(k string) string { return vars[k] }, now: func() time.Time { return later }},
		[]string{"disputes", "follow-up", "--local"}); code != 0 || !strings.Contains(o.String(), "notices 4 sent") {
		t.Fatalf("follow-up: exit %d %s %s", code, o.String(), e.String())
	}
	// 3 months × (team report + 2 scorecards) + 2 notices in September and
	// 2 in October. The months' quality review samples are drawn, but two
	// weeks on their reviews are past due (the window closed): not mailed.
	if n := len(mailsTo(t, good, slow, lead)); n != 13 {
		t.Errorf("%d mails, want 13", n)
	}
	if as, err := store.ReviewAssignments(ctx, mustMonth("2026-10")); err != nil || len(as) == 0 {
		t.Errorf("October's sample: %d tickets, %v", len(as), err)
	}
	notices := 0
	for _, m := range mailsTo(t, slow, lead) {
		s := strings.ToLower(m.Subject)
		if strings.Contains(s, "warning") || strings.Contains(s, "position") || strings.Contains(m.Subject, "警告") || strings.Contains(m.Subject, "岗位") {
			notices++
		}
	}
	if notices != 4 {
		t.Errorf("%d notices to Bob and his manager, want 4", notices)
	}
}

func mustMonth(s string) month.Month {
	m, err := month.Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}
