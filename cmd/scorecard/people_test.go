package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/generic"
)

// A scored month whose learning and collaboration dimensions come from
// imported records and the team lead's assessment, checked by hand:
//
//	learning: training 3 h + 2 h = 5 h ≥ 4 → 100; courses 1 of 2 = 0.5 → 0;
//	          knowledge: the latest score, 65 → (65−50)/30 = 50        → 50
//	collaboration: lead 85 → 100; attitude 67.5 → 50; 9 shares over 31/7
//	          weeks = 2.03/week → 100; 3 of 5 sessions = 0.6 → 50; 2 cases
//	          → +4 bonus                                                → 79
//	composite: (30·100 + 25·100 + 20·100 + 10·50 + 15·79) / 100        → 91.85
func TestPeopleInputsEndToEnd(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	tag := fmt.Sprint(time.Now().UnixNano())
	lead := "lead6-" + tag + "@example.com"
	hire := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.PutEngineers(ctx, []directory.Engineer{
		{ID: "E1", Name: "Ann", Email: "ann6-" + tag + "@example.com", Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, External: map[string]string{"generic": "ag-good"}},
		{ID: "E2", Name: "Bob", Email: "bob6-" + tag + "@example.com", Team: "north", ManagerEmail: lead, HireDate: hire, BaseBonus: 1000, External: map[string]string{"generic": "ag-slow"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, e := range aMonth("ag-good", "ag-slow") {
		if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint()}
	runCLI := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runWith(&o, &e, func(k string) string { return vars[k] }, args...)
		return code, o.String(), e.String()
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// A file with bad rows is rejected whole, every bad line named.
	bad := write("bad-training.csv", "engineer_id,date,hours,course,assigned,completed\nE1,2026-10-10,3,A,no,no\nE9,2026-10-11,2,B,no,no\nE1,2026-13-01,2,C,no,no\nE1,2026-10-12,-4,D,no,no\n")
	code, _, stderr := runCLI("import", "training", bad, "--local")
	if code != 2 || !strings.Contains(stderr, "line 4") || !strings.Contains(stderr, "line 5") {
		t.Fatalf("bad file: exit %d %s", code, stderr)
	}
	code, _, stderr = runCLI("import", "training", write("unknown.csv", "engineer_id,date,hours,course,assigned,completed\nE9,2026-10-11,2,B,no,no\n"), "--local")
	if code != 2 || !strings.Contains(stderr, "E9") {
		t.Fatalf("unknown engineer: exit %d %s", code, stderr)
	}
	oct := month.Month{Year: 2026, Month: time.October}
	if recs, _ := store.Records(ctx, oct); len(recs) != 0 {
		t.Fatalf("a rejected file stored %d records", len(recs))
	}

	files := map[string]string{
		"training": "engineer_id,date,hours,course,assigned,completed\n" +
			"E1,2026-10-10,3,Routers,no,no\nE1,2026-10-20,2,Switching,no,no\nE1,2026-10-21,0,Course A,yes,yes\nE1,2026-10-22,0,Course B,yes,no\nE1,2026-09-30,8,Old,no,no\n",
		"knowledge":     "engineer_id,date,score\nE1,2026-10-05,90\nE1,2026-10-25,65\n",
		"collaboration": "engineer_id,date,activity,attended,count\nE1,2026-10-03,knowledge_share,no,9\nE1,2026-10-06,skill_session,yes,3\nE1,2026-10-07,skill_session,no,2\nE1,2026-10-08,case,no,2\n",
	}
	for kind, body := range files {
		path := write(kind+".csv", body)
		for range 2 { // imported twice: the same data
			if code, stdout, stderr := runCLI("import", kind, path, "--local"); code != 0 {
				t.Fatalf("import %s: exit %d %s %s", kind, code, stdout, stderr)
			}
		}
	}
	if recs, _ := store.Records(ctx, oct); len(recs) != 10 {
		t.Errorf("%d October records after importing each file twice, want 10", len(recs))
	}

	// The lead's and Ann's own assessments, answered before the deadline.
	deadline := time.Now().Add(time.Hour)
	for _, a := range []assessment.Assessment{
		{ID: assessment.ID(oct, assessment.Lead, lead), Month: oct, Kind: assessment.Lead, AssessorKey: lead, AssessorEmail: lead, Locale: "en",
			Engineers: []assessment.Engineer{{ID: "E1", Name: "Ann"}, {ID: "E2", Name: "Bob"}}, Deadline: deadline},
		{ID: assessment.ID(oct, assessment.Self, "E1"), Month: oct, Kind: assessment.Self, AssessorKey: "E1", Locale: "en",
			Engineers: []assessment.Engineer{{ID: "E1", Name: "Ann"}}, Deadline: deadline},
	} {
		if _, err := store.PutAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Submit(ctx, assessment.ID(oct, assessment.Lead, lead), map[string]assessment.Scores{
		"E1": {Attitude: 67.5, ProblemSolving: 85, Collaboration: 85},
		"E2": {Attitude: 60, ProblemSolving: 50, Collaboration: 70},
	}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Submit(ctx, assessment.ID(oct, assessment.Self, "E1"), map[string]assessment.Scores{
		"E1": {Attitude: 95, ProblemSolving: 85, Collaboration: 85},
	}, time.Now()); err != nil {
		t.Fatal(err)
	}

	if code, stdout, stderr := runCLI("run-month", "2026-10", "--local", "--out", dir); code != 0 {
		t.Fatalf("run-month: exit %d %s %s", code, stdout, stderr)
	}
	cards, err := dynamo.New(dynamotest.Client(t), table, dynamo.Options{}).Results(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	var ann scoring.Card
	for _, c := range cards {
		if c.EngineerID == "E1" {
			ann = c
		}
	}
	for dim, want := range map[string]float64{"continuous_learning": 50, "team_collaboration": 79, "problem_resolution": 100} {
		if got := ann.Dimensions[dim].Score; got == nil || math.Abs(*got-want) > 0.005 {
			t.Errorf("%s: %v, want %v", dim, got, want)
		}
	}
	if ann.Composite == nil || math.Abs(*ann.Composite-91.85) > 0.005 {
		t.Errorf("composite %v, want 91.85", ann.Composite)
	}
	// The report shows Ann's self-assessment beside the lead's, the 27.5
	// point gap in attitude highlighted.
	html, err := os.ReadFile(filepath.Join(dir, "2026-10", "team-north.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "27.5") && !strings.Contains(string(html), "+27.5") {
		t.Errorf("the team report does not show the self/lead gap")
	}
}

// An LMS posts records to the signed records webhook instead of a CSV.
func TestRecordsWebhook(t *testing.T) {
	srv, store, _ := gateway(t)
	body, err := os.ReadFile("../../shared/core/records/testdata/webhook.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/records", bytes.NewReader(body))
	req.Header.Set(generic.SignatureHeader, generic.Sign([]byte("dev-records-secret"), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	recs, err := records.ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	months := map[month.Month]bool{}
	for _, r := range recs {
		months[month.Of(r.Date, time.UTC)] = true
	}
	stored := 0
	for m := range months {
		got, err := store.Records(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		stored += len(got)
	}
	if stored != len(recs) {
		t.Errorf("stored %d of %d records", stored, len(recs))
	}
	// Unsigned: refused, nothing more stored.
	resp, err = http.Post(srv.URL+"/webhooks/records", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("unsigned records: %d", resp.StatusCode)
	}
}
