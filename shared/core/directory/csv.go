package directory

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
)

// Column names of the engineers CSV (DESIGN §5), plus the optional locale.
const (
	colID           = "id"
	colName         = "name"
	colEmail        = "email"
	colTeam         = "team"
	colManagerEmail = "manager_email"
	colHireDate     = "hire_date"
	colBaseBonus    = "base_bonus"
	colLocale       = "locale"
)

// Format is the engineers CSV of DESIGN §5 for a set of ticketing
// systems: the fixed columns, one agent-id column per system, then the
// optional "locale". The systems are the source registry's
// (source.Directory); the directory does not know them itself.
type Format struct {
	IDs []IDColumn
}

// IDColumn is the column holding engineers' agent ids in one system.
type IDColumn struct {
	Column string // "zendesk_id"
	Source string // the key in Engineer.External: "zendesk"
}

// columns is the order WriteCSV writes and problems are reported in.
func (f Format) columns() []string {
	cols := []string{colID, colName, colEmail, colTeam, colManagerEmail, colHireDate, colBaseBonus}
	for _, c := range f.IDs {
		cols = append(cols, c.Column)
	}
	return append(cols, colLocale)
}

// optionalColumns may be left out of the header.
var optionalColumns = []string{colLocale}

// locales lists the accepted locales in the order problems name them.
var locales = []string{LocaleZhCN, LocaleEn}

const dateLayout = "2006-01-02"

// Columns returns the engineers CSV header that WriteCSV writes: the columns
// of DESIGN §5 followed by the optional "locale".
func (f Format) Columns() []string { return f.columns() }

// ParseError lists everything wrong with an engineers CSV, one problem a
// line, each "line N: column: problem".
type ParseError struct {
	Problems []string
}

func (e *ParseError) Error() string {
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("engineers CSV: %d %s\n%s", len(e.Problems), noun, strings.Join(e.Problems, "\n"))
}

// Unwrap makes a ParseError an errcode.Invalid error, so that the CLI and
// HTTP layers report it as the caller's mistake and show the whole list.
func (e *ParseError) Unwrap() error {
	return &errcode.Error{Code: errcode.Invalid, Message: e.Error()}
}

// ParseCSV reads an engineers CSV. The header row is required and must name
// every column of DESIGN §5, optionally "locale", in any order; names are
// matched case-insensitively after trimming; unknown or repeated columns are
// rejected; a leading UTF-8 byte-order mark is ignored.
//
// Rows are validated as a whole: id, name, email, team and manager_email are
// required; email and manager_email must be plain addresses; hire_date is
// empty or YYYY-MM-DD; base_bonus is empty (0) or a number >= 0; locale is
// empty, zh-CN or en; ids, e-mail addresses and each source's agent ids are
// unique. Every problem in the file is reported in one *ParseError, and no
// engineer is returned unless the whole file is good. Any other error is a
// failure to read r.
func (f Format) ParseCSV(r io.Reader) ([]Engineer, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a row of the wrong width is a problem to report, not a stop
	cr.TrimLeadingSpace = true

	p := &parser{
		columns: f.columns(),
		ext:     f.IDs,
		ids:     map[string]int{},
		emails:  map[string]int{},
		agents:  map[agentKey]int{},
	}
	header, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			p.addf(1, "header", "missing: the file is empty")
		case errors.As(err, &pe):
			p.addf(pe.StartLine, "header", "%v", pe.Err)
		default:
			return nil, fmt.Errorf("read engineers CSV: %w", err)
		}
		return nil, p.err()
	}
	headerLine, _ := cr.FieldPos(0)
	if !p.header(headerLine, header) {
		return nil, p.err()
	}

	var engineers []Engineer
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read engineers CSV: %w", err)
			}
			// The reader has consumed the broken row; carry on so that
			// every problem is reported in one go.
			p.addf(pe.StartLine, "row", "%v", pe.Err)
			continue
		}
		line, _ := cr.FieldPos(0)
		if e, ok := p.row(line, record); ok {
			engineers = append(engineers, e)
		}
	}
	if len(p.problems) > 0 {
		return nil, p.err()
	}
	if engineers == nil {
		engineers = []Engineer{}
	}
	return engineers, nil
}

// parser holds what validation has seen so far.
type parser struct {
	columns  []string       // every column, in order
	ext      []IDColumn     // the agent-id columns
	index    map[string]int // column name → field index
	width    int            // fields in the header
	problems []string
	ids      map[string]int   // id → line
	emails   map[string]int   // lower-cased e-mail → line
	agents   map[agentKey]int // (source, agent id) → line
}

func (p *parser) addf(line int, column, format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf("line %d: %s: ", line, column)+fmt.Sprintf(format, args...))
}

func (p *parser) err() error { return &ParseError{Problems: p.problems} }

// header maps the columns and reports whether the rows can be read.
func (p *parser) header(line int, header []string) bool {
	p.index = make(map[string]int, len(header))
	p.width = len(header)
	if len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		p.addf(line, "header", "columns must be separated by commas")
		return false
	}
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case name == "":
			p.addf(line, "header", "column %d has no name", i+1)
		case !slices.Contains(p.columns, name):
			p.addf(line, "header", "unknown column %q", strings.TrimSpace(raw))
		default:
			if _, dup := p.index[name]; dup {
				p.addf(line, "header", "column %q appears twice", name)
				continue
			}
			p.index[name] = i
		}
	}
	for _, name := range p.columns {
		if _, ok := p.index[name]; !ok && !slices.Contains(optionalColumns, name) {
			p.addf(line, "header", "missing column %q", name)
		}
	}
	return len(p.problems) == 0
}

