package records

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"scorecard/shared/core/errcode"
)

// ParseCSV reads one kind's CSV file (the columns are in the package doc).
// The header row is required; columns may come in any order, names are
// matched case-insensitively after trimming, unknown or repeated columns are
// rejected and a leading UTF-8 byte-order mark is ignored. Cells are trimmed,
// blank rows skipped, and empty cells after the last column (spreadsheets
// export them) ignored.
//
// The file is validated as a whole: every problem is reported in one
// *ParseError, each "line N: column: problem", and no record is returned
// unless the whole file is good. Each record keeps its Line. Engineer ids are
// not looked up here; see Check. An unknown kind is an errcode.Invalid
// error; any other error is a failure to read r.
func ParseCSV(kind Kind, r io.Reader) ([]Record, error) {
	if _, ok := columns[kind]; !ok {
		return nil, errcode.Errorf(errcode.Invalid, "%q is not a kind of record; want one of %s", clip(string(kind)), kindNames())
	}
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a row of the wrong width is a problem to report, not a stop
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	p := &csvParser{kind: kind, ids: map[string]int{}}
	header, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			p.addf(1, "header", "missing: the file is empty")
		case errors.As(err, &pe):
			p.addf(pe.StartLine, "header", "%v", pe.Err)
		default:
			return nil, fmt.Errorf("read %s CSV: %w", kind, err)
		}
		return nil, p.err()
	}
	headerLine, _ := cr.FieldPos(0)
	if !p.header(headerLine, header) {
		return nil, p.err()
	}

	out := []Record{}
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read %s CSV: %w", kind, err)
			}
			// The reader has consumed the broken row; carry on so that
			// every problem is reported in one go.
			p.addf(pe.StartLine, "row", "%v", pe.Err)
			continue
		}
		line, _ := cr.FieldPos(0)
		if rec, ok := p.row(line, record); ok {
			out = append(out, rec)
		}
	}
	if len(p.problems) > 0 {
		return nil, p.err()
	}
	assignIDs(out)
	return out, nil
}

// csvParser holds what validation of one file has seen so far.
type csvParser struct {
	kind     Kind
	index    map[string]int // column name → field index
	width    int            // named fields in the header
	problems []string
	ids      map[string]int // id given → line
}

func (p *csvParser) addf(line int, column, format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf("line %d: %s: ", line, column)+fmt.Sprintf(format, args...))
}

func (p *csvParser) err() error {
	return &ParseError{Source: string(p.kind) + " CSV", Problems: p.problems}
}

// header maps the columns and reports whether the rows can be read.
func (p *csvParser) header(line int, header []string) bool {
	for len(header) > 0 && strings.TrimSpace(header[len(header)-1]) == "" {
		header = header[:len(header)-1] // trailing empty columns of a spreadsheet
	}
	p.index = make(map[string]int, len(header))
	p.width = len(header)
	if len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		p.addf(line, "header", "columns must be separated by commas")
		return false
	}
	known := strings.Join(Columns(p.kind), ", ")
	if p.kind == Renewals {
		known += " (or month instead of date)"
	}
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case name == "":
			p.addf(line, "header", "column %d has no name", i+1)
		case !accepts(p.kind, name):
			p.addf(line, "header", "unknown column %q; %s columns are %s", clip(strings.TrimSpace(raw)), p.kind, known)
		default:
			if _, dup := p.index[name]; dup {
				p.addf(line, "header", "column %q appears twice", name)
				continue
			}
			p.index[name] = i
		}
	}
	for _, name := range requiredColumns[p.kind] {
		if _, ok := p.index[name]; !ok {
			p.addf(line, "header", "missing column %q", name)
		}
	}
	has := func(name string) bool { _, ok := p.index[name]; return ok }
	switch {
	case p.kind == Training && !has(colHours) && !has(colAssigned):
		p.addf(line, "header", "needs an %q column (sessions) or an %q column (course status), or both", colHours, colAssigned)
	case p.kind == Renewals && !has(colDate) && !has(colMonth):
		p.addf(line, "header", "missing column %q (or %q)", colDate, colMonth)
	case p.kind == Renewals && has(colDate) && has(colMonth):
		p.addf(line, "header", "has both %q and %q; keep one", colDate, colMonth)
	}
	return len(p.problems) == 0
}

// row validates one CSV row. ok is false when it yields no record: it has a
// problem, or it is blank.
func (p *csvParser) row(line int, fields []string) (Record, bool) {
	if allEmpty(fields) {
		return Record{}, false // a blank spreadsheet row, not a problem
	}
	if len(fields) < p.width || !allEmpty(fields[p.width:]) {
		p.addf(line, "row", "has %d fields, the header has %d", len(fields), p.width)
		return Record{}, false
	}
	c := make(cells, len(p.index))
	for name, i := range p.index {
		c[name] = strings.TrimSpace(fields[i])
	}
	rec, ok := build(p.kind, c, func(column, format string, args ...any) { p.addf(line, column, format, args...) })
	if id := c[colID]; id != "" && ok {
		if first, dup := p.ids[id]; dup {
			p.addf(line, colID, "%q is also the id on line %d; ids must be unique in a file (or leave them empty)", clip(id), first)
			return Record{}, false
		}
		p.ids[id] = line
	}
	rec.Line = line
	return rec, ok
}

func allEmpty(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// WriteCSV writes records of one kind as a CSV file that ParseCSV reads back
// to the same records (given valid records, as ParseCSV's are): the header
// of Columns(kind), then one row per record in the order given, with yes/no
// values, dates as YYYY-MM-DD and numbers in the shortest form that reads
// back exactly. A record of another kind is an error.
func WriteCSV(w io.Writer, kind Kind, records []Record) error {
	if _, ok := columns[kind]; !ok {
		return errcode.Errorf(errcode.Invalid, "%q is not a kind of record; want one of %s", clip(string(kind)), kindNames())
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(columns[kind]); err != nil {
		return fmt.Errorf("write %s CSV: %w", kind, err)
	}
	for i, r := range records {
		if r.Kind != kind {
			return fmt.Errorf("write %s CSV: record %d (id %q) is a %s record", kind, i, r.ID, r.Kind)
		}
		if err := cw.Write(row(r)); err != nil {
			return fmt.Errorf("write %s CSV: record %q: %w", kind, r.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s CSV: %w", kind, err)
	}
	return nil
}
