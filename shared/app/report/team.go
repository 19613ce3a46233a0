package report

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
)

// maxMissedShown is how many missed metrics a row of the team table names
// before "+N more"; the workbook and the engineer's scorecard have them all.
const maxMissedShown = 4

type teamView struct {
	L              *messages
	Subject        string
	Title          string
	Subtitle       string
	Intro          string
	Summary        string
	Rows           []teamRow
	Histogram      *chartView
	Trend          *chartView
	Gaps           []gapRow
	GapsIntro      string
	Pending        *pendingView
	Calibration    *calibrationView
	AttachmentNote string
	PolicyVersion  string
}

type teamRow struct {
	ID, Name         string
	Evidence         string // the engineer's evidence page, if linked
	Composite        string // "85.6", or "" when insufficient
	Insufficient     bool
	InsufficientNote string // "3 tickets"
	Grade            string // computed grade, or "—"
	GradeColor       string
	Override         *overrideView
	Change           string
	ChangeColor      string
	Missed           []string
	MissedMore       string // "+3 more" after Missed
	Consequences     []string
}

type overrideView struct {
	Grade, GradeColor, Note string
}

type chartView struct {
	CID, Alt, Title, Caption string
	Width, Height            int
	Legend                   []legendItem
}

type legendItem struct{ Color, Label string }

type gapRow struct {
	Name, Aspect, Self, Lead, Gap string
	Highlight                     bool
}

// TeamReport renders the monthly team report for the team's manager: a
// table of the engineers, a summary line, two inline charts (engineers per
// grade band, composites over six months) and the Workbook as attachment.
func TeamReport(t Team) (Mail, error) {
	if err := checkTeam(t); err != nil {
		return Mail{}, err
	}
	rules := t.Policy.Rules()
	m := catalog(Locale(t.Locale, t.Policy.Locale))
	cards := sortedCards(t.Cards, t.Engineers)

	v := teamView{
		L:             m,
		Subject:       sprintf(m.TeamSubjectF, t.Name, m.month(t.Month.Year, int(t.Month.Month))),
		Title:         sprintf(m.TeamTitleF, t.Name),
		Subtitle:      m.month(t.Month.Year, int(t.Month.Month)),
		Intro:         m.TeamIntro,
		PolicyVersion: sprintf(m.PolicyVersionF, policyVersion(t)),
	}
	var meet, below, insufficient, warnings, adjustments int
	var sum float64
	var scored int
	for _, c := range cards {
		v.Rows = append(v.Rows, teamRowOf(m, rules, t, c))
		switch _, meets := effective(c, rules); {
		case meets == nil:
			insufficient++
		case *meets:
			meet++
		default:
			below++
		}
		if !c.InsufficientData && c.Composite != nil {
			sum += *c.Composite
			scored++
		}
		for _, q := range c.Consequences {
			switch q.Kind {
			case consequence.Warning:
				warnings++
			case consequence.PositionAdjustment:
				adjustments++
			}
		}
	}
	v.Summary = sprintf(m.TeamSummaryF, len(cards), meet, below, insufficient)
	if scored > 0 {
		mean := sum / float64(scored)
		v.Summary += sprintf(m.TeamMeanF, one(mean))
	}
	if warnings+adjustments > 0 {
		v.Summary += sprintf(m.TeamStreaksF, warnings, adjustments)
	}
	if len(cards) > 0 && cards[0].FromHistory {
		v.Summary += m.FromHistory
	}

	var mail Mail
	hist, err := histogram(m, rules, cards)
	if err != nil {
		return Mail{}, err
	}
	if hist != nil {
		v.Histogram = &hist.view
		mail.Inline = append(mail.Inline, hist.part)
	}
	trend, err := trendChart(m, t, cards)
	if err != nil {
		return Mail{}, err
	}
	if trend != nil {
		v.Trend = &trend.view
		mail.Inline = append(mail.Inline, trend.part)
	}
	v.Pending = pending(m, t)
	v.Calibration = calibration(m, t)
	v.Gaps = gapRows(m, t)
	v.GapsIntro = sprintf(m.GapsIntroF, trimNum(GapHighlight))

	xlsx, err := Workbook(t)
	if err != nil {
		return Mail{}, err
	}
	file := WorkbookName(t)
	mail.Attachments = []Part{{Filename: file, ContentType: xlsxType, Data: xlsx}}
	v.AttachmentNote = sprintf(m.AttachmentNoteF, file)

	mail.Subject = v.Subject
	mail.HTML, mail.Text, err = render("team", v)
	if err != nil {
		return Mail{}, err
	}
	return mail, nil
}