// row validates one record. ok is false when the row yields no engineer:
// it has a problem, or it is blank.
func (p *parser) row(line int, record []string) (e Engineer, ok bool) {
	if allEmpty(record) {
		return Engineer{}, false // a blank spreadsheet row, not a problem
	}
	if len(record) != p.width {
		p.addf(line, "row", "has %d fields, the header has %d", len(record), p.width)
		return Engineer{}, false
	}
	cell := make(map[string]string, len(p.columns))
	for name, i := range p.index {
		cell[name] = strings.TrimSpace(record[i])
	}
	before := len(p.problems)

	// Text that cannot be stored or mailed makes every other check moot for
	// that cell.
	clean := map[string]bool{}
	for _, name := range p.columns {
		v := cell[name]
		switch {
		case !utf8.ValidString(v):
			p.addf(line, name, "is not valid UTF-8 (save the file as \"CSV UTF-8\")")
		case strings.ContainsFunc(v, unicode.IsControl):
			p.addf(line, name, "%q contains a control character", v)
		default:
			clean[name] = true
		}
	}

	for _, name := range []string{colID, colName, colEmail, colTeam, colManagerEmail} {
		if clean[name] && cell[name] == "" {
			p.addf(line, name, "is required")
		}
	}
	e = Engineer{
		ID:           cell[colID],
		Name:         cell[colName],
		Email:        cell[colEmail],
		Team:         cell[colTeam],
		ManagerEmail: cell[colManagerEmail],
		External:     map[string]string{},
	}

	if id := cell[colID]; clean[colID] && id != "" {
		if first, dup := p.ids[id]; dup {
			p.addf(line, colID, "duplicate of line %d", first)
		} else {
			p.ids[id] = line
		}
	}
	for _, name := range []string{colEmail, colManagerEmail} {
		if v := cell[name]; clean[name] && v != "" && !isAddress(v) {
			p.addf(line, name, "%q is not an e-mail address", v)
		}
	}
	if v := cell[colEmail]; clean[colEmail] && isAddress(v) {
		key := strings.ToLower(v)
		if first, dup := p.emails[key]; dup {
			p.addf(line, colEmail, "%q already belongs to line %d", v, first)
		} else {
			p.emails[key] = line
		}
	}

	if v := cell[colHireDate]; clean[colHireDate] && v != "" {
		d, err := time.Parse(dateLayout, v)
		if err != nil || len(v) != len(dateLayout) {
			p.addf(line, colHireDate, "%q is not YYYY-MM-DD", v)
		}
		e.HireDate = d
	}

	if v := cell[colBaseBonus]; clean[colBaseBonus] && v != "" {
		f, err := strconv.ParseFloat(v, 64)
		switch {
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			p.addf(line, colBaseBonus, "%q is not a number", v)
		case f < 0:
			p.addf(line, colBaseBonus, "%q is negative", v)
		default:
			if f == 0 {
				f = 0 // not -0
			}
			e.BaseBonus = f
		}
	}

	for _, ext := range p.ext {
		v := cell[ext.Column]
		if !clean[ext.Column] || v == "" {
			continue
		}
		key := agentKey{ext.Source, v}
		if first, dup := p.agents[key]; dup {
			p.addf(line, ext.Column, "%q already belongs to line %d", v, first)
			continue
		}
		p.agents[key] = line
		e.External[ext.Source] = v
	}

	if v := cell[colLocale]; clean[colLocale] && v != "" {
		i := slices.IndexFunc(locales, func(l string) bool { return strings.EqualFold(l, v) })
		if i < 0 {
			p.addf(line, colLocale, "%q is not one of %s", v, strings.Join(locales, ", "))
		} else {
			e.Locale = locales[i]
		}
	}

	return e, len(p.problems) == before
}

// isAddress reports whether s is a bare e-mail address: no display name, no
// angle brackets, no comments.
func isAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s, "@")
}

func allEmpty(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// WriteCSV writes engineers as an engineers CSV that ParseCSV reads back to
// the same engineers (given they are valid, as ParseCSV's are: text trimmed,
// no control characters): the header of Columns, then one row per engineer
// in the order given. Hire dates are written as their UTC date, base bonuses in
// the shortest form that reads back exactly. An External source with no
// column is an error, since it could not be read back.
func (f Format) WriteCSV(w io.Writer, engineers []Engineer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(f.columns()); err != nil {
		return fmt.Errorf("write engineers CSV: %w", err)
	}
	for _, e := range engineers {
		for source := range e.External {
			if !slices.ContainsFunc(f.IDs, func(c IDColumn) bool { return c.Source == source }) {
				return fmt.Errorf("write engineers CSV: engineer %q: source %q has no column", e.ID, source)
			}
		}
		hire := ""
		if !e.HireDate.IsZero() {
			hire = e.HireDate.UTC().Format(dateLayout)
		}
		record := []string{
			e.ID, e.Name, e.Email, e.Team, e.ManagerEmail, hire,
			strconv.FormatFloat(e.BaseBonus, 'f', -1, 64),
		}
		for _, c := range f.IDs {
			record = append(record, e.External[c.Source])
		}
		record = append(record, e.Locale)
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write engineers CSV: engineer %q: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write engineers CSV: %w", err)
	}
	return nil
}
