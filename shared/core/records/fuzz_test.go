package records

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/core/errcode"
)

// FuzzParseCSV checks, for every kind (picked by the first argument), that
// no file makes ParseCSV panic, that a rejection is a *ParseError with
// problems and no records, and that an accepted file gives valid records
// with unique ids that survive WriteCSV and ParseCSV unchanged.
func FuzzParseCSV(f *testing.F) {
	for i, k := range Kinds {
		f.Add(uint8(i), readFile(f, string(k)+".csv"))
	}
	f.Add(uint8(1), readFile(f, "knowledge_reordered_bom.csv"))
	f.Add(uint8(3), readFile(f, "renewals_month.csv"))
	f.Add(uint8(0), readFile(f, "training_bad.csv"))
	f.Add(uint8(0), []byte("engineer_id,date,hours,course\ne-1,2026-10-01,-0,\"a \"\"b\"\"\"\n"))
	f.Add(uint8(2), []byte("engineer_id,date,activity,attended,count\ne,2026-10-01,skill session,TRUE,+0\n"))
	f.Add(uint8(1), []byte(""))
	f.Add(uint8(1), []byte("\uFEFF"))

	f.Fuzz(func(t *testing.T, k uint8, in []byte) {
		kind := Kinds[int(k)%len(Kinds)]
		first, err := ParseCSV(kind, bytes.NewReader(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 || errcode.Code(err) != errcode.Invalid {
				t.Fatalf("err = %v, want a *ParseError with problems", err)
			}
			if first != nil {
				t.Fatalf("records = %v alongside an error", first)
			}
			return
		}
		checkValid(t, first)
		var buf bytes.Buffer
		if err := WriteCSV(&buf, kind, first); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		second, err := ParseCSV(kind, &buf)
		if err != nil {
			t.Fatalf("ParseCSV(WriteCSV(...)): %v\nCSV:\n%s", err, buf.String())
		}
		if diff := cmp.Diff(first, second, ignoreLine); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzParseWebhook checks that no body makes ParseWebhook panic, that a
// rejection is an invalid or too-large coded error with a message and no
// records, and that accepted records are valid, with unique ids, and read
// back the same from each kind's CSV.
func FuzzParseWebhook(f *testing.F) {
	f.Add(readFile(f, "webhook.json"))
	f.Add([]byte(`{"records": [{"kind": "renewals", "engineer_id": 1, "date": "2026-10", "customer_id": "c", "renewed": "YES"}]}`))
	f.Add([]byte(`{"records": [{"kind": "training", "engineer_id": "e", "date": "2026-10-01", "hours": "1e1", "Course": null}]}`))
	f.Add([]byte(`{"records": [{"kind": "knowledge", "engineer_id": "e", "date": "2026-10-01", "score": 101}, 1]}`))
	f.Add([]byte(`{"records": []}`))
	f.Add([]byte(`{"records": {}}`))
	f.Add([]byte(`{`))

	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseWebhook(body)
		if err != nil {
			if code := errcode.Code(err); code != errcode.Invalid && code != errcode.TooLarge {
				t.Fatalf("code = %q (err %v), want invalid or too large", code, err)
			}
			if errcode.Message(err) == "" {
				t.Fatalf("error %v has no message", err)
			}
			if got != nil {
				t.Fatalf("got %d records with the error %v", len(got), err)
			}
			return
		}
		if len(got) == 0 || len(got) > MaxBatch {
			t.Fatalf("got %d records without an error", len(got))
		}
		checkValid(t, got)
		for i, r := range got {
			if r.Index != i || r.Line != 0 {
				t.Fatalf("records[%d] has index %d, line %d", i, r.Index, r.Line)
			}
		}
		for _, kind := range Kinds {
			var of []Record
			for _, r := range got {
				if r.Kind == kind {
					of = append(of, r)
				}
			}
			var buf bytes.Buffer
			if err := WriteCSV(&buf, kind, of); err != nil {
				t.Fatalf("WriteCSV: %v", err)
			}
			back, err := ParseCSV(kind, &buf)
			if err != nil {
				t.Fatalf("ParseCSV(WriteCSV(...)): %v\nCSV:\n%s", err, buf.String())
			}
			if diff := cmp.Diff(of, back, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Record{}, "Line", "Index")); diff != "" {
				t.Fatalf("%s via CSV (-webhook +CSV):\n%s", kind, diff)
			}
		}
	})
}

// checkValid checks what every parsed record promises.
func checkValid(t *testing.T, recs []Record) {
	t.Helper()
	ids := map[key]bool{}
	for i, r := range recs {
		if r.ID == "" || r.EngineerID == "" || r.Date.IsZero() || r.Date.Location() != r.Date.UTC().Location() {
			t.Fatalf("records[%d] = %+v is incomplete", i, r)
		}
		if ids[key{r.Kind, r.ID}] {
			t.Fatalf("records[%d]: id %q twice", i, r.ID)
		}
		ids[key{r.Kind, r.ID}] = true
		if r.Hours < 0 || r.Hours > MaxHours || r.Score < 0 || r.Score > MaxScore || r.Count < 0 || r.Count > MaxCount {
			t.Fatalf("records[%d] = %+v is out of range", i, r)
		}
		if r.Kind == Collaboration && r.Activity != KnowledgeShare && r.Activity != SkillSession && r.Activity != Case {
			t.Fatalf("records[%d] has activity %q", i, r.Activity)
		}
		if r.Kind == Renewals && r.CustomerID == "" {
			t.Fatalf("records[%d] has no customer", i)
		}
	}
}
