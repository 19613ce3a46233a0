package report

import (
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/scoring"
)

// Sheet names of the workbook. They stay English in both languages so that
// anything reading the file finds them; the header rows are in the
// manager's language.
const (
	SummarySheet = "Summary"
	MetricsSheet = "Metrics"
	TicketsSheet = "Tickets"
)

// Workbook builds the team report's .xlsx: sheet Summary, one row per
// engineer (id, name, composite, grade, meets standard, change from last
// month, consequences, policy version, then effective grade, override,
// insufficient data, tickets), and sheet Metrics, one row per engineer ×
// metric (id, name, dimension, metric, metric id, value, scored value,
// points, numerator, denominator, n, target, floor, status, offending
// tickets), and sheet Tickets, one row per offending ticket of a missed
// metric (id, name, metric, metric id, system, ticket), the ticket linked
// to its page where the policy gives its system's ticket_url). Numbers are numbers (rates as fractions shown as percentages);
// an absent value is an empty cell. Rows are in the team table's order.
func Workbook(t Team) ([]byte, error) {
	if err := checkTeam(t); err != nil {
		return nil, err
	}
	m := catalog(Locale(t.Locale, t.Policy.Locale))
	rules := t.Policy.Rules()
	cards := sortedCards(t.Cards, t.Engineers)

	f := excelize.NewFile()
	defer f.Close()
	w := &sheetWriter{f: f}
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return nil, xlsxErr(err)
	}
	for _, sheet := range []string{MetricsSheet, TicketsSheet} {
		if _, err := f.NewSheet(sheet); err != nil {
			return nil, xlsxErr(err)
		}
	}
	w.init()

	w.header(SummarySheet, m.WorkbookSummary)
	for i, c := range cards {
		row := i + 2
		var meets, change any
		if c.MeetsStandard != nil {
			meets = *c.MeetsStandard
		}
		if p, ok := t.Previous[c.EngineerID]; ok && !c.InsufficientData && c.Composite != nil && !p.InsufficientData && p.Composite != nil {
			change = round2(*c.Composite - *p.Composite)
		}
		cons := make([]string, 0, len(c.Consequences))
		for _, q := range c.Consequences {
			cons = append(cons, m.consequence(q))
		}
		grade, _ := effective(c, rules)
		override := ""
		if o := c.Override; o != nil {
			override = sprintf(m.WorkbookOverrideBy, o.By, o.Reason)
			if o.By == "" {
				override = o.Reason
			}
		}
		w.row(SummarySheet, row, []cell{
			{v: c.EngineerID},
			{v: name(t.Engineers, c.EngineerID)},
			{v: deref(c.Composite), style: w.oneDec},
			{v: c.Grade},
			{v: meets},
			{v: change, style: w.signed},
			{v: strings.Join(cons, m.WorkbookConsSep)},
			{v: c.PolicyVersion},
			{v: grade},
			{v: override},
			{v: c.InsufficientData},
			{v: c.Tickets, style: w.whole},
		})
	}
	w.finish(SummarySheet, len(m.WorkbookSummary), len(cards)+1, []float64{14, 22, 11, 7, 10, 9, 60, 12, 10, 30, 10, 8})

	w.header(MetricsSheet, m.WorkbookMetrics)
	row := 2
	for _, c := range cards {
		for _, g := range metricOrder(c, t.Policy) {
			for _, id := range g.metrics {
				r := c.Metrics[id]
				def, _ := metric.Lookup(id)
				vs := w.valueStyle(def.Unit)
				w.row(MetricsSheet, row, []cell{
					{v: c.EngineerID},
					{v: name(t.Engineers, c.EngineerID)},
					{v: m.dimensionName(g.dimension)},
					{v: m.metricName(string(id))},
					{v: string(id)},
					{v: deref(r.Value), style: vs},
					{v: deref(r.ScoredValue), style: vs},
					{v: deref(r.Points), style: w.oneDec},
					{v: numIfData(r, r.Numerator), style: w.general},
					{v: numIfData(r, r.Denominator), style: w.general},
					{v: intIfData(r, r.N), style: w.whole},
					{v: deref(r.Target), style: vs},
					{v: deref(r.Floor), style: vs},
					{v: m.status(r.Status)},
					{v: strings.Join(r.Offending, ", ")},
				})
				row++
			}
		}
	}
	w.finish(MetricsSheet, len(m.WorkbookMetrics), row-1, []float64{14, 22, 20, 30, 28, 10, 11, 8, 11, 12, 6, 9, 9, 12, 60})

	w.header(TicketsSheet, m.WorkbookTickets)
	row = 2
	for _, c := range cards {
		for _, id := range worstFirst(c) {
			r := c.Metrics[metric.ID(id)]
			for i, tk := range r.Offending {
				source := ""
				if i < len(r.OffendingSources) {
					source = r.OffendingSources[i]
				}
				w.row(TicketsSheet, row, []cell{
					{v: c.EngineerID}, {v: name(t.Engineers, c.EngineerID)}, {v: m.metricName(id)}, {v: id}, {v: source}, {v: tk},
				})
				if u := t.Policy.TicketURL(source, tk); u != "" {
					w.link(TicketsSheet, 6, row, u)
				}
				row++
			}
		}
	}
	w.finish(TicketsSheet, len(m.WorkbookTickets), row-1, []float64{14, 22, 30, 28, 12, 24})
	if w.err != nil {
		return nil, xlsxErr(w.err)
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, xlsxErr(err)
	}
	return buf.Bytes(), nil
}

