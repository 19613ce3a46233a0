package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cli runs the command in-process and returns exit code, stdout, stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWith(&out, &errOut, func(string) string { return "" }, args...)
	return code, out.String(), errOut.String()
}

func runWith(out, errOut *bytes.Buffer, getenv func(string) string, args ...string) int {
	return run(context.Background(), &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, getenv: getenv}, args)
}

func TestScoreFileJSON(t *testing.T) {
	code, out, errOut := cli(t, "score-file", "testdata/october.jsonl", "--month", "2026-10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The scores JSON shape of DESIGN §5, decoded loosely so that every
	// required key is checked by name.
	var cards []map[string]any
	if err := json.Unmarshal([]byte(out), &cards); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(cards) != 2 {
		t.Fatalf("want 2 engineers (the agent ids), got %d", len(cards))
	}
	for _, c := range cards {
		for _, k := range []string{"engineer_id", "month", "composite", "grade", "meets_standard", "metrics", "consequences", "policy_version"} {
			if _, ok := c[k]; !ok {
				t.Errorf("card lacks %q", k)
			}
		}
		for id, m := range c["metrics"].(map[string]any) {
			for _, k := range []string{"value", "scored_value", "points", "numerator", "denominator", "n"} {
				if _, ok := m.(map[string]any)[k]; !ok {
					t.Errorf("metric %s lacks %q", id, k)
				}
			}
		}
	}
	type metricOut struct {
		Value, ScoredValue *float64
		Numerator          float64
		Denominator        float64
		N                  int
	}
	get := func(eng, id string) metricOut {
		for _, c := range cards {
			if c["engineer_id"] == eng {
				m := c["metrics"].(map[string]any)[id].(map[string]any)
				var o metricOut
				if v, ok := m["value"].(float64); ok {
					o.Value = &v
				}
				if v, ok := m["scored_value"].(float64); ok {
					o.ScoredValue = &v
				}
				o.Numerator, o.Denominator, o.N = m["numerator"].(float64), m["denominator"].(float64), int(m["n"].(float64))
				return o
			}
		}
		t.Fatalf("no engineer %s", eng)
		return metricOut{}
	}
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name, eng, metric string
		want              metricOut
	}{
		// ag-1 answered in 0.5 h; one ticket is below the minimum sample of
		// 5, so it is shrunk toward the team mean (ag-2's 3 h): (0.5 + 4·3)/5.
		{"first response is shrunk toward the team mean", "ag-1", "avg_first_response_hours", metricOut{f(0.5), f(2.5), 0.5, 1, 1}},
		// ag-2's values are shrunk toward ag-1's the same way.
		{"the system auto-reply is not ag-2's first response", "ag-2", "avg_first_response_hours", metricOut{f(3), f(1), 3, 1, 1}},
		{"a high-priority ticket resolved after 36 h breached its 8 h SLA", "ag-2", "resolution_sla_rate", metricOut{f(0), f(0.8), 0, 1, 1}},
		{"the complaint tag in any case makes a complaint", "ag-2", "complaint_rate", metricOut{f(1), f(0.2), 1, 1, 1}},
		{"csat maps rating 5 to 100", "ag-1", "csat_score", metricOut{f(100), nil, 100, 1, 1}},
		{"the duplicate resolution event counts once", "ag-2", "avg_handle_hours", metricOut{f(36), f(8.8), 36, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, get(tc.eng, tc.metric)); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.eng, tc.metric, diff)
			}
		})
	}
	for _, c := range cards {
		if c["grade"] != "" || c["meets_standard"] != nil || c["insufficient_data"] != true {
			t.Errorf("one ticket each is too little data to grade: %v %v", c["grade"], c["meets_standard"])
		}
	}
}

func TestScoreFileErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a bad line is named by its number and field", []string{"score-file", "testdata/bad.jsonl", "--month", "2026-10"}, "line 3: occurred_at"},
		{"month is required", []string{"score-file", "testdata/october.jsonl"}, "--month is required"},
		{"month must be YYYY-MM", []string{"score-file", "testdata/october.jsonl", "--month", "Oct"}, "want YYYY-MM"},
		{"one file only", []string{"score-file", "a", "b", "--month", "2026-10"}, "want one events file"},
		{"a missing file", []string{"score-file", "testdata/nope.jsonl", "--month", "2026-10"}, "no such file"},
		{"a bad policy names its field", []string{"score-file", "testdata/october.jsonl", "--month", "2026-10", "--policy", "testdata/bad.jsonl"}, "policy"},
		{"an unknown flag", []string{"score-file", "--nope"}, "nope"},
		{"an unknown command", []string{"frobnicate"}, "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(t, tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, errOut, tc.want)
			}
		})
	}
}

