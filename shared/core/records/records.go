package records

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// Kind is what a record is about; each kind has its own CSV file.
type Kind string

// Kinds of records.
const (
	Training      Kind = "training"
	Knowledge     Kind = "knowledge"
	Collaboration Kind = "collaboration"
	Renewals      Kind = "renewals"
)

// Kinds lists every kind, in the order messages name them.
var Kinds = []Kind{Training, Knowledge, Collaboration, Renewals}

// ParseKind reads a kind in any letter case.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Kinds, k) {
		return k, nil
	}
	return "", errcode.Errorf(errcode.Invalid, "%q is not a kind of record; want one of %s", clip(s), kindNames())
}

// Activities of collaboration records.
const (
	KnowledgeShare = "knowledge_share" // a knowledge-sharing post or talk
	SkillSession   = "skill_session"   // a skill-exchange session held for the engineer
	Case           = "case"            // a recorded collaboration case
)

var activities = []string{KnowledgeShare, SkillSession, Case}

// Limits on single values: anything beyond them is a typo, not a record.
const (
	MaxHours      = 24   // training hours on one row (one day)
	MaxScore      = 100  // knowledge assessment scores are 0–100
	MaxCount      = 1000 // count on one collaboration row
	MaxTextLength = 256  // bytes in an id, a course name, a customer id
	MaxBatch      = 500  // records in one webhook request
)

