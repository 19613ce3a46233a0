package directory

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
)

const header = "id,name,email,team,manager_email,hire_date,base_bonus,zendesk_id,freshdesk_id,jira_account_id,generic_id,locale\n"

// goodRow is a valid row for header; tests change one cell at a time.
var goodRow = map[string]string{
	"id": "e-1", "name": "Ann", "email": "ann@example.com", "team": "Desk",
	"manager_email": "boss@example.com", "hire_date": "2025-02-03", "base_bonus": "100",
	"zendesk_id": "z1", "freshdesk_id": "f1", "jira_account_id": "j1", "generic_id": "g1", "locale": "en",
}

// row returns goodRow with the given cells changed, as a CSV line for header.
func row(changes map[string]string) string {
	cells := make([]string, len(columns))
	for i, c := range columns {
		cells[i] = goodRow[c]
		if v, ok := changes[c]; ok {
			cells[i] = v
		}
	}
	return strings.Join(cells, ",") + "\n"
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problems returns the problems of a *ParseError, failing the test for any
// other outcome.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *ParseError", err)
	}
	return pe.Problems
}

func TestParseCSVValidFile(t *testing.T) {
	got, err := ParseCSV(bytes.NewReader(readFile(t, "valid.csv")))
	if err != nil {
		t.Fatal(err)
	}
	want := []Engineer{
		{
			ID: "e-001", Name: "Li Wei", Email: "li.wei@example.com", Team: "Shanghai Field",
			ManagerEmail: "zhang.min@example.com", HireDate: date(2024, 3, 18), BaseBonus: 8000, Locale: "zh-CN",
			External: map[string]string{"zendesk": "360012345", "jira": "5b10ac8d82e05b22cc7d4ef5", "generic": "li.wei"},
		},
		{
			ID: "e-002", Name: "Ann O'Brien, Jr.", Email: "ann.obrien@example.com", Team: "London Desk",
			ManagerEmail: "mark.hill@example.com", HireDate: date(2019, 11, 4), BaseBonus: 5500.5, Locale: "en",
			External: map[string]string{"zendesk": "360012346", "freshdesk": "43000001", "generic": "ann"},
		},
		{
			ID: "e-003", Name: "王芳", Email: "wang.fang@example.com", Team: "Shanghai Field",
			ManagerEmail: "zhang.min@example.com",
			External:     map[string]string{"freshdesk": "43000002", "jira": "5b10ac8d82e05b22cc7d4ef6"},
		},
		{
			ID: "e-004", Name: "Ravi Kumar", Email: "ravi.kumar@example.com", Team: "London Desk",
			ManagerEmail: "mark.hill@example.com", HireDate: date(2026, 10, 1), Locale: "en",
			External: map[string]string{"zendesk": "360012347"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseCSV(valid.csv) (-want +got):\n%s", diff)
	}
}

func TestParseCSVHeader(t *testing.T) {
	const canonical = "id,name,email,team,manager_email,hire_date,base_bonus,zendesk_id,freshdesk_id,jira_account_id,generic_id"
	kim := Engineer{
		ID: "e-9", Name: "Kim Ji-woo", Email: "kim@example.com", Team: "APAC", ManagerEmail: "lee@example.com",
		HireDate: date(2025, 1, 6), BaseBonus: 1200, External: map[string]string{"zendesk": "901", "generic": "kim"},
	}
	tests := []struct {
		name     string
		in       string
		want     []Engineer
		problems []string
	}{
		{
			name: "any order, any case, trimmed, BOM tolerated, locale optional",
			in:   string(readFile(t, "reordered_bom.csv")),
			want: []Engineer{kim},
		},
		{
			name: "header only is an empty directory",
			in:   header,
			want: []Engineer{},
		},
		{
			name: "quoted header with a BOM",
			in:   "\uFEFF\"id\"" + strings.TrimPrefix(header, "id"),
			want: []Engineer{},
		},
		{
			name:     "empty file has no header",
			in:       "",
			problems: []string{"line 1: header: missing: the file is empty"},
		},
		{
			name:     "unknown column rejected",
			in:       canonical + ",Phone\n",
			problems: []string{`line 1: header: unknown column "Phone"`},
		},
		{
			name:     "missing column named",
			in:       strings.Replace(canonical, ",jira_account_id", "", 1) + "\n",
			problems: []string{`line 1: header: missing column "jira_account_id"`},
		},
		{
			name:     "repeated column rejected",
			in:       canonical + ",ID\n",
			problems: []string{`line 1: header: column "id" appears twice`},
		},
		{
			name:     "column without a name rejected",
			in:       canonical + ",\n",
			problems: []string{"line 1: header: column 12 has no name"},
		},
		{
			name:     "semicolons instead of commas",
			in:       strings.ReplaceAll(canonical, ",", ";") + "\n",
			problems: []string{"line 1: header: columns must be separated by commas"},
		},
		{
			name:     "broken quoting in the header",
			in:       "id,\"name\n",
			problems: []string{`line 1: header: extraneous or missing " in quoted-field`},
		},
		{
			name: "header problems are all reported before any row",
			in:   "id,name,nickname\n" + "x,y,z\n",
			problems: []string{
				`line 1: header: unknown column "nickname"`,
				`line 1: header: missing column "email"`,
				`line 1: header: missing column "team"`,
				`line 1: header: missing column "manager_email"`,
				`line 1: header: missing column "hire_date"`,
				`line 1: header: missing column "base_bonus"`,
				`line 1: header: missing column "zendesk_id"`,
				`line 1: header: missing column "freshdesk_id"`,
				`line 1: header: missing column "jira_account_id"`,
				`line 1: header: missing column "generic_id"`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(strings.NewReader(tc.in))
			if tc.problems != nil {
				if got != nil {
					t.Errorf("engineers = %v, want none", got)
				}
				if diff := cmp.Diff(tc.problems, problems(t, err)); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("engineers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCSVRowRules(t *testing.T) {
	tests := []struct {
		name     string
		rows     []map[string]string // each a change to goodRow
		problems []string            // nil: the rows are valid
		check    func(t *testing.T, got []Engineer)
	}{
		{name: "id is required", rows: []map[string]string{{"id": ""}}, problems: []string{"line 2: id: is required"}},
		{name: "name is required", rows: []map[string]string{{"name": " "}}, problems: []string{"line 2: name: is required"}},
		{name: "email is required", rows: []map[string]string{{"email": ""}}, problems: []string{"line 2: email: is required"}},
		{name: "team is required", rows: []map[string]string{{"team": ""}}, problems: []string{"line 2: team: is required"}},
		{name: "manager_email is required", rows: []map[string]string{{"manager_email": ""}}, problems: []string{"line 2: manager_email: is required"}},
		{
			name:     "email must be an address",
			rows:     []map[string]string{{"email": "bob@"}},
			problems: []string{`line 2: email: "bob@" is not an e-mail address`},
		},
		{
			name:     "email must be a bare address, without a display name",
			rows:     []map[string]string{{"email": "Bob <bob@example.com>"}},
			problems: []string{`line 2: email: "Bob <bob@example.com>" is not an e-mail address`},
		},
		{
			name:     "manager_email must be an address",
			rows:     []map[string]string{{"manager_email": "the boss"}},
			problems: []string{`line 2: manager_email: "the boss" is not an e-mail address`},
		},
		{
			name:     "id must be unique",
			rows:     []map[string]string{{}, {"email": "b@example.com", "zendesk_id": "", "freshdesk_id": "", "jira_account_id": "", "generic_id": ""}},
			problems: []string{"line 3: id: duplicate of line 2"},
		},
		{
			name:     "email must be unique, whatever its case",
			rows:     []map[string]string{{}, {"id": "e-2", "email": "ANN@example.com", "zendesk_id": "z2", "freshdesk_id": "", "jira_account_id": "", "generic_id": ""}},
			problems: []string{`line 3: email: "ANN@example.com" already belongs to line 2`},
		},
		{
			name: "each source's agent id must be unique",
			rows: []map[string]string{{}, {"id": "e-2", "email": "b@example.com"}},
			problems: []string{
				`line 3: zendesk_id: "z1" already belongs to line 2`,
				`line 3: freshdesk_id: "f1" already belongs to line 2`,
				`line 3: jira_account_id: "j1" already belongs to line 2`,
				`line 3: generic_id: "g1" already belongs to line 2`,
			},
		},
		{
			name: "the same agent id in two sources is fine",
			rows: []map[string]string{{"zendesk_id": "42", "freshdesk_id": "42", "jira_account_id": "42", "generic_id": "42"}},
			check: func(t *testing.T, got []Engineer) {
				want := map[string]string{"zendesk": "42", "freshdesk": "42", "jira": "42", "generic": "42"}
				if diff := cmp.Diff(want, got[0].External); diff != "" {
					t.Errorf("External (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "agent ids are optional",
			rows: []map[string]string{{"zendesk_id": "", "freshdesk_id": "", "jira_account_id": "", "generic_id": ""}},
			check: func(t *testing.T, got []Engineer) {
				if diff := cmp.Diff(map[string]string{}, got[0].External); diff != "" {
					t.Errorf("External (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:     "hire_date must be YYYY-MM-DD",
			rows:     []map[string]string{{"hire_date": "2026/10/01"}},
			problems: []string{`line 2: hire_date: "2026/10/01" is not YYYY-MM-DD`},
		},
		{
			name:     "hire_date must be a real day",
			rows:     []map[string]string{{"hire_date": "2026-02-30"}},
			problems: []string{`line 2: hire_date: "2026-02-30" is not YYYY-MM-DD`},
		},
		{
			name: "hire_date may be empty",
			rows: []map[string]string{{"hire_date": ""}},
			check: func(t *testing.T, got []Engineer) {
				if !got[0].HireDate.IsZero() {
					t.Errorf("HireDate = %v, want zero", got[0].HireDate)
				}
			},
		},
		{
			name:     "base_bonus must be a number",
			rows:     []map[string]string{{"base_bonus": "abc"}},
			problems: []string{`line 2: base_bonus: "abc" is not a number`},
		},
		{
			name:     "base_bonus must be finite",
			rows:     []map[string]string{{"base_bonus": "Inf"}},
			problems: []string{`line 2: base_bonus: "Inf" is not a number`},
		},
		{
			name:     "base_bonus must not be NaN",
			rows:     []map[string]string{{"base_bonus": "NaN"}},
			problems: []string{`line 2: base_bonus: "NaN" is not a number`},
		},
		{
			name:     "base_bonus must not be negative",
			rows:     []map[string]string{{"base_bonus": "-5"}},
			problems: []string{`line 2: base_bonus: "-5" is negative`},
		},
		{
			name: "empty base_bonus is 0",
			rows: []map[string]string{{"base_bonus": ""}},
			check: func(t *testing.T, got []Engineer) {
				if got[0].BaseBonus != 0 {
					t.Errorf("BaseBonus = %v, want 0", got[0].BaseBonus)
				}
			},
		},
		{
			name:     "locale must be zh-CN or en",
			rows:     []map[string]string{{"locale": "fr"}},
			problems: []string{`line 2: locale: "fr" is not one of zh-CN, en`},
		},
		{
			name: "locale is matched case-insensitively and stored canonically",
			rows: []map[string]string{{"locale": "ZH-cn"}},
			check: func(t *testing.T, got []Engineer) {
				if got[0].Locale != "zh-CN" {
					t.Errorf("Locale = %q, want zh-CN", got[0].Locale)
				}
			},
		},
		{
			name: "empty locale is the policy default",
			rows: []map[string]string{{"locale": ""}},
			check: func(t *testing.T, got []Engineer) {
				if got[0].Locale != "" {
					t.Errorf("Locale = %q, want empty", got[0].Locale)
				}
			},
		},
		{
			name:     "text must be UTF-8",
			rows:     []map[string]string{{"name": "\xcd\xf5\xb7\xbc"}}, // 王芳 in GBK
			problems: []string{`line 2: name: is not valid UTF-8 (save the file as "CSV UTF-8")`},
		},
		{
			name:     "text must not hold control characters",
			rows:     []map[string]string{{"team": "\"Desk\nBcc: x@example.com\""}},
			problems: []string{`line 2: team: "Desk\nBcc: x@example.com" contains a control character`},
		},
		{
			name:     "a row must have as many fields as the header",
			rows:     []map[string]string{{"locale": "en,extra"}},
			problems: []string{"line 2: row: has 13 fields, the header has 12"},
		},
		{
			name:     "broken quoting is reported and the next rows still checked",
			rows:     []map[string]string{{"name": `An"n`}, {"id": "e-2", "email": "", "zendesk_id": "", "freshdesk_id": "", "jira_account_id": "", "generic_id": ""}},
			problems: []string{`line 2: row: bare " in non-quoted-field`, "line 3: email: is required"},
		},
		{
			name:     "one row's problems are all reported",
			rows:     []map[string]string{{"id": "", "email": "x", "base_bonus": "-1", "locale": "de"}},
			problems: []string{"line 2: id: is required", `line 2: email: "x" is not an e-mail address`, `line 2: base_bonus: "-1" is negative`, `line 2: locale: "de" is not one of zh-CN, en`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := header
			for _, r := range tc.rows {
				in += row(r)
			}
			got, err := ParseCSV(strings.NewReader(in))
			if tc.problems != nil {
				if got != nil {
					t.Errorf("engineers = %v, want none", got)
				}
				if diff := cmp.Diff(tc.problems, problems(t, err)); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.rows) {
				t.Fatalf("got %d engineers, want %d", len(got), len(tc.rows))
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestParseCSVNamesEveryBadLine(t *testing.T) {
	got, err := ParseCSV(bytes.NewReader(readFile(t, "bad_rows.csv")))
	if got != nil {
		t.Errorf("engineers = %v, want none: one bad row rejects the file", got)
	}
	want := []string{
		`line 2: locale: "fr" is not one of zh-CN, en`,
		`line 4: email: "bob@" is not an e-mail address`,
		`line 5: hire_date: "2026/10/01" is not YYYY-MM-DD`,
		`line 6: base_bonus: "abc" is not a number`,
		`line 7: id: duplicate of line 3`,
		`line 8: zendesk_id: "12345" already belongs to line 2`,
	}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestParseCSVLineNumbersAreFileLines(t *testing.T) {
	in := header + "\n" + row(map[string]string{"email": "nope"})
	_, err := ParseCSV(strings.NewReader(in))
	want := []string{`line 3: email: "nope" is not an e-mail address`}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *ParseError
		want string
	}{
		{
			name: "several problems are counted and listed a line each",
			err:  &ParseError{Problems: []string{"line 2: id: is required", "line 3: team: is required"}},
			want: "engineers CSV: 2 problems\nline 2: id: is required\nline 3: team: is required",
		},
		{
			name: "one problem is singular",
			err:  &ParseError{Problems: []string{"line 2: id: is required"}},
			want: "engineers CSV: 1 problem\nline 2: id: is required",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if got := errcode.Code(tc.err); got != errcode.Invalid {
				t.Errorf("errcode.Code = %q, want %q", got, errcode.Invalid)
			}
			if got := errcode.Message(tc.err); got != tc.want {
				t.Errorf("errcode.Message = %q, want %q", got, tc.want)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// failAfter reads r, then fails.
type failAfter struct{ r *strings.Reader }

func (f failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, errors.New("connection reset")
	}
	return f.r.Read(p)
}

func TestParseCSVReadFailure(t *testing.T) {
	tests := []struct {
		name string
		r    func() io.Reader
	}{
		{name: "failing before the header", r: func() io.Reader { return failingReader{} }},
		{name: "failing after the header", r: func() io.Reader { return failAfter{strings.NewReader(header + row(nil))} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCSV(tc.r())
			if err == nil || got != nil {
				t.Fatalf("ParseCSV = %v, %v; want an error", got, err)
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				t.Errorf("err = %v; a read failure is not the file's fault", err)
			}
		})
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		engineers []Engineer
	}{
		{name: "the sample file", engineers: mustParse(t, readFile(t, "valid.csv"))},
		{name: "no engineers", engineers: []Engineer{}},
		{
			name: "text that needs quoting",
			engineers: []Engineer{{
				ID: "e,1", Name: `Ann "the fixer" O'Neil`, Email: "ann@example.com", Team: "A, B",
				ManagerEmail: "boss@example.com", HireDate: date(2020, 2, 29), BaseBonus: 0.1,
				External: map[string]string{"generic": "ann,1"},
			}},
		},
		{
			name: "awkward numbers",
			engineers: []Engineer{
				{ID: "a", Name: "A", Email: "a@example.com", Team: "T", ManagerEmail: "m@example.com", BaseBonus: 1e21, External: map[string]string{}},
				{ID: "b", Name: "B", Email: "b@example.com", Team: "T", ManagerEmail: "m@example.com", BaseBonus: 1.0 / 3, External: map[string]string{}},
				{ID: "c", Name: "C", Email: "c@example.com", Team: "T", ManagerEmail: "m@example.com", BaseBonus: 5e-324, External: map[string]string{}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tc.engineers); err != nil {
				t.Fatal(err)
			}
			got, err := ParseCSV(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.engineers, got); diff != "" {
				t.Errorf("WriteCSV → ParseCSV (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	ann := Engineer{
		ID: "e-1", Name: "Ann", Email: "ann@example.com", Team: "Desk", ManagerEmail: "boss@example.com",
		HireDate: time.Date(2025, 2, 3, 23, 30, 0, 0, time.FixedZone("UTC-2", -2*3600)), BaseBonus: 100,
		Locale: "en", External: map[string]string{"zendesk": "z1", "jira": "j1"},
	}
	t.Run("writes the header and the hire date's UTC day", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []Engineer{ann}); err != nil {
			t.Fatal(err)
		}
		want := header + "e-1,Ann,ann@example.com,Desk,boss@example.com,2025-02-04,100,z1,,j1,,en\n"
		if diff := cmp.Diff(want, buf.String()); diff != "" {
			t.Errorf("WriteCSV (-want +got):\n%s", diff)
		}
	})
	t.Run("a source without a column is an error", func(t *testing.T) {
		e := ann
		e.External = map[string]string{"servicenow": "s1"}
		err := WriteCSV(&bytes.Buffer{}, []Engineer{e})
		if err == nil || !strings.Contains(err.Error(), `source "servicenow" has no column`) {
			t.Errorf("err = %v, want one naming the source", err)
		}
	})
	t.Run("a write failure is returned", func(t *testing.T) {
		if err := WriteCSV(failingWriter{}, []Engineer{ann}); err == nil {
			t.Error("err = nil, want the write failure")
		}
	})
	t.Run("Columns is the header", func(t *testing.T) {
		if got := strings.Join(Columns(), ",") + "\n"; got != header {
			t.Errorf("Columns() = %q, want %q", got, header)
		}
	})
}

func mustParse(t *testing.T, b []byte) []Engineer {
	t.Helper()
	es, err := ParseCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func FuzzParseCSV(f *testing.F) {
	for _, name := range []string{"valid.csv", "reordered_bom.csv", "bad_rows.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(header + row(nil)))
	f.Add([]byte(header + row(map[string]string{"name": `"A ""B"""`, "base_bonus": "-0", "hire_date": "0001-01-01"})))
	f.Add([]byte(header + row(map[string]string{"name": "\"a\r\nb\"", "base_bonus": "0x1p3"})))
	f.Add([]byte(""))
	f.Add([]byte("\uFEFF"))

	f.Fuzz(func(t *testing.T, in []byte) {
		first, err := ParseCSV(bytes.NewReader(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("err = %v, want a *ParseError with problems", err)
			}
			if first != nil {
				t.Fatalf("engineers = %v alongside an error", first)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, first); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		second, err := ParseCSV(&buf)
		if err != nil {
			t.Fatalf("ParseCSV(WriteCSV(...)): %v\nCSV:\n%s", err, buf.String())
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