// WorkbookName is the team report's attachment name:
// scorecard-<team>-<YYYY-MM>.xlsx, the team name reduced to letters,
// digits, "-" and "_".
func WorkbookName(t Team) string {
	team := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, strings.TrimSpace(t.Name))
	team = strings.Trim(team, "-")
	if team == "" {
		team = "team"
	}
	return "scorecard-" + team + "-" + t.Month.String() + ".xlsx"
}

func checkTeam(t Team) error {
	if t.Policy == nil {
		return invalid("team report %s: no policy", t.Name)
	}
	if t.Month.IsZero() {
		return invalid("team report %s: no month", t.Name)
	}
	for _, c := range t.Cards {
		if c.Month != t.Month {
			return invalid("team report %s: card of %s is for %s, not %s", t.Name, c.EngineerID, c.Month, t.Month)
		}
	}
	return nil
}

func policyVersion(t Team) string {
	versions := map[string]bool{}
	var out []string
	for _, c := range t.Cards {
		if c.PolicyVersion != "" && !versions[c.PolicyVersion] {
			versions[c.PolicyVersion] = true
			out = append(out, c.PolicyVersion)
		}
	}
	if len(out) == 0 {
		return t.Policy.Version
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// sortedCards orders the table: composite, best first; insufficient data
// last; ties by name.
func sortedCards(cards []scoring.Card, engineers map[string]directory.Engineer) []scoring.Card {
	out := slices.Clone(cards)
	key := func(c scoring.Card) float64 {
		if c.InsufficientData || c.Composite == nil {
			return math.Inf(-1)
		}
		return *c.Composite
	}
	slices.SortStableFunc(out, func(a, b scoring.Card) int {
		if c := cmp.Compare(key(b), key(a)); c != 0 {
			return c
		}
		if c := strings.Compare(name(engineers, a.EngineerID), name(engineers, b.EngineerID)); c != 0 {
			return c
		}
		return strings.Compare(a.EngineerID, b.EngineerID)
	})
	return out
}

func teamRowOf(m *messages, rules consequence.Rules, t Team, c scoring.Card) teamRow {
	r := teamRow{
		ID:          c.EngineerID,
		Name:        name(t.Engineers, c.EngineerID),
		Evidence:    t.Evidence[c.EngineerID],
		Grade:       m.NA,
		GradeColor:  grey,
		Change:      m.NA,
		ChangeColor: grey,
	}
	if c.InsufficientData || c.Composite == nil {
		r.Insufficient = true
		r.InsufficientNote = sprintf(m.InsufficientTickets, c.Tickets)
	} else {
		r.Composite = one(*c.Composite)
		if c.Grade != "" {
			r.Grade = c.Grade
			r.GradeColor = gradeColor(rules, c.Grade)
		}
		if p, ok := t.Previous[c.EngineerID]; !ok {
			r.Change = m.NewThisMonth
		} else if !p.InsufficientData && p.Composite != nil {
			d := *c.Composite - *p.Composite
			r.Change = change(d)
			switch r.Change[0] {
			case '+':
				r.ChangeColor = green
			case '-':
				r.ChangeColor = red
			}
		}
	}
	if o := c.Override; o != nil {
		r.Override = &overrideView{Grade: o.Grade, GradeColor: gradeColor(rules, o.Grade), Note: overrideNote(m, o)}
	}
	missed := worstFirst(c)
	for i, id := range missed {
		if r.Insufficient {
			break // a month with insufficient data is not a failure: no misses listed
		}
		if i == maxMissedShown && len(missed) > maxMissedShown+1 {
			r.MissedMore = sprintf(m.MoreMetricsF, len(missed)-i)
			break
		}
		r.Missed = append(r.Missed, m.metricName(id))
	}
	for _, q := range c.Consequences {
		if q.Kind == consequence.InsufficientData {
			continue // the composite column says so
		}
		r.Consequences = append(r.Consequences, m.consequence(q))
	}
	return r
}

func overrideNote(m *messages, o *consequence.Override) string {
	if o.By != "" {
		return sprintf(m.OverrideF, o.By, o.Reason)
	}
	return sprintf(m.OverrideNoBy, o.Reason)
}

type chart struct {
	view chartView
	part Part
}

// histogram counts the engineers per grade band of their computed
// composite; nil when no engineer has sufficient data.
func histogram(m *messages, rules consequence.Rules, cards []scoring.Card) (*chart, error) {
	n := len(rules.Grades)
	labels := make([]string, n)
	colors := make([]string, n)
	counts := make([]int, n)
	for i, g := range rules.Grades {
		switch {
		case i == n-1:
			labels[i] = g.Grade + " (<" + trimNum(rules.Grades[max(0, i-1)].Min) + ")"
		default:
			labels[i] = g.Grade + " (" + trimNum(g.Min) + "+)"
		}
		if n == 1 {
			labels[i] = g.Grade
		}
		colors[i] = gradeColor(rules, g.Grade)
	}
	graded, insufficient := 0, 0
	for _, c := range cards {
		if c.InsufficientData || c.Composite == nil {
			insufficient++
			continue
		}
		grade := c.Grade
		if grade == "" {
			grade = rules.GradeFor(*c.Composite)
		}
		for i, g := range rules.Grades {
			if g.Grade == grade {
				counts[i]++
				graded++
			}
		}
	}
	if graded == 0 {
		return nil, nil
	}
	png, err := histogramPNG(labels, counts, colors)
	if err != nil {
		return nil, err
	}
	caption := m.HistogramCaption
	if insufficient > 0 {
		caption = sprintf(m.HistogramCaptionF, insufficient)
	}
	return &chart{
		view: chartView{CID: HistogramCID, Alt: m.HistogramAlt, Title: m.HistogramTitle, Caption: caption, Width: chartWidth, Height: chartHeight},
		part: Part{Filename: "grades.png", ContentType: pngType, ContentID: HistogramCID, Data: png},
	}, nil
}

// trendChart draws six months of composites: one line per engineer for
// small teams, the team mean ± one standard deviation for larger ones; nil
// when there is nothing to draw.
func trendChart(m *messages, t Team, cards []scoring.Card) (*chart, error) {
	months := make([]month.Month, 6)
	labels := make([]string, 6)
	for i := range months {
		months[i] = t.Month.Add(i - 5)
		labels[i] = months[i].String()
	}
	type person struct {
		name   string
		values []float64
	}
	var people []person
	for _, c := range cards {
		vals := make([]float64, len(months))
		for i := range vals {
			vals[i] = math.NaN()
		}
		points, ok := t.Trend[c.EngineerID]
		if !ok && !c.InsufficientData && c.Composite != nil {
			points = []TrendPoint{{Month: t.Month, Composite: c.Composite}}
		}
		has := false
		for _, p := range points {
			if i := p.Month.Index() - months[0].Index(); i >= 0 && i < len(months) && p.Composite != nil && !math.IsNaN(*p.Composite) {
				vals[i] = *p.Composite
				has = true
			}
		}
		if has {
			people = append(people, person{name(t.Engineers, c.EngineerID), vals})
		}
	}
	if len(people) == 0 {
		return nil, nil
	}
	var lines []trendLine
	var legend []legendItem
	caption := ""
	if len(people) <= trendMaxLines {
		for i, p := range people {
			c := seriesColors[i%len(seriesColors)]
			lines = append(lines, trendLine{Values: p.values, Color: c})
			legend = append(legend, legendItem{Color: c, Label: p.name})
		}
	} else {
		mean, plus, minus := make([]float64, 6), make([]float64, 6), make([]float64, 6)
		for i := range months {
			var xs []float64
			for _, p := range people {
				if !math.IsNaN(p.values[i]) {
					xs = append(xs, p.values[i])
				}
			}
			mean[i], plus[i], minus[i] = math.NaN(), math.NaN(), math.NaN()
			if len(xs) > 0 {
				mu, sd := meanSD(xs)
				mean[i], plus[i], minus[i] = mu, math.Min(100, mu+sd), math.Max(0, mu-sd)
			}
		}
		lines = []trendLine{{plus, "#93c5fd"}, {mean, seriesColors[0]}, {minus, "#93c5fd"}}
		legend = []legendItem{{seriesColors[0], m.TrendMean}, {"#93c5fd", m.TrendPlusSD + " / " + m.TrendMinusSD}}
		caption = m.TrendCaptionTeam
	}
	legend = append(legend, legendItem{"#9ca3af", sprintf(m.TrendPassMarkF, trimNum(t.Policy.PassMark))})
	png, err := trendPNG(labels, lines, t.Policy.PassMark)
	if err != nil {
		return nil, err
	}
	return &chart{
		view: chartView{CID: TrendCID, Alt: m.TrendAlt, Title: m.TrendTitle, Caption: caption, Width: chartWidth, Height: chartHeight, Legend: legend},
		part: Part{Filename: "trend.png", ContentType: pngType, ContentID: TrendCID, Data: png},
	}, nil
}

func meanSD(xs []float64) (float64, float64) {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mu := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mu) * (x - mu)
	}
	return mu, math.Sqrt(ss / float64(len(xs)))
}