func TestWhatIfPolicy(t *testing.T) {
	code, out, errOut := cli(t, "score-file", "testdata/october.jsonl", "--month", "2026-10", "--json", "--policy", "testdata/whatif.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var cards []struct {
		PolicyVersion string `json:"policy_version"`
	}
	if err := json.Unmarshal([]byte(out), &cards); err != nil || cards[0].PolicyVersion != "what-if: 12h normal SLA" {
		t.Errorf("what-if policy version not used: %v %+v", err, cards)
	}
}

// The demo's path: generate an organisation, score it with its directory,
// read the table; score the next month with the first as history and see
// the weak engineers warned.
func TestGenerateThenScore(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := cli(t, "generate", "--out", dir, "--start", "2026-10", "--months", "2", "--tickets", "600", "--engineers", "20", "--teams", "3"); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	for _, f := range []string{"events.jsonl", "engineers.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := cli(t, "score-file", filepath.Join(dir, "events.jsonl"), "--month", "2026-10", "--engineers", filepath.Join(dir, "engineers.csv"))
	if code != 0 {
		t.Fatalf("score-file: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "TEAM") || !strings.Contains(out, "COMPOSITE") || strings.Count(out, "\n") < 22 {
		t.Errorf("table of 20 engineers expected:\n%s", out)
	}
	if strings.Contains(out, "warning") {
		t.Errorf("no warning is possible in a first month:\n%s", out)
	}

	code, out, errOut = cli(t, "score-file", filepath.Join(dir, "events.jsonl"), "--month", "2026-10", "--engineers", filepath.Join(dir, "engineers.csv"), "--json")
	if code != 0 {
		t.Fatalf("score-file --json: exit %d: %s", code, errOut)
	}
	history := filepath.Join(dir, "scores-2026-10.json")
	if err := os.WriteFile(history, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, "score-file", filepath.Join(dir, "events.jsonl"), "--month", "2026-11", "--engineers", filepath.Join(dir, "engineers.csv"), "--history", history)
	if code != 0 {
		t.Fatalf("score-file with history: exit %d: %s", code, errOut)
	}
	if strings.Count(out, "warning") < 2 {
		t.Errorf("the weak engineers below standard two months running should be warned:\n%s", out)
	}
	if code, _, errOut := cli(t, "score-file", filepath.Join(dir, "events.jsonl"), "--month", "2026-11", "--history", filepath.Join(dir, "engineers.csv")); code != 2 || !strings.Contains(errOut, "not a scores JSON list") {
		t.Errorf("a history file that is not scores JSON: exit %d %q", code, errOut)
	}
}

func TestPolicyCommand(t *testing.T) {
	code, out, errOut := cli(t, "policy")
	if code != 0 || !strings.Contains(out, "version:") || !strings.Contains(errOut, "is valid") {
		t.Errorf("exit %d out %q err %q", code, out[:min(80, len(out))], errOut)
	}
	if code, _, _ := cli(t, "policy", "--policy", "testdata/whatif.yaml"); code != 0 {
		t.Errorf("what-if policy rejected: exit %d", code)
	}
}

func TestHelp(t *testing.T) {
	if code, _, errOut := cli(t); code != 2 || !strings.Contains(errOut, "score-file") {
		t.Errorf("no args: exit %d %q", code, errOut)
	}
	if code, _, _ := cli(t, "help"); code != 0 {
		t.Errorf("help: exit %d", code)
	}
	if code, _, errOut := cli(t, "score-file", "-h"); code != 0 || !strings.Contains(errOut, "usage") {
		t.Errorf("score-file -h: exit %d %q", code, errOut)
	}
}

// A month that has ended is scored as of its end: an urgent ticket whose
// four hours ran out before the month ended is a breach even though the
// file's last event is its creation. While the month runs, the file's
// latest event is the time of scoring.
func TestScoreFileAsOfTheMonthsEnd(t *testing.T) {
	events := `{"event_id": "c", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-31T10:00:00Z", "priority": "urgent", "assignee_id": "E1", "actor": {"id": "c-1", "kind": "customer"}}` + "\n"
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, []byte(events), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want int // breaches of E1
	}{
		{"after the month: its end", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), 1},
		{"inside the month: the file's latest event", time.Date(2026, 10, 31, 11, 0, 0, 0, time.UTC), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: func() time.Time { return tc.now }}
			if code := run(context.Background(), e, []string{"score-file", path, "--month", "2026-10", "--json"}); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var cards []struct {
				EngineerID string `json:"engineer_id"`
				Metrics    map[string]struct {
					Numerator   float64 `json:"numerator"`
					Denominator float64 `json:"denominator"`
				} `json:"metrics"`
			}
			if err := json.Unmarshal(out.Bytes(), &cards); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			breaches := 0 // no card: nothing credited to E1 yet
			for _, c := range cards {
				if sla := c.Metrics["resolution_sla_rate"]; c.EngineerID == "E1" {
					breaches = int(sla.Denominator - sla.Numerator)
				}
			}
			if breaches != tc.want {
				t.Errorf("E1 breaches %d, want %d: %s", breaches, tc.want, out.String())
			}
		})
	}
}
