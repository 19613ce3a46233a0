package report_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scorecard/shared/app/report"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

func openWorkbook(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// raw returns a cell's stored value (no number format applied).
func raw(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// number asserts that a cell holds a number equal to want.
func number(t *testing.T, f *excelize.File, sheet, ref string, want float64) {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: type %v, want a number", sheet, ref, typ)
	}
	got, err := strconv.ParseFloat(raw(t, f, sheet, ref), 64)
	if err != nil || got != want {
		t.Errorf("%s!%s = %q, want %v", sheet, ref, raw(t, f, sheet, ref), want)
	}
}

// rowsByID maps column A (engineer id, plus column E for Metrics) to row numbers.
func rowsOf(t *testing.T, f *excelize.File, sheet string, key func([]string) string) map[string]int {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for i, r := range rows[1:] {
		out[key(r)] = i + 2
	}
	return out
}

func TestWorkbook(t *testing.T) {
	for _, locale := range locales {
		t.Run(locale, func(t *testing.T) {
			s := sampleTeam(t, locale)
			b, err := report.Workbook(s.team)
			if err != nil {
				t.Fatal(err)
			}
			f := openWorkbook(t, b)
			if got := f.GetSheetList(); strings.Join(got, ",") != "Summary,Metrics,Tickets" {
				t.Fatalf("sheets %v", got)
			}

			t.Run("header rows are bold and frozen", func(t *testing.T) {
				for _, sheet := range []string{"Summary", "Metrics"} {
					id, err := f.GetCellStyle(sheet, "A1")
					if err != nil {
						t.Fatal(err)
					}
					st, err := f.GetStyle(id)
					if err != nil || st.Font == nil || !st.Font.Bold {
						t.Errorf("%s header is not bold", sheet)
					}
					panes, err := f.GetPanes(sheet)
					if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
						t.Errorf("%s: panes %+v", sheet, panes)
					}
					w, err := f.GetColWidth(sheet, "B")
					if err != nil || w < 15 {
						t.Errorf("%s: column B width %v", sheet, w)
					}
				}
				if locale == directory.LocaleEn && raw(t, f, "Summary", "C1") != "Composite" {
					t.Errorf("Summary!C1 = %q", raw(t, f, "Summary", "C1"))
				}
				if locale == directory.LocaleZhCN && raw(t, f, "Summary", "C1") != "综合得分" {
					t.Errorf("Summary!C1 = %q", raw(t, f, "Summary", "C1"))
				}
			})

			t.Run("Summary has exactly the card values", func(t *testing.T) {
				rows := rowsOf(t, f, "Summary", func(r []string) string { return r[0] })
				if len(rows) != len(s.cards) {
					t.Fatalf("%d rows, want %d", len(rows), len(s.cards))
				}
				for id, c := range s.cards {
					r := strconv.Itoa(rows[id])
					if got := raw(t, f, "Summary", "B"+r); got != s.team.Engineers[id].Name {
						t.Errorf("%s name %q", id, got)
					}
					if c.Composite != nil {
						number(t, f, "Summary", "C"+r, *c.Composite)
					} else if raw(t, f, "Summary", "C"+r) != "" {
						t.Errorf("%s: no composite should be an empty cell", id)
					}
					if got := raw(t, f, "Summary", "D"+r); got != c.Grade {
						t.Errorf("%s grade %q, want %q", id, got, c.Grade)
					}
					meets := raw(t, f, "Summary", "E"+r)
					switch {
					case c.MeetsStandard == nil && meets != "":
						t.Errorf("%s meets %q, want empty", id, meets)
					case c.MeetsStandard != nil && *c.MeetsStandard && meets != "1":
						t.Errorf("%s meets %q, want TRUE", id, meets)
					case c.MeetsStandard != nil && !*c.MeetsStandard && meets != "0":
						t.Errorf("%s meets %q, want FALSE", id, meets)
					}
					if got := raw(t, f, "Summary", "H"+r); got != "2026.1" {
						t.Errorf("%s policy version %q", id, got)
					}
					number(t, f, "Summary", "L"+r, float64(c.Tickets))
				}
				r := strconv.Itoa(rows["E002"])
				number(t, f, "Summary", "C"+r, 85.58)
				number(t, f, "Summary", "F"+r, -0.52) // 85.58 − 86.1
				if raw(t, f, "Summary", "F"+strconv.Itoa(rows["E005"])) != "" {
					t.Error("E005 is insufficient: no change")
				}
				r6 := strconv.Itoa(rows["E006"])
				if raw(t, f, "Summary", "I"+r6) != "A" || !strings.Contains(raw(t, f, "Summary", "J"+r6), "covered the <night> shift") {
					t.Errorf("E006 override: %q %q", raw(t, f, "Summary", "I"+r6), raw(t, f, "Summary", "J"+r6))
				}
				if raw(t, f, "Summary", "K"+strconv.Itoa(rows["E005"])) != "1" {
					t.Error("E005 insufficient data flag")
				}
				cons := raw(t, f, "Summary", "G"+strconv.Itoa(rows["E003"]))
				if !strings.Contains(cons, words{"Performance warning", "绩效警告"}.in(locale)) {
					t.Errorf("E003 consequences %q", cons)
				}
			})

			t.Run("Metrics has one row per engineer and metric, numbers as numbers", func(t *testing.T) {
				rows := rowsOf(t, f, "Metrics", func(r []string) string { return r[0] + "/" + r[4] })
				want := 0
				for _, c := range s.cards {
					want += len(c.Metrics)
				}
				if len(rows) != want {
					t.Fatalf("%d metric rows, want %d", len(rows), want)
				}
				for id, c := range s.cards {
					for mid, res := range c.Metrics {
						r := strconv.Itoa(rows[id+"/"+string(mid)])
						check := func(col string, v *float64) {
							if v == nil {
								if got := raw(t, f, "Metrics", col+r); got != "" {
									t.Errorf("%s %s %s = %q, want empty", id, mid, col, got)
								}
								return
							}
							number(t, f, "Metrics", col+r, *v)
						}
						check("F", res.Value)
						check("G", res.ScoredValue)
						check("H", res.Points)
						check("L", res.Target)
						check("M", res.Floor)
						if res.Value != nil {
							number(t, f, "Metrics", "I"+r, res.Numerator)
							number(t, f, "Metrics", "J"+r, res.Denominator)
							number(t, f, "Metrics", "K"+r, float64(res.N))
						}
						if got := raw(t, f, "Metrics", "O"+r); got != strings.Join(res.Offending, ", ") {
							t.Errorf("%s %s offending %q", id, mid, got)
						}
					}
				}
				r := strconv.Itoa(rows["E003/"+string(metric.ResolutionSLARate)])
				number(t, f, "Metrics", "F"+r, 0.8)
				number(t, f, "Metrics", "I"+r, 96)
				number(t, f, "Metrics", "J"+r, 120)
				if got, want := raw(t, f, "Metrics", "N"+r), (words{"missed", "未达标"}).in(locale); got != want {
					t.Errorf("status %q", got)
				}
				if got, want := raw(t, f, "Metrics", "C"+r), (words{"Problem resolution", "问题解决"}).in(locale); got != want {
					t.Errorf("dimension %q", got)
				}
				if !strings.HasPrefix(raw(t, f, "Metrics", "O"+r), "T-202610-00412, T-202610-00413, ") {
					t.Errorf("offending %q", raw(t, f, "Metrics", "O"+r))
				}
				// Rates are fractions shown as percentages.
				shown, err := f.GetCellValue("Metrics", "F"+r)
				if err != nil || shown != "80.0%" {
					t.Errorf("shown %q, want 80.0%%", shown)
				}
			})
		})
	}
}

