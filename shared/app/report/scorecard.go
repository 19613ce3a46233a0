package report

import (
	"cmp"
	"html"
	htmltemplate "html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

// maxTickets is how many offending tickets a mail lists per metric; the
// workbook has them all.
const maxTickets = 5

type cardView struct {
	L *messages
	// EvidenceURL, when set, opens every ticket behind the card.
	EvidenceURL   string
	Subject       string
	Title         string
	Subtitle      string
	Greeting      string
	Intro         string
	Composite     string
	Grade         string
	GradeColor    string
	Standing      string // meets / below / insufficient sentence
	StandingStyle string // a style name: "info", "alert", "box"
	OverrideNote  string
	Groups        []metricGroup
	Improve       []improveItem
	ImproveNone   string
	Consequences  []string
	PolicyVersion string
}

type metricGroup struct {
	Name, Score string
	Metrics     []metricRow
}

type metricRow struct {
	Name, Value, Target, Points, Status, StatusColor, Note string
	Muted                                                  bool
}

type improveItem struct {
	Name, Definition, Values, Tickets string
	// TicketsHTML is Tickets with each id linked to its ticket where the
	// policy gives its system's ticket_url.
	TicketsHTML htmltemplate.HTML
}

// Scorecard renders an engineer's own monthly scorecard: every metric
// against its target, what to improve (the missed metrics with their
// definitions and a few of the tickets behind them), the consequences and
// the policy version. locale "" means the engineer's, then the policy's.
func Scorecard(c scoring.Card, e directory.Engineer, locale string, p *policy.Policy) (Mail, error) {
	return ScorecardWithEvidence(c, e, locale, p, "")
}

// ScorecardWithEvidence is Scorecard with a link to the engineer's
// evidence page (shared/app/evidencepage): every ticket behind the card.
func ScorecardWithEvidence(c scoring.Card, e directory.Engineer, locale string, p *policy.Policy, evidenceURL string) (Mail, error) {
	if p == nil {
		return Mail{}, invalid("scorecard of %s: no policy", c.EngineerID)
	}
	if c.Month.IsZero() {
		return Mail{}, invalid("scorecard of %s: no month", c.EngineerID)
	}
	m := catalog(Locale(cmp.Or(locale, e.Locale), p.Locale))
	rules := p.Rules()
	mon := m.month(c.Month.Year, int(c.Month.Month))
	who := cmp.Or(strings.TrimSpace(e.Name), c.EngineerID)
	v := cardView{
		L:             m,
		Subject:       sprintf(m.CardSubjectF, mon),
		Title:         m.CardTitle,
		Subtitle:      who + " · " + mon,
		Greeting:      sprintf(m.CardGreetingF, who),
		Intro:         sprintf(m.CardIntroF, mon),
		Composite:     m.NA,
		Grade:         m.NA,
		GradeColor:    grey,
		ImproveNone:   m.ImproveNone,
		PolicyVersion: sprintf(m.PolicyVersionF, cmp.Or(c.PolicyVersion, p.Version)),
		EvidenceURL:   evidenceURL,
	}
	if c.FromHistory {
		v.Intro += m.FromHistory
	}
	grade, meets := effective(c, rules)
	if !c.InsufficientData && c.Composite != nil {
		v.Composite = one(*c.Composite)
	}
	if grade != "" {
		v.Grade = grade
		v.GradeColor = gradeColor(rules, grade)
	}
	pass := trimNum(p.PassMark)
	switch {
	case meets == nil:
		v.Standing, v.StandingStyle = m.InsufficientLong, "info"
	case *meets:
		v.Standing, v.StandingStyle = sprintf(m.MeetsF, pass), "box"
	default:
		v.Standing, v.StandingStyle = sprintf(m.BelowF, pass), "alert"
	}
	if o := c.Override; o != nil {
		if c.Grade != "" && !c.InsufficientData {
			v.OverrideNote = sprintf(m.GradeOverriddenF, o.Grade, o.Reason, c.Grade)
		} else {
			v.OverrideNote = sprintf(m.GradeOverriddenInsF, o.Grade, o.Reason)
		}
	}

	for _, g := range metricOrder(c, p) {
		d := c.Dimensions[g.dimension]
		group := metricGroup{Name: m.dimensionName(g.dimension), Score: m.score(d.Score)}
		for _, id := range g.metrics {
			r := metricRowOf(m, string(id), c.Metrics[id])
			if meets == nil {
				r.StatusColor = grey // nothing is a failure in a month with insufficient data
			}
			group.Metrics = append(group.Metrics, r)
		}
		v.Groups = append(v.Groups, group)
	}
	missed := worstFirst(c)
	if meets == nil {
		missed, v.ImproveNone = nil, m.ImproveInsufficient
	}
	for _, id := range missed {
		r := c.Metrics[metric.ID(id)]
		item := improveItem{
			Name:       m.metricName(id),
			Definition: m.metricDefinition(id),
			Values:     sprintf(m.YourValueF, m.value(id, r.Value), m.target(id, r.Target)),
		}
		item.Tickets, item.TicketsHTML = tickets(m, r, p.TicketURL)
		v.Improve = append(v.Improve, item)
	}
	for _, q := range c.Consequences {
		v.Consequences = append(v.Consequences, m.consequence(q))
	}

	html, text, err := render("scorecard", v)
	if err != nil {
		return Mail{}, err
	}
	return Mail{Subject: v.Subject, HTML: html, Text: text}, nil
}

type dimensionMetrics struct {
	dimension string
	metrics   []metric.ID
}

// metricOrder lists the card's metrics by dimension in the policy's order;
// metrics the policy does not name come last, in the plan's order.
func metricOrder(c scoring.Card, p *policy.Policy) []dimensionMetrics {
	seen := map[metric.ID]bool{}
	var out []dimensionMetrics
	index := map[string]int{}
	for _, d := range p.Dimensions {
		g := dimensionMetrics{dimension: d.ID}
		for _, pm := range d.Metrics {
			if _, ok := c.Metrics[pm.ID]; ok {
				g.metrics = append(g.metrics, pm.ID)
				seen[pm.ID] = true
			}
		}
		index[d.ID] = len(out)
		out = append(out, g)
	}
	var rest []metric.ID
	for id := range c.Metrics {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.SortFunc(rest, func(a, b metric.ID) int { return cmp.Compare(defIndex(a), defIndex(b)) })
	for _, id := range rest {
		dim := c.Metrics[id].Dimension
		i, ok := index[dim]
		if !ok {
			index[dim] = len(out)
			i = len(out)
			out = append(out, dimensionMetrics{dimension: dim})
		}
		out[i].metrics = append(out[i].metrics, id)
	}
	return slices.DeleteFunc(out, func(g dimensionMetrics) bool { return len(g.metrics) == 0 })
}

func defIndex(id metric.ID) int {
	for i, d := range metric.Defs {
		if d.ID == id {
			return i
		}
	}
	return len(metric.Defs)
}

func metricRowOf(m *messages, id string, r scoring.MetricResult) metricRow {
	row := metricRow{
		Name:        m.metricName(id),
		Value:       m.value(id, r.Value),
		Target:      m.target(id, r.Target),
		Points:      m.score(r.Points),
		Status:      m.status(r.Status),
		StatusColor: grey,
	}
	switch r.Status {
	case scoring.Met:
		row.StatusColor = green
	case scoring.Missed:
		row.StatusColor = red
	case scoring.Bonus:
		row.Target = m.BonusTarget
		if r.Points != nil {
			row.Points = "+" + one(*r.Points)
		}
	case scoring.NoData, scoring.Insufficient:
		row.Muted = true
	}
	if r.ScoredValue != nil && r.Value != nil && *r.ScoredValue != *r.Value {
		row.Note = sprintf(m.SampleNoteF, r.N, m.value(id, r.ScoredValue))
	}
	return row
}

// tickets lists a few offending ticket ids and how many more there are.
func tickets(m *messages, r scoring.MetricResult, link func(source, id string) string) (string, htmltemplate.HTML) {
	ids := r.Offending
	if len(ids) == 0 {
		return "", ""
	}
	shown := ids[:min(len(ids), maxTickets)]
	more := ""
	if n := len(ids) - len(shown); n > 0 {
		more = sprintf(m.MoreTicketsF, n)
	}
	linked := make([]string, len(shown))
	for i, id := range shown {
		linked[i] = html.EscapeString(id)
		if i < len(r.OffendingSources) && link != nil {
			if u := link(r.OffendingSources[i], id); u != "" {
				linked[i] = `<a href="` + html.EscapeString(u) + `">` + linked[i] + `</a>`
			}
		}
	}
	text := sprintf(m.TicketsF, strings.Join(shown, ", ")) + more
	// The catalog's frame ("Tickets: %s") escaped, the ids and links put
	// in, each escaped on its own.
	frame := html.EscapeString(sprintf(m.TicketsF, "\x00"))
	return text, htmltemplate.HTML(strings.Replace(frame, "\x00", strings.Join(linked, ", "), 1) + html.EscapeString(more))
}

// worstFirst orders the missed metrics by points, lowest first, then as the
// plan lists them: what to improve most comes first.
func worstFirst(c scoring.Card) []string {
	ids := slices.Clone(c.MissedMetrics)
	points := func(id string) float64 {
		if p := c.Metrics[metric.ID(id)].Points; p != nil {
			return *p
		}
		return 100
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(points(a), points(b)), cmp.Compare(defIndex(metric.ID(a)), defIndex(metric.ID(b))))
	})
	return ids
}

// capitalize makes a phrase a sentence start ("bonus …" → "Bonus …");
// Chinese has no case and is left alone.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