// earliest and latest bound plausible record dates: anything outside is a
// typo or a spreadsheet's zero date.
var (
	earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Record is one imported people record.
type Record struct {
	// ID is the dedupe key within the kind: the id given, else a stable
	// hash of the kind and the normalised row (see the package doc).
	ID         string    `json:"id"`
	Kind       Kind      `json:"kind"`
	EngineerID string    `json:"engineer_id"` // directory engineer id
	Date       time.Time `json:"date"`        // civil date: UTC midnight

	// training: a session attended, or an assigned course's status
	Hours     float64 `json:"hours,omitempty"`     // hours attended, 0–24
	Course    string  `json:"course,omitempty"`    // optional
	Assigned  bool    `json:"assigned,omitempty"`  // the course was assigned to the engineer
	Completed bool    `json:"completed,omitempty"` // the course is completed

	// knowledge
	Score float64 `json:"score,omitempty"` // assessment score, 0–100

	// collaboration
	Activity string `json:"activity,omitempty"` // KnowledgeShare, SkillSession or Case
	Attended bool   `json:"attended,omitempty"` // skill_session: the engineer attended
	Count    int    `json:"count,omitempty"`    // how many (default 1)

	// renewals
	CustomerID string `json:"customer_id,omitempty"`
	Renewed    bool   `json:"renewed,omitempty"` // a renewal due: renewed or not

	// Where the record came from, for messages: the CSV line where its row
	// starts (0 for webhook records), and its position in a webhook's
	// records array.
	Line  int `json:"-"`
	Index int `json:"-"`
}

// Column names, as in the CSV header and the webhook's fields.
const (
	colKind       = "kind" // webhook only
	colID         = "id"
	colEngineerID = "engineer_id"
	colDate       = "date"
	colMonth      = "month" // renewals: instead of date
	colHours      = "hours"
	colCourse     = "course"
	colAssigned   = "assigned"
	colCompleted  = "completed"
	colScore      = "score"
	colActivity   = "activity"
	colAttended   = "attended"
	colCount      = "count"
	colCustomerID = "customer_id"
	colRenewed    = "renewed"
)

// columns are each kind's columns in the order WriteCSV writes them.
var columns = map[Kind][]string{
	Training:      {colID, colEngineerID, colDate, colHours, colCourse, colAssigned, colCompleted},
	Knowledge:     {colID, colEngineerID, colDate, colScore},
	Collaboration: {colID, colEngineerID, colDate, colActivity, colAttended, colCount},
	Renewals:      {colID, colEngineerID, colDate, colCustomerID, colRenewed},
}

// requiredColumns must be in a kind's CSV header. Training needs hours or
// assigned, renewals date or month; the header check says so.
var requiredColumns = map[Kind][]string{
	Training:      {colEngineerID, colDate},
	Knowledge:     {colEngineerID, colDate, colScore},
	Collaboration: {colEngineerID, colDate, colActivity},
	Renewals:      {colEngineerID, colCustomerID, colRenewed},
}

// Columns returns the CSV header WriteCSV writes for kind; nil for an
// unknown kind. Renewals files may have a month column instead of date.
func Columns(kind Kind) []string { return slices.Clone(columns[kind]) }

// accepts reports whether a kind's CSV (or webhook record) may have column.
func accepts(kind Kind, column string) bool {
	return slices.Contains(columns[kind], column) || (kind == Renewals && column == colMonth)
}

// ParseError lists everything wrong with imported records, one problem a
// line: "line N: column: problem" for a CSV file, "records[i].field:
// problem" for a webhook body.
type ParseError struct {
	Source   string // what was read: "training CSV", "records webhook", "records"
	Problems []string
}

func (e *ParseError) Error() string {
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("%s: %d %s\n%s", e.Source, len(e.Problems), noun, strings.Join(e.Problems, "\n"))
}

// Unwrap makes a ParseError an errcode.Invalid error, so that the CLI and
// HTTP layers report it as the caller's mistake and show the whole list.
func (e *ParseError) Unwrap() error {
	return &errcode.Error{Code: errcode.Invalid, Message: e.Error()}
}

// cells is one row's values by column name, trimmed; "" when absent.
type cells map[string]string

// build validates one row of kind and returns its record (without an id
// when none was given). report is called for every problem with the column
// it concerns; ok is false when there was any.
func build(kind Kind, c cells, report func(column, format string, args ...any)) (r Record, ok bool) {
	bad := false
	fail := func(column, format string, args ...any) {
		bad = true
		report(column, format, args...)
	}

	// Text that cannot be stored makes every other check of the cell moot.
	clean := map[string]bool{}
	for _, name := range append(Columns(kind), colMonth) {
		v := c[name]
		switch {
		case !utf8.ValidString(v):
			fail(name, "is not valid UTF-8 (save the file as \"CSV UTF-8\")")
		case strings.ContainsRune(v, utf8.RuneError):
			fail(name, "contains an invalid character")
		case strings.ContainsFunc(v, unicode.IsControl):
			fail(name, "%q contains a control character", clip(v))
		case len(v) > MaxTextLength:
			fail(name, "is longer than %d bytes", MaxTextLength)
		default:
			clean[name] = true
		}
	}
	text := func(name string) (string, bool) { return c[name], clean[name] }

	r = Record{Kind: kind}
	r.ID, _ = text(colID)
	if v, ok := text(colEngineerID); ok {
		if v == "" {
			fail(colEngineerID, "is required")
		}
		r.EngineerID = v
	}

	date, mon := c[colDate], c[colMonth]
	switch {
	case kind == Renewals && date != "" && mon != "":
		fail(colMonth, "give either date or month, not both")
	case kind == Renewals && mon != "":
		if clean[colMonth] {
			if m, ok := parseMonth(mon); ok {
				r.Date = m.Start(time.UTC)
			} else {
				fail(colMonth, "%q is not a month YYYY-MM between 2000 and 2099", clip(mon))
			}
		}
	case !clean[colDate]:
	case date == "":
		if kind == Renewals {
			fail(colDate, "is required (YYYY-MM-DD, or a month YYYY-MM)")
		} else {
			fail(colDate, "is required (YYYY-MM-DD)")
		}
	default:
		d, ok := parseDate(date)
		if !ok && kind == Renewals {
			var m month.Month
			if m, ok = parseMonth(date); ok {
				d = m.Start(time.UTC)
			}
		}
		switch {
		case ok:
			r.Date = d
		case kind == Renewals:
			fail(colDate, "%q is not a date YYYY-MM-DD or a month YYYY-MM between 2000 and 2099 (format the column as text)", clip(date))
		default:
			fail(colDate, "%q is not a date YYYY-MM-DD between 2000 and 2099 (format the column as text or as yyyy-mm-dd)", clip(date))
		}
	}

	// yesNo reads a yes/no cell into dst and reports whether it was valid.
	yesNo := func(name string, required bool, dst *bool) bool {
		v, ok := text(name)
		if !ok {
			return false
		}
		if v == "" {
			if required {
				fail(name, "is required (yes or no)")
				return false
			}
			return true
		}
		b, ok := parseBool(v)
		if !ok {
			fail(name, "%q is not yes or no (yes/no, true/false, 1/0)", clip(v))
		}
		*dst = b
		return ok
	}
	number := func(name string, max float64, dst *float64) (given bool) {
		v, ok := text(name)
		if !ok || v == "" {
			return false
		}
		f, ok := parseNumber(v)
		switch {
		case !ok && strings.Contains(v, ","):
			fail(name, "%q is not a number (use a decimal point)", clip(v))
		case !ok:
			fail(name, "%q is not a number", clip(v))
		case f < 0 || f > max:
			fail(name, "%s is not between 0 and %g", v, max)
		default:
			if f == 0 {
				f = 0 // not -0
			}
			*dst = f
		}
		return true
	}

	switch kind {
	case Training:
		r.Course, _ = text(colCourse)
		assignedOK := yesNo(colAssigned, false, &r.Assigned)
		yesNo(colCompleted, false, &r.Completed)
		if !number(colHours, MaxHours, &r.Hours) && clean[colHours] && assignedOK && !r.Assigned {
			fail(colHours, "is required, unless the row is the status of an assigned course (assigned = yes)")
		}
	case Knowledge:
		if !number(colScore, MaxScore, &r.Score) && clean[colScore] {
			fail(colScore, "is required (0 to 100)")
		}
	case Collaboration:
		if v, ok := text(colActivity); ok {
			a := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(v))
			switch {
			case v == "":
				fail(colActivity, "is required (%s)", strings.Join(activities, ", "))
			case !slices.Contains(activities, a):
				fail(colActivity, "%q is not one of %s", clip(v), strings.Join(activities, ", "))
			default:
				r.Activity = a
			}
		}
		if r.Activity == SkillSession {
			yesNo(colAttended, true, &r.Attended)
		}
		r.Count = 1
		if v, ok := text(colCount); ok && v != "" {
			n, err := strconv.Atoi(v)
			if errors.Is(err, strconv.ErrRange) {
				n, err = MaxCount+1, nil // reported as out of range below
			}
			switch {
			case err != nil && isDecimal(v):
				fail(colCount, "%q is not a whole number", clip(v))
			case err != nil:
				fail(colCount, "%q is not a number", clip(v))
			case n < 0 || n > MaxCount:
				fail(colCount, "%s is not between 0 and %d", clip(v), MaxCount)
			default:
				r.Count = n
			}
		}
	case Renewals:
		if v, ok := text(colCustomerID); ok {
			if v == "" {
				fail(colCustomerID, "is required")
			}
			r.CustomerID = v
		}
		yesNo(colRenewed, true, &r.Renewed)
	}
	if bad {
		return Record{}, false
	}
	return r, true
}