func xlsxErr(err error) error { return errcode.Wrap(errcode.Internal, err, "build the team workbook") }

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func numIfData(r scoring.MetricResult, x float64) any {
	if r.Value == nil {
		return nil
	}
	return x
}

func intIfData(r scoring.MetricResult, n int) any {
	if r.Value == nil {
		return nil
	}
	return n
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

type cell struct {
	v     any
	style int
}

// sheetWriter writes cells and keeps the first error.
type sheetWriter struct {
	f                                                     *excelize.File
	err                                                   error
	head, percent, oneDec, twoDec, whole, signed, general int
}

func (w *sheetWriter) init() {
	style := func(s *excelize.Style) int {
		id, err := w.f.NewStyle(s)
		if err != nil && w.err == nil {
			w.err = err
		}
		return id
	}
	custom := func(format string) *excelize.Style { return &excelize.Style{CustomNumFmt: &format} }
	w.head = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E5E7EB"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "9CA3AF", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	w.percent = style(custom("0.0%"))
	w.oneDec = style(custom("0.0"))
	w.twoDec = style(custom("0.00"))
	w.whole = style(custom("0"))
	w.signed = style(custom("+0.00;-0.00;0.00"))
	w.general = style(custom("General"))
}

func (w *sheetWriter) valueStyle(unit string) int {
	switch unit {
	case "rate":
		return w.percent
	case "count":
		return w.general
	case "hours", "per_week":
		return w.twoDec
	}
	return w.oneDec
}

func (w *sheetWriter) header(sheet string, names []string) {
	for i, n := range names {
		w.set(sheet, i+1, 1, cell{v: n, style: w.head})
	}
}

func (w *sheetWriter) row(sheet string, row int, cells []cell) {
	for i, c := range cells {
		w.set(sheet, i+1, row, c)
	}
}

// link makes a cell a hyperlink to url.
func (w *sheetWriter) link(sheet string, col, row int, url string) {
	if w.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = w.f.SetCellHyperLink(sheet, ref, url, "External")
	}
	w.err = err
}

func (w *sheetWriter) set(sheet string, col, row int, c cell) {
	if w.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		w.err = err
		return
	}
	switch v := c.v.(type) {
	case nil:
		// an empty cell, never a "<nil>"
	case string:
		if v != "" {
			w.err = w.f.SetCellStr(sheet, ref, v)
		}
	default:
		w.err = w.f.SetCellValue(sheet, ref, v)
	}
	if w.err == nil && c.style != 0 {
		w.err = w.f.SetCellStyle(sheet, ref, ref, c.style)
	}
}

// finish freezes the header row, adds a filter over the table and sets
// column widths.
func (w *sheetWriter) finish(sheet string, cols, lastRow int, widths []float64) {
	if w.err != nil {
		return
	}
	last, _ := excelize.CoordinatesToCellName(cols, max(lastRow, 1))
	if w.err = w.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	}); w.err != nil {
		return
	}
	if w.err = w.f.AutoFilter(sheet, "A1:"+last, nil); w.err != nil {
		return
	}
	for i, width := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if w.err = w.f.SetColWidth(sheet, col, col, width); w.err != nil {
			return
		}
	}
}