func gapRows(m *messages, t Team) []gapRow {
	var rows []gapRow
	for _, g := range t.Gaps {
		aspect := m.Aspects[g.Aspect]
		if aspect == "" {
			aspect = g.Aspect
		}
		d := g.Self - g.Lead
		rows = append(rows, gapRow{
			Name:      name(t.Engineers, g.EngineerID),
			Aspect:    aspect,
			Self:      one(g.Self),
			Lead:      one(g.Lead),
			Gap:       change(d),
			Highlight: math.Abs(d) >= GapHighlight,
		})
	}
	return rows
}

// calibrationView is the team report's section on the quality reviewers.
type calibrationView struct {
	Title, Intro string
	Head         []string
	Rows         [][]string
}

// LeanBy is how far (points) a reviewer's mean difference from the other
// reviewer of the same tickets goes before the report calls them harsher
// or softer.
const LeanBy = 10

var calibrationEn = struct{ Title, Intro, Reviewer, Reviews, Mean, Pairs, Other, Bias, Team, Lean, Harsher, Softer, InLine, NoPairs string }{
	Title:    "Quality reviewers: calibration",
	Intro:    "A share of the sampled tickets is reviewed twice. Per reviewer: their mean score; on the tickets reviewed beside another reviewer, the mean absolute difference and the mean signed difference (below 0: harsher); and the mean absolute difference from the mean of all the month's reviews of the same team's tickets.",
	Reviewer: "Reviewer", Reviews: "Reviews", Mean: "Mean", Pairs: "Shared", Other: "± other", Bias: "Bias", Team: "± team mean", Lean: "Grades",
	Harsher: "harsher", Softer: "softer", InLine: "in line", NoPairs: "—",
}