func TestWorkbookEmptyTeam(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	s.team.Cards = []scoring.Card{}
	b, err := report.Workbook(s.team)
	if err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, b)
	rows, err := f.GetRows("Summary")
	if err != nil || len(rows) != 1 {
		t.Errorf("an empty team has only the header row: %v %v", rows, err)
	}
}

// Ticket ids link to their tickets where the policy gives the system's
// ticket_url: in the scorecard mail and on the workbook's Tickets sheet.
func TestTicketLinks(t *testing.T) {
	p, err := policy.Parse([]byte("base: default\nversion: links\nsources:\n  zendesk: {ticket_url: \"https://acme.zendesk.com/agent/tickets/{id}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := plainCard(p, "E001", ptr(60.0), false)
	c.MissedMetrics = []string{string(metric.ResolutionSLARate)}
	c.Metrics = map[metric.ID]scoring.MetricResult{metric.ResolutionSLARate: {
		Value: ptr(0.5), Points: ptr(0.0), Status: scoring.Missed, Target: ptr(0.95), Floor: ptr(0.65),
		Offending: []string{"4711", "<b>7</b>"}, OffendingSources: []string{"zendesk", "freshdesk"},
	}}
	mail, err := report.Scorecard(c, directory.Engineer{ID: "E001", Name: "Ann"}, "en", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mail.HTML, `<a href="https://acme.zendesk.com/agent/tickets/4711">4711</a>`) {
		t.Errorf("the Zendesk ticket is not linked:\n%s", mail.HTML)
	}
	if strings.Contains(mail.HTML, "<b>7</b>") || !strings.Contains(mail.HTML, "&lt;b&gt;7&lt;/b&gt;") {
		t.Errorf("an id without a link must be shown escaped")
	}
	if !strings.Contains(mail.Text, "4711, <b>7</b>") {
		t.Errorf("text mail: %s", mail.Text)
	}
	b, err := report.Workbook(report.Team{Name: "North", Locale: "en", Month: october, Cards: []scoring.Card{c}, Policy: p,
		Engineers: map[string]directory.Engineer{"E001": {ID: "E001", Name: "Ann"}}})
	if err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, b)
	if raw(t, f, "Tickets", "F2") != "4711" || raw(t, f, "Tickets", "E2") != "zendesk" || raw(t, f, "Tickets", "F3") != "<b>7</b>" {
		t.Errorf("Tickets sheet: %q %q %q", raw(t, f, "Tickets", "E2"), raw(t, f, "Tickets", "F2"), raw(t, f, "Tickets", "F3"))
	}
	if ok, target, err := f.GetCellHyperLink("Tickets", "F2"); err != nil || !ok || target != "https://acme.zendesk.com/agent/tickets/4711" {
		t.Errorf("F2 link %v %q %v", ok, target, err)
	}
	if ok, _, _ := f.GetCellHyperLink("Tickets", "F3"); ok {
		t.Errorf("a ticket of a system without ticket_url is linked")
	}
}
