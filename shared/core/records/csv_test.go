package records

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/core/errcode"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFile(t *testing.T, kind Kind, name string) []Record {
	t.Helper()
	got, err := ParseCSV(kind, bytes.NewReader(readFile(t, name)))
	if err != nil {
		t.Fatalf("ParseCSV(%s, %s): %v", kind, name, err)
	}
	return got
}

// problems returns the problems of a *ParseError, failing the test for any
// other outcome.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *ParseError", err)
	}
	if errcode.Code(err) != errcode.Invalid {
		t.Fatalf("code = %q, want %q", errcode.Code(err), errcode.Invalid)
	}
	return pe.Problems
}

// hashed blanks the ids that ParseCSV made up, which are checked on their own.
var hashed = cmp.Transformer("hashed", func(r Record) Record {
	if strings.HasPrefix(r.ID, "h-") {
		r.ID = "h-…"
	}
	return r
})

var ignoreLine = cmpopts.IgnoreFields(Record{}, "Line")

func TestParseCSVGoodFiles(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		file string
		want []Record
	}{
		{"training: sessions and course statuses, yes/no in any spelling", Training, "training.csv", []Record{
			{ID: "h-…", Kind: Training, EngineerID: "e-001", Date: date(2026, 10, 5), Hours: 1.5, Course: "Safety refresher", Assigned: true, Completed: true, Line: 2},
			{ID: "h-…", Kind: Training, EngineerID: "e-001", Date: date(2026, 10, 12), Hours: 2, Course: "Product X, advanced", Assigned: true, Line: 3},
			{ID: "LMS-9", Kind: Training, EngineerID: "e-002", Date: date(2026, 10, 3), Hours: 3, Line: 4},
			{ID: "h-…", Kind: Training, EngineerID: "e-002", Date: date(2026, 10, 20), Course: "Compliance 2026", Assigned: true, Completed: true, Line: 5},
			{ID: "h-…", Kind: Training, EngineerID: "e-002", Date: date(2026, 10, 21), Course: "Customer empathy", Assigned: true, Line: 6},
			{ID: "h-…", Kind: Training, EngineerID: "e-003", Date: date(2026, 9, 30), Hours: 4, Course: "Late September", Line: 7},
		}},
		{"knowledge: scores", Knowledge, "knowledge.csv", []Record{
			{ID: "KA-1", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 2), Score: 72, Line: 2},
			{ID: "KA-2", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 28), Score: 86.5, Line: 3},
			{ID: "h-…", Kind: Knowledge, EngineerID: "e-002", Date: date(2026, 10, 15), Score: 90, Line: 4},
			{ID: "h-…", Kind: Knowledge, EngineerID: "e-003", Date: date(2026, 11, 1), Score: 60, Line: 5},
		}},
		{"knowledge: BOM, reordered columns in any case, CRLF, blank rows", Knowledge, "knowledge_reordered_bom.csv", []Record{
			{ID: "h-…", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 2), Score: 72, Line: 2},
			{ID: "h-…", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 28), Score: 86.5, Line: 5},
		}},
		{"collaboration: activities in any spelling, count defaults to 1", Collaboration, "collaboration.csv", []Record{
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 6), Activity: KnowledgeShare, Count: 1, Line: 2},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 20), Activity: KnowledgeShare, Count: 2, Line: 3},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 8), Activity: SkillSession, Attended: true, Count: 1, Line: 4},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 22), Activity: SkillSession, Count: 1, Line: 5},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-001", Date: date(2026, 10, 15), Activity: Case, Count: 3, Line: 6},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-002", Date: date(2026, 10, 8), Activity: SkillSession, Attended: true, Count: 1, Line: 7},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-002", Date: date(2026, 10, 15), Activity: Case, Count: 1, Line: 8},
			{ID: "h-…", Kind: Collaboration, EngineerID: "e-002", Date: date(2026, 10, 15), Activity: Case, Count: 1, Line: 9},
		}},
		{"renewals: a date or just the month", Renewals, "renewals.csv", []Record{
			{ID: "h-…", Kind: Renewals, EngineerID: "e-001", Date: date(2026, 10, 31), CustomerID: "C-100", Renewed: true, Line: 2},
			{ID: "h-…", Kind: Renewals, EngineerID: "e-001", Date: date(2026, 10, 1), CustomerID: "C-101", Line: 3},
			{ID: "R-7", Kind: Renewals, EngineerID: "e-002", Date: date(2026, 10, 15), CustomerID: "C-200", Renewed: true, Line: 4},
			{ID: "h-…", Kind: Renewals, EngineerID: "e-002", Date: date(2026, 11, 1), CustomerID: "C-201", Line: 5},
		}},
		{"renewals: a month column instead of date", Renewals, "renewals_month.csv", []Record{
			{ID: "h-…", Kind: Renewals, EngineerID: "e-001", Date: date(2026, 10, 1), CustomerID: "C-100", Renewed: true, Line: 2},
			{ID: "h-…", Kind: Renewals, EngineerID: "e-002", Date: date(2026, 10, 1), CustomerID: "C-200", Line: 3},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parseFile(t, tc.kind, tc.file)
			if diff := cmp.Diff(tc.want, got, hashed); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			seen := map[string]bool{}
			for _, r := range got {
				if seen[r.ID] {
					t.Errorf("id %q given to two records", r.ID)
				}
				seen[r.ID] = true
			}
		})
	}
}

