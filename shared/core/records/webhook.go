package records

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"scorecard/shared/core/errcode"
)

// Source is the route of people records: POST /webhooks/records, signed
// like the generic format (the webhook handler verifies it).
const Source = "records"

// maxProblems bounds the problems one webhook answer lists: a sender with a
// systematic mistake needs the first few, not 1 500.
const maxProblems = 100

// fieldType is what JSON a webhook field takes.
type fieldType int

const (
	textField   fieldType = iota // a string
	idField                      // a string or an integer
	numberField                  // a number or a numeric string
	boolField                    // true/false, 0/1 or a yes/no word
)

var fieldTypes = map[string]fieldType{
	colKind: textField, colDate: textField, colMonth: textField, colCourse: textField, colActivity: textField,
	colID: idField, colEngineerID: idField, colCustomerID: idField,
	colHours: numberField, colScore: numberField, colCount: numberField,
	colAssigned: boolField, colCompleted: boolField, colAttended: boolField, colRenewed: boolField,
}

var typeNames = map[fieldType]string{
	textField:   "a string",
	idField:     "a string or an integer",
	numberField: "a number",
	boolField:   "true or false",
}

// ParseWebhook reads a POST /webhooks/records body: {"records": [...]} with
// 1 to MaxBatch records of any kinds, each with "kind" and the CSV columns
// of its kind as fields (see the package doc). Records are validated like CSV
// rows, and every problem is reported in one *ParseError (errcode.Invalid),
// each naming its field: `records[3].hours: 25 is not between 0 and 24`.
// More than MaxBatch records is an errcode.TooLarge error. Either every
// record is returned, with its Index, or none. The caller bounds the body's
// size and checks engineer ids (Check).
func ParseWebhook(body []byte) ([]Record, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, errcode.Errorf(errcode.Invalid, "body is empty")
	}
	if trimmed[0] != '{' {
		return nil, errcode.Errorf(errcode.Invalid, `body must be a JSON object {"records": [...]}`)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "malformed JSON: %s", jsonProblem(err))
	}
	for _, name := range slices.Sorted(maps.Keys(top)) {
		if name != "records" {
			return nil, errcode.Errorf(errcode.Invalid, `%s: unknown field; the body is {"records": [...]}`, clipQuoted(name))
		}
	}
	raw := bytes.TrimSpace(top["records"])
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errcode.Errorf(errcode.Invalid, "records: is required")
	}
	var batch []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &batch) != nil {
		return nil, errcode.Errorf(errcode.Invalid, "records: must be an array of record objects")
	}
	if len(batch) == 0 {
		return nil, errcode.Errorf(errcode.Invalid, "records: is empty")
	}
	if len(batch) > MaxBatch {
		return nil, errcode.Errorf(errcode.TooLarge, "records: %d records in one request; at most %d", len(batch), MaxBatch)
	}

	var problems []string
	ids := map[key]int{} // (kind, id given) → index
	out := make([]Record, 0, len(batch))
	for i, raw := range batch {
		rec, recProblems := parseRecord(i, raw)
		problems = append(problems, recProblems...)
		if len(recProblems) > 0 {
			continue
		}
		if rec.ID != "" {
			k := key{rec.Kind, rec.ID}
			if first, dup := ids[k]; dup {
				problems = append(problems, fmt.Sprintf("records[%d].id: %q is also the id of records[%d]; ids must be unique per kind in a request", i, clip(rec.ID), first))
				continue
			}
			ids[k] = i
		}
		out = append(out, rec)
	}
	if len(problems) > 0 {
		if len(problems) > maxProblems {
			more := len(problems) - maxProblems
			problems = append(problems[:maxProblems:maxProblems], fmt.Sprintf("… and %d more", more))
		}
		return nil, &ParseError{Source: "records webhook", Problems: problems}
	}
	assignIDs(out)
	return out, nil
}

// parseRecord decodes and validates records[i].
func parseRecord(i int, raw json.RawMessage) (Record, []string) {
	var problems []string
	reported := map[string]bool{}
	addf := func(field, format string, args ...any) {
		if reported[field] {
			return // one problem a field: the first says what is wrong
		}
		reported[field] = true
		problems = append(problems, fmt.Sprintf("records[%d].%s: ", i, field)+fmt.Sprintf(format, args...))
	}

	var obj map[string]json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &obj) != nil {
		return Record{}, []string{fmt.Sprintf("records[%d]: must be a record object", i)}
	}
	fields := make(map[string]json.RawMessage, len(obj))
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		lower := strings.ToLower(strings.TrimSpace(name))
		if _, dup := fields[lower]; dup {
			addf(clipQuoted(lower), "given twice")
			continue
		}
		fields[lower] = obj[name]
	}

	kindText, ok := value(fields[colKind], textField)
	switch {
	case !ok:
		addf(colKind, "must be a string")
	case kindText == "":
		addf(colKind, "is required (%s)", kindNames())
	}
	if len(problems) > 0 {
		return Record{}, problems
	}
	kind, err := ParseKind(kindText)
	if err != nil {
		addf(colKind, "%q is not one of %s", clip(kindText), kindNames())
		return Record{}, problems
	}

	c := cells{}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if name == colKind {
			continue
		}
		if !accepts(kind, name) {
			known := append([]string{colKind}, Columns(kind)...)
			if kind == Renewals {
				known = append(known, colMonth)
			}
			addf(clipQuoted(name), "is not a field of a %s record (fields: %s)", kind, strings.Join(known, ", "))
			continue
		}
		typ := fieldTypes[name]
		v, ok := value(fields[name], typ)
		if !ok {
			addf(name, "must be %s", typeNames[typ])
			continue
		}
		c[name] = v
	}
	rec, _ := build(kind, c, addf)
	if len(problems) > 0 {
		return Record{}, problems
	}
	rec.Index = i
	return rec, nil
}

// value turns a JSON value into the text of a CSV cell; ok is false when the
// JSON type does not suit the field. null and absent are "".
func value(raw json.RawMessage, typ fieldType) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	case 't', 'f':
		return string(raw), typ == boolField
	case '{', '[':
		return "", false
	}
	// a number
	s := string(raw)
	switch typ {
	case idField:
		_, err := strconv.ParseInt(s, 10, 64)
		return s, err == nil
	case numberField, boolField:
		return s, true
	}
	return "", false
}

// jsonProblem turns a decoding error into a message without internals.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return "the body is not a JSON object"
}

// clipQuoted quotes an unexpected field name only when it needs it, so
// that ordinary names read as field paths.
func clipQuoted(name string) string {
	q := strconv.Quote(name)
	if q[1:len(q)-1] == name && !strings.ContainsAny(name, " .[]") && name != "" {
		return clip(name)
	}
	return clip(q)
}