var calibrationZhCN = struct{ Title, Intro, Reviewer, Reviews, Mean, Pairs, Other, Bias, Team, Lean, Harsher, Softer, InLine, NoPairs string }{
	Title:    "质检评审一致性",
	Intro:    "部分抽检工单由两位评审分别评分。每位评审：平均分；与另一位评审共同评审的工单上的平均绝对差与平均差（小于 0：更严格）；以及与本月同组工单全部评审平均分的平均绝对差。",
	Reviewer: "评审人", Reviews: "评审数", Mean: "平均分", Pairs: "共同评审", Other: "与另一评审差", Bias: "偏差", Team: "与组均值差", Lean: "评分倾向",
	Harsher: "偏严", Softer: "偏松", InLine: "一致", NoPairs: "—",
}

// calibration lists the reviewers of the team's tickets; nil for none.
func calibration(m *messages, t Team) *calibrationView {
	if len(t.Calibration) == 0 {
		return nil
	}
	w := calibrationEn
	if m.Lang == zhCN.Lang {
		w = calibrationZhCN
	}
	title := w.Title
	if !t.CalibrationMonth.IsZero() {
		title += " — " + m.month(t.CalibrationMonth.Year, int(t.CalibrationMonth.Month))
	}
	v := &calibrationView{Title: title, Intro: w.Intro, Head: []string{w.Reviewer, w.Reviews, w.Mean, w.Pairs, w.Other, w.Bias, w.Team, w.Lean}}
	for _, a := range t.Calibration {
		other, bias, lean := w.NoPairs, w.NoPairs, w.NoPairs
		if a.Pairs > 0 {
			other, bias, lean = one(a.DiffOther), change(a.BiasOther), w.InLine
			switch {
			case a.BiasOther <= -LeanBy:
				lean = w.Harsher
			case a.BiasOther >= LeanBy:
				lean = w.Softer
			}
		}
		v.Rows = append(v.Rows, []string{reviewerName(t, a.Reviewer), itoa(a.Reviews), one(a.Mean), itoa(a.Pairs), other, bias, one(a.DiffTeam), lean})
	}
	return v
}

// reviewerName is a reviewer's name when the team's directory knows the
// address, else the address.
func reviewerName(t Team, addr string) string {
	for _, e := range t.Engineers {
		if strings.EqualFold(e.Email, addr) && strings.TrimSpace(e.Name) != "" {
			return e.Name
		}
	}
	return addr
}