func TestParseCSVSameFileSameIDs(t *testing.T) {
	for _, kind := range Kinds {
		t.Run(string(kind), func(t *testing.T) {
			first := parseFile(t, kind, string(kind)+".csv")
			second := parseFile(t, kind, string(kind)+".csv")
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("second import (-first +second):\n%s", diff)
			}
		})
	}
}

func TestParseCSVIDs(t *testing.T) {
	ids := func(t *testing.T, kind Kind, csv string) []string {
		t.Helper()
		recs, err := ParseCSV(kind, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs {
			out = append(out, r.ID)
		}
		return out
	}
	const header = "engineer_id,date,activity,count\n"
	a := ids(t, Collaboration, header+"e-1,2026-10-01,case,1\ne-1,2026-10-02,case,1\n")
	b := ids(t, Collaboration, header+"e-1,2026-10-02,case,1\ne-1,2026-10-01,case,1\n")

	t.Run("a row's id does not depend on its position", func(t *testing.T) {
		if a[0] != b[1] || a[1] != b[0] {
			t.Errorf("ids %v and %v of the same rows swapped differ", a, b)
		}
	})
	t.Run("ids are hashes of the normalised row", func(t *testing.T) {
		c := ids(t, Collaboration, " Engineer_ID , Date,Activity\ne-1,2026-10-01,Case\n")
		if c[0] != a[0] {
			t.Errorf("id %s of the same row spelled differently, want %s", c[0], a[0])
		}
	})
	t.Run("identical rows are distinct records, stable on re-import", func(t *testing.T) {
		twice := header + "e-1,2026-10-01,case,1\ne-1,2026-10-01,case,1\n"
		c := ids(t, Collaboration, twice)
		if c[0] != a[0] || c[1] == c[0] {
			t.Errorf("ids = %v, want the first %s and the second another", c, a[0])
		}
		if diff := cmp.Diff(c, ids(t, Collaboration, twice)); diff != "" {
			t.Errorf("re-import (-first +second):\n%s", diff)
		}
	})
	t.Run("a made-up id never takes a given one", func(t *testing.T) {
		c := ids(t, Collaboration, "id,"+header+a[0]+",e-1,2026-10-01,case,1\n,e-1,2026-10-01,case,1\n")
		if c[0] != a[0] || c[1] == a[0] {
			t.Errorf("ids = %v, want %s given and another made up", c, a[0])
		}
	})
	t.Run("the same row in another kind has another id", func(t *testing.T) {
		k := ids(t, Knowledge, "engineer_id,date,score\ne-1,2026-10-01,1\n")
		tr := ids(t, Training, "engineer_id,date,hours\ne-1,2026-10-01,1\n")
		if k[0] == tr[0] {
			t.Errorf("knowledge and training rows share id %s", k[0])
		}
	})
	t.Run("a changed value is another record", func(t *testing.T) {
		no := ids(t, Renewals, "engineer_id,date,customer_id,renewed\ne-1,2026-10-01,C-1,no\n")
		yes := ids(t, Renewals, "engineer_id,date,customer_id,renewed\ne-1,2026-10-01,C-1,yes\n")
		if no[0] == yes[0] {
			t.Errorf("renewed and not renewed share id %s", no[0])
		}
	})
}

func TestParseCSVBadFileNamesEveryLine(t *testing.T) {
	got, err := ParseCSV(Training, bytes.NewReader(readFile(t, "training_bad.csv")))
	if got != nil {
		t.Errorf("got %d records with the error, want none", len(got))
	}
	want := []string{
		`line 3: engineer_id: is required`,
		`line 4: date: "10/5/2026" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)`,
		`line 5: hours: 25 is not between 0 and 24`,
		`line 6: hours: "1,5" is not a number (use a decimal point)`,
		`line 7: assigned: "maybe" is not yes or no (yes/no, true/false, 1/0)`,
		`line 8: hours: is required, unless the row is the status of an assigned course (assigned = yes)`,
		`line 10: id: "T-1" is also the id on line 9; ids must be unique in a file (or leave them empty)`,
		`line 11: row: has 4 fields, the header has 7`,
		`line 12: hours: -1 is not between 0 and 24`,
	}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if msg := errcode.Message(err); !strings.HasPrefix(msg, "training CSV: 9 problems\nline 3: ") {
		t.Errorf("message = %q, want the count then every problem", msg)
	}
}

func TestParseCSVBadRows(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		csv  string
		want []string
	}{
		{"knowledge: score out of range, missing, not a number", Knowledge,
			"engineer_id,date,score\ne-1,2026-10-01,101\ne-1,2026-10-01,\ne-1,2026-10-01,NaN\ne-1,2026-10-01,0x1p3\ne-1,2026-10-01,1e999\n",
			[]string{
				`line 2: score: 101 is not between 0 and 100`,
				`line 3: score: is required (0 to 100)`,
				`line 4: score: "NaN" is not a number`,
				`line 5: score: "0x1p3" is not a number`,
				`line 6: score: "1e999" is not a number`,
			}},
		{"dates: missing, impossible, out of range, not zero padded", Knowledge,
			"engineer_id,date,score\ne-1,,1\ne-1,2026-02-30,1\ne-1,1999-12-31,1\ne-1,2026-1-5,1\ne-1,2026-10,1\n",
			[]string{
				`line 2: date: is required (YYYY-MM-DD)`,
				`line 3: date: "2026-02-30" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)`,
				`line 4: date: "1999-12-31" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)`,
				`line 5: date: "2026-1-5" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)`,
				`line 6: date: "2026-10" is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)`,
			}},
		{"collaboration: activity, attended for a skill session, count", Collaboration,
			"engineer_id,date,activity,attended,count\n" +
				"e-1,2026-10-01,pairing,,\n" +
				"e-1,2026-10-01,,,\n" +
				"e-1,2026-10-01,skill_session,,\n" +
				"e-1,2026-10-01,skill_session,perhaps,\n" +
				"e-1,2026-10-01,case,,1.5\n" +
				"e-1,2026-10-01,case,,-1\n" +
				"e-1,2026-10-01,case,,1001\n" +
				"e-1,2026-10-01,case,,many\n" +
				"e-1,2026-10-01,case,,99999999999999999999\n" +
				"e-1,2026-10-01,case,whatever,0\n",
			[]string{
				`line 2: activity: "pairing" is not one of knowledge_share, skill_session, case`,
				`line 3: activity: is required (knowledge_share, skill_session, case)`,
				`line 4: attended: is required (yes or no)`,
				`line 5: attended: "perhaps" is not yes or no (yes/no, true/false, 1/0)`,
				`line 6: count: "1.5" is not a whole number`,
				`line 7: count: -1 is not between 0 and 1000`,
				`line 8: count: 1001 is not between 0 and 1000`,
				`line 9: count: "many" is not a number`,
				`line 10: count: 99999999999999999999 is not between 0 and 1000`,
			}},
		{"collaboration: a skill session without an attended column", Collaboration,
			"engineer_id,date,activity\ne-1,2026-10-01,skill_session\ne-1,2026-10-01,case\n",
			[]string{`line 2: attended: is required (yes or no)`}},
		{"renewals: customer and renewed required, month or date", Renewals,
			"engineer_id,date,customer_id,renewed\ne-1,2026-10-01,,yes\ne-1,2026-10-01,C-1,\ne-1,,C-1,no\ne-1,2026-13,C-1,no\n",
			[]string{
				`line 2: customer_id: is required`,
				`line 3: renewed: is required (yes or no)`,
				`line 4: date: is required (YYYY-MM-DD, or a month YYYY-MM)`,
				`line 5: date: "2026-13" is not a date YYYY-MM-DD or a month YYYY-MM between 2000 and 2099 (format the column as text)`,
			}},
		{"renewals: month column", Renewals,
			"engineer_id,month,customer_id,renewed\ne-1,2026-10-05,C-1,yes\ne-1,,C-1,yes\ne-1,1999-12,C-1,yes\n",
			[]string{
				`line 2: month: "2026-10-05" is not a month YYYY-MM between 2000 and 2099`,
				`line 3: date: is required (YYYY-MM-DD, or a month YYYY-MM)`,
				`line 4: month: "1999-12" is not a month YYYY-MM between 2000 and 2099`,
			}},
		{"text: control characters, invalid UTF-8, too long", Training,
			"engineer_id,date,hours,course\ne-1,2026-10-01,1,\"a\x01b\"\ne-1\xff,2026-10-01,1,\ne-1,2026-10-01,1," + strings.Repeat("x", 257) + "\ne-1,2026-10-01,1,\uFFFD\n",
			[]string{
				`line 2: course: "a\x01b" contains a control character`,
				`line 3: engineer_id: is not valid UTF-8 (save the file as "CSV UTF-8")`,
				`line 4: course: is longer than 256 bytes`,
				`line 5: course: contains an invalid character`,
			}},
		{"rows: too short, too long, a broken quote", Knowledge,
			"engineer_id,date,score\ne-1,2026-10-01\ne-1,2026-10-01,1,x\ne-1,2026-10-01,\"1\n",
			[]string{
				`line 2: row: has 2 fields, the header has 3`,
				`line 3: row: has 4 fields, the header has 3`,
				`line 4: row: extraneous or missing " in quoted-field`,
			}},
		{"the same id twice", Knowledge,
			"id,engineer_id,date,score\nk,e-1,2026-10-01,1\nk,e-2,2026-10-01,1\n",
			[]string{`line 3: id: "k" is also the id on line 2; ids must be unique in a file (or leave them empty)`}},
		{"training: hours may only be left out for an assigned course", Training,
			"engineer_id,date,assigned\ne-1,2026-10-01,no\ne-1,2026-10-01,\ne-1,2026-10-01,yes\n",
			[]string{
				`line 2: hours: is required, unless the row is the status of an assigned course (assigned = yes)`,
				`line 3: hours: is required, unless the row is the status of an assigned course (assigned = yes)`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(tc.kind, strings.NewReader(tc.csv))
			if got != nil {
				t.Errorf("got %d records with the error, want none", len(got))
			}
			if diff := cmp.Diff(tc.want, problems(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCSVHeader(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		csv  string
		want []string
	}{
		{"empty file", Training, "", []string{`line 1: header: missing: the file is empty`}},
		{"only a byte-order mark", Training, "\uFEFF", []string{`line 1: header: missing: the file is empty`}},
		{"semicolons", Knowledge, "engineer_id;date;score\ne-1;2026-10-01;1\n",
			[]string{`line 1: header: columns must be separated by commas`}},
		{"missing required columns", Knowledge, "id,date\n", []string{
			`line 1: header: missing column "engineer_id"`,
			`line 1: header: missing column "score"`,
		}},
		{"unknown, repeated and unnamed columns", Knowledge, "engineer_id,date,score,hours,Date,,x\n", []string{
			`line 1: header: unknown column "hours"; knowledge columns are id, engineer_id, date, score`,
			`line 1: header: column "date" appears twice`,
			`line 1: header: column 6 has no name`,
			`line 1: header: unknown column "x"; knowledge columns are id, engineer_id, date, score`,
		}},
		{"training needs hours or assigned", Training, "engineer_id,date,course\n", []string{
			`line 1: header: needs an "hours" column (sessions) or an "assigned" column (course status), or both`,
		}},
		{"renewals need a date or a month", Renewals, "engineer_id,customer_id,renewed\n", []string{
			`line 1: header: missing column "date" (or "month")`,
		}},
		{"renewals take a date or a month, not both", Renewals, "engineer_id,date,month,customer_id,renewed\n", []string{
			`line 1: header: has both "date" and "month"; keep one`,
		}},
		{"month is for renewals only", Training, "engineer_id,month,hours\n", []string{
			`line 1: header: unknown column "month"; training columns are id, engineer_id, date, hours, course, assigned, completed`,
			`line 1: header: missing column "date"`,
		}},
		{"a broken quote in the header", Knowledge, "\"engineer_id,date,score\n", []string{
			`line 1: header: extraneous or missing " in quoted-field`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(tc.kind, strings.NewReader(tc.csv))
			if got != nil {
				t.Errorf("got %d records with the error, want none", len(got))
			}
			if diff := cmp.Diff(tc.want, problems(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCSVLenientLayout(t *testing.T) {
	tests := []struct {
		name string
		csv  string
	}{
		{"trailing empty columns of a spreadsheet", "engineer_id,date,score,,\ne-1,2026-10-01,50,,\n"},
		{"spaces around cells and names", "  engineer_id , date ,score\n  e-1 , 2026-10-01 , 50 \n"},
		{"a header only: no records", "engineer_id,date,score\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(Knowledge, strings.NewReader(tc.csv))
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("records = nil, want a slice")
			}
			for _, r := range got {
				if r.EngineerID != "e-1" || r.Score != 50 || !r.Date.Equal(date(2026, 10, 1)) {
					t.Errorf("record = %+v", r)
				}
			}
		})
	}
}

func TestParseCSVYesNo(t *testing.T) {
	for _, tc := range []struct {
		cell string
		want bool
	}{
		{"yes", true}, {"YES", true}, {"Yes", true}, {"true", true}, {"TRUE", true}, {"1", true},
		{"no", false}, {"No", false}, {"false", false}, {"False", false}, {"0", false}, {"", false},
	} {
		t.Run(tc.cell, func(t *testing.T) {
			got, err := ParseCSV(Training, strings.NewReader("engineer_id,date,hours,assigned,completed\ne-1,2026-10-01,1,"+tc.cell+","+tc.cell+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Assigned != tc.want || got[0].Completed != tc.want {
				t.Errorf("assigned, completed = %v, %v; want %v", got[0].Assigned, got[0].Completed, tc.want)
			}
		})
	}
}

func TestParseCSVUnknownKind(t *testing.T) {
	_, err := ParseCSV("payroll", strings.NewReader("engineer_id\n"))
	if errcode.Code(err) != errcode.Invalid || !strings.Contains(errcode.Message(err), "training, knowledge, collaboration, renewals") {
		t.Errorf("err = %v, want an invalid error listing the kinds", err)
	}
}

func TestParseCSVReadFailure(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"in the header", ""},
		{"in a row", "engineer_id,date,score\ne-1,2026-10-01,1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader(tc.in), iotest.ErrReader(boom))
			_, err := ParseCSV(Knowledge, r)
			if !errors.Is(err, boom) {
				t.Errorf("err = %v, want the read error", err)
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				t.Errorf("a read failure is a *ParseError: %v", err)
			}
		})
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	files := map[Kind][]string{
		Training:      {"training.csv"},
		Knowledge:     {"knowledge.csv", "knowledge_reordered_bom.csv"},
		Collaboration: {"collaboration.csv"},
		Renewals:      {"renewals.csv", "renewals_month.csv"},
	}
	for _, kind := range Kinds {
		for _, file := range files[kind] {
			t.Run(file, func(t *testing.T) {
				first := parseFile(t, kind, file)
				var buf bytes.Buffer
				if err := WriteCSV(&buf, kind, first); err != nil {
					t.Fatal(err)
				}
				if header, _, _ := strings.Cut(buf.String(), "\n"); header != strings.Join(Columns(kind), ",") {
					t.Errorf("header = %q, want Columns", header)
				}
				second, err := ParseCSV(kind, &buf)
				if err != nil {
					t.Fatalf("ParseCSV(WriteCSV(...)): %v", err)
				}
				if diff := cmp.Diff(first, second, ignoreLine); diff != "" {
					t.Errorf("round trip (-first +second):\n%s", diff)
				}
			})
		}
	}
}

func TestWriteCSVWritesNormalisedRows(t *testing.T) {
	recs := []Record{
		{ID: "c-1", Kind: Collaboration, EngineerID: "e-1", Date: date(2026, 10, 1), Activity: SkillSession, Count: 2},
		{ID: "c-2", Kind: Collaboration, EngineerID: "e-1", Date: date(2026, 10, 2), Activity: Case, Attended: true, Count: 1},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Collaboration, recs); err != nil {
		t.Fatal(err)
	}
	want := "id,engineer_id,date,activity,attended,count\n" +
		"c-1,e-1,2026-10-01,skill_session,no,2\n" +
		"c-2,e-1,2026-10-02,case,,1\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
}

func TestWriteCSVErrors(t *testing.T) {
	t.Run("a record of another kind", func(t *testing.T) {
		err := WriteCSV(&bytes.Buffer{}, Training, []Record{{ID: "k", Kind: Knowledge}})
		if err == nil || !strings.Contains(err.Error(), `record 0 (id "k") is a knowledge record`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an unknown kind", func(t *testing.T) {
		if err := WriteCSV(&bytes.Buffer{}, "payroll", nil); errcode.Code(err) != errcode.Invalid {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("a failing writer", func(t *testing.T) {
		if err := WriteCSV(failWriter{}, Knowledge, []Record{{Kind: Knowledge}}); err == nil {
			t.Error("err = nil, want the write error")
		}
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestColumns(t *testing.T) {
	got := map[Kind]string{}
	for _, k := range Kinds {
		got[k] = strings.Join(Columns(k), ",")
	}
	want := map[Kind]string{
		Training:      "id,engineer_id,date,hours,course,assigned,completed",
		Knowledge:     "id,engineer_id,date,score",
		Collaboration: "id,engineer_id,date,activity,attended,count",
		Renewals:      "id,engineer_id,date,customer_id,renewed",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	c := Columns(Training)
	c[0] = "changed"
	if Columns(Training)[0] != "id" {
		t.Error("Columns returns the package's own slice")
	}
	if Columns("payroll") != nil {
		t.Error("Columns of an unknown kind is not nil")
	}
}

func TestParseKind(t *testing.T) {
	for _, s := range []string{"training", " Knowledge ", "COLLABORATION", "renewals"} {
		if _, err := ParseKind(s); err != nil {
			t.Errorf("ParseKind(%q): %v", s, err)
		}
	}
	if _, err := ParseKind("renewal"); errcode.Code(err) != errcode.Invalid {
		t.Errorf("ParseKind(renewal) err = %v, want invalid", err)
	}
}

func TestMessagesClipLongValues(t *testing.T) {
	long := strings.Repeat("知", 30) // 90 bytes; the cut falls inside a character
	_, err := ParseCSV(Collaboration, strings.NewReader("engineer_id,date,activity\ne-1,2026-10-01,"+long+"\n"))
	want := []string{`line 2: activity: "` + strings.Repeat("知", 13) + `…" is not one of knowledge_share, skill_session, case`}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestDocTablesMatchColumns keeps the column tables of the package doc,
// which HR reads, in step with the code.
func TestDocTablesMatchColumns(t *testing.T) {
	doc := string(readFile(t, "../doc.go"))
	var tables [][]string
	inTable := false
	for _, line := range strings.Split(doc, "\n") {
		cell, ok := strings.CutPrefix(line, "//\t|")
		if !ok {
			inTable = false
			continue
		}
		name := strings.TrimSpace(strings.Split(cell, "|")[0])
		switch {
		case name == "column":
			tables = append(tables, nil)
			inTable = true
		case inTable && !strings.HasPrefix(name, "-"):
			tables[len(tables)-1] = append(tables[len(tables)-1], name)
		}
	}
	if len(tables) != len(Kinds) {
		t.Fatalf("found %d tables, want one per kind", len(tables))
	}
	for i, k := range Kinds {
		if diff := cmp.Diff(Columns(k), tables[i]); diff != "" {
			t.Errorf("%s table (-Columns +doc):\n%s", k, diff)
		}
	}
}