// parseDate reads YYYY-MM-DD within the plausible range.
func parseDate(s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) || d.Before(earliest) || !d.Before(latest) {
		return time.Time{}, false
	}
	return d, true
}

// parseMonth reads YYYY-MM within the plausible range.
func parseMonth(s string) (month.Month, bool) {
	m, err := month.Parse(s)
	if err != nil || m.Start(time.UTC).Before(earliest) || !m.Start(time.UTC).Before(latest) {
		return month.Month{}, false
	}
	return m, true
}

// parseBool reads the yes/no words HR tools write.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true", "1":
		return true, true
	case "no", "false", "0":
		return false, true
	}
	return false, false
}

// parseNumber reads a plain decimal number (no hex, no "Inf", no "NaN").
func parseNumber(s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func isDecimal(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.+-eE") == "" && strings.ContainsAny(s, "0123456789")
}

// row is the normalised row of a record, as WriteCSV writes it, in the
// order of Columns(r.Kind).
func row(r Record) []string {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	head := []string{r.ID, r.EngineerID, r.Date.UTC().Format(time.DateOnly)}
	switch r.Kind {
	case Training:
		return append(head, formatNumber(r.Hours), r.Course, yn(r.Assigned), yn(r.Completed))
	case Knowledge:
		return append(head, formatNumber(r.Score))
	case Collaboration:
		attended := ""
		if r.Activity == SkillSession {
			attended = yn(r.Attended)
		}
		return append(head, r.Activity, attended, strconv.Itoa(r.Count))
	case Renewals:
		return append(head, r.CustomerID, yn(r.Renewed))
	}
	return nil
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

type key struct {
	kind Kind
	id   string
}

// assignIDs gives every record without an id the hash of its kind and
// normalised row. The n-th identical row gets the hash with n mixed in, and a
// hash is never one of the given ids, so ids are unique per kind and a
// function of the rows alone: the same input gives the same ids.
func assignIDs(recs []Record) {
	used := map[key]bool{}
	for _, r := range recs {
		if r.ID != "" {
			used[key{r.Kind, r.ID}] = true
		}
	}
	for i, r := range recs {
		if r.ID != "" {
			continue
		}
		base := string(r.Kind) + "\x1f" + strings.Join(row(r)[1:], "\x1f")
		for n := 1; ; n++ {
			in := base
			if n > 1 {
				in += fmt.Sprintf("\x1f#%d", n)
			}
			sum := sha256.Sum256([]byte(in))
			id := "h-" + hex.EncodeToString(sum[:12])
			if !used[key{r.Kind, id}] {
				used[key{r.Kind, id}] = true
				recs[i].ID = id
				break
			}
		}
	}
}

// clip keeps messages short when a cell holds something huge.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func kindNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
