package records

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
)

func TestParseWebhookGood(t *testing.T) {
	got, err := ParseWebhook(readFile(t, "webhook.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{ID: "lms-77", Kind: Training, EngineerID: "e-001", Date: date(2026, 10, 5), Hours: 1.5, Course: "Safety", Assigned: true, Completed: true, Index: 0},
		{ID: "h-…", Kind: Training, EngineerID: "1002", Date: date(2026, 10, 6), Hours: 2, Index: 1},
		{ID: "h-…", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 20), Score: 86, Index: 2},
		{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 9), Activity: SkillSession, Count: 1, Index: 3},
		{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 10), Activity: KnowledgeShare, Count: 2, Index: 4},
		{ID: "9001", Kind: Renewals, EngineerID: "e-001", Date: date(2026, 10, 1), CustomerID: "4711", Renewed: true, Index: 5},
	}
	if diff := cmp.Diff(want, got, hashed); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	again, err := ParseWebhook(readFile(t, "webhook.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("a redelivery gives other records (-first +second):\n%s", diff)
	}
}

func TestParseWebhookSameIDsAsCSV(t *testing.T) {
	csv, err := ParseCSV(Knowledge, strings.NewReader("engineer_id,date,score\ne-1,2026-10-01,80\n"))
	if err != nil {
		t.Fatal(err)
	}
	hook, err := ParseWebhook([]byte(`{"records": [{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 80.0}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if csv[0].ID != hook[0].ID {
		t.Errorf("the same record has id %s from CSV and %s from the webhook", csv[0].ID, hook[0].ID)
	}
}

func TestParseWebhookBad(t *testing.T) {
	rec := func(fields string) string { return `{"records": [` + fields + `]}` }
	tests := []struct {
		name string
		body string
		code string
		want string // the message, or its problems after the count line
	}{
		{"empty body", "  ", errcode.Invalid, "body is empty"},
		{"not an object", `[1]`, errcode.Invalid, `body must be a JSON object {"records": [...]}`},
		{"malformed JSON", `{"records": [}`, errcode.Invalid, "malformed JSON: invalid JSON at byte 14"},
		{"an unknown top-level field", `{"records": [], "events": []}`, errcode.Invalid, `events: unknown field; the body is {"records": [...]}`},
		{"records missing", `{}`, errcode.Invalid, "records: is required"},
		{"records null", `{"records": null}`, errcode.Invalid, "records: is required"},
		{"records not an array", `{"records": {"kind": "training"}}`, errcode.Invalid, "records: must be an array of record objects"},
		{"records empty", `{"records": []}`, errcode.Invalid, "records: is empty"},
		{"too many records", rec(strings.TrimSuffix(strings.Repeat(`{},`, MaxBatch+1), ",")), errcode.TooLarge, "records: 501 records in one request; at most 500"},
		{"a record that is not an object", rec(`1`), errcode.Invalid, "records[0]: must be a record object"},
		{"kind missing", rec(`{"engineer_id": "e-1"}`), errcode.Invalid, "records[0].kind: is required (training, knowledge, collaboration, renewals)"},
		{"kind not a string", rec(`{"kind": 1}`), errcode.Invalid, "records[0].kind: must be a string"},
		{"an unknown kind", rec(`{"kind": "payroll"}`), errcode.Invalid, `records[0].kind: "payroll" is not one of training, knowledge, collaboration, renewals`},
		{"a field of another kind", rec(`{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 1, "hours": 2}`), errcode.Invalid,
			"records[0].hours: is not a field of a knowledge record (fields: kind, id, engineer_id, date, score)"},
		{"a misspelt field", rec(`{"kind": "renewals", "engineer_id": "e-1", "date": "2026-10-01", "customer_id": "c", "renewed": true, "renewd": true}`), errcode.Invalid,
			"records[0].renewd: is not a field of a renewals record (fields: kind, id, engineer_id, date, customer_id, renewed, month)"},
		{"an odd field name is quoted", rec(`{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 1, "a.b": 2}`), errcode.Invalid,
			`records[0]."a.b": is not a field of a knowledge record (fields: kind, id, engineer_id, date, score)`},
		{"a field given twice in different case", rec(`{"kind": "knowledge", "engineer_id": "e-1", "Engineer_ID": "e-2", "date": "2026-10-01", "score": 1}`), errcode.Invalid,
			"records[0].engineer_id: given twice"},
		{"wrong JSON types", rec(`{"kind": "training", "id": 1.5, "engineer_id": {}, "date": 20261001, "hours": true, "assigned": [], "course": false}`), errcode.Invalid,
			"records[0].assigned: must be true or false\nrecords[0].course: must be a string\nrecords[0].date: must be a string\nrecords[0].engineer_id: must be a string or an integer\nrecords[0].hours: must be a number\nrecords[0].id: must be a string or an integer"},
		{"values validated like CSV cells", rec(`{"kind": "collaboration", "engineer_id": "", "date": "2026-10-32", "activity": "skill_session", "attended": 2, "count": 1.5}`), errcode.Invalid,
			"records[0].engineer_id: is required\nrecords[0].date: \"2026-10-32\" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)\nrecords[0].attended: \"2\" is not yes or no (yes/no, true/false, 1/0)\nrecords[0].count: \"1.5\" is not a whole number"},
		{"renewals: date and month", rec(`{"kind": "renewals", "engineer_id": "e-1", "date": "2026-10-01", "month": "2026-10", "customer_id": "c", "renewed": false}`), errcode.Invalid,
			"records[0].month: give either date or month, not both"},
		{"every bad record named", rec(`{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 50},
			{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 150},
			{"kind": "training", "engineer_id": "e-1", "date": "2026-10-01", "hours": 30},
			{"kind": "renewals", "engineer_id": "e-1", "date": "2026-10-01", "customer_id": "c"}`), errcode.Invalid,
			"records[1].score: 150 is not between 0 and 100\nrecords[2].hours: 30 is not between 0 and 24\nrecords[3].renewed: is required (yes or no)"},
		{"the same id twice for a kind", rec(`{"kind": "knowledge", "id": 7, "engineer_id": "e-1", "date": "2026-10-01", "score": 50},
			{"kind": "training", "id": "7", "engineer_id": "e-1", "date": "2026-10-01", "hours": 1},
			{"kind": "knowledge", "id": "7", "engineer_id": "e-2", "date": "2026-10-01", "score": 50}`), errcode.Invalid,
			`records[2].id: "7" is also the id of records[0]; ids must be unique per kind in a request`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseWebhook([]byte(tc.body))
			if got != nil {
				t.Errorf("got %d records with the error, want none", len(got))
			}
			if code := errcode.Code(err); code != tc.code {
				t.Fatalf("code = %q (err %v), want %q", code, err, tc.code)
			}
			msg := errcode.Message(err)
			if _, list, ok := strings.Cut(msg, "\n"); ok && strings.HasPrefix(msg, "records webhook: ") {
				msg = list
			}
			if diff := cmp.Diff(tc.want, msg); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWebhookBoundsTheProblemList(t *testing.T) {
	bad := `{"kind": "knowledge", "engineer_id": "e-1", "date": "2026-10-01", "score": 101}`
	body := `{"records": [` + strings.TrimSuffix(strings.Repeat(bad+",", 150), ",") + `]}`
	_, err := ParseWebhook([]byte(body))
	list := problems(t, err)
	if len(list) != maxProblems+1 || list[maxProblems] != "… and 50 more" {
		t.Errorf("got %d problems ending %q, want %d and a note of the rest", len(list), list[len(list)-1], maxProblems)
	}
}

func TestParseWebhookAcceptsMaxBatch(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"records": [`)
	for i := range MaxBatch {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"kind": "collaboration", "engineer_id": "e-%d", "date": "2026-10-01", "activity": "case"}`, i%7)
	}
	b.WriteString("]}")
	got, err := ParseWebhook([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxBatch || got[MaxBatch-1].Index != MaxBatch-1 {
		t.Errorf("got %d records, the last with index %d", len(got), got[len(got)-1].Index)
	}
}
