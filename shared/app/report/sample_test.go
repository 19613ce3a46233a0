package report_test

import (
	"fmt"
	"testing"
	"time"

	"scorecard/shared/app/report"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

var october = month.Month{Year: 2026, Month: time.October}

func val(num, den float64, n int, offending ...string) *metric.Value {
	return &metric.Value{Numerator: num, Denominator: den, N: n, Offending: offending}
}

func set(x float64) *metric.Value { v := &metric.Value{}; v.Set(x, 1); return v }

func ptr[T any](v T) *T { return &v }

// tickets returns n ticket ids T-202610-00001 … for evidence.
func tickets(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("T-202610-%05d", from+i)
	}
	return out
}

// engineerMonth is a month of measurements of one engineer: everything a
// little better than its target unless extra says otherwise.
func engineerMonth(id string, tickets int, extra map[metric.ID]*metric.Value) *metric.Month {
	fn := float64(tickets)
	v := map[metric.ID]*metric.Value{
		metric.CSATScore:                  val(930, 10, 10),
		metric.CSATSatisfiedRate:          val(19, 20, 20),
		metric.ComplaintRate:              val(fn*0.03, fn, tickets),
		metric.Complaint24hRate:           val(2, 2, 2),
		metric.ResolutionSLARate:          val(fn*0.97, fn, tickets),
		metric.AvgHandleHours:             val(fn*18, fn, tickets),
		metric.CompletionRate:             val(fn*0.99, fn, tickets),
		metric.ResolutionSuccessRate:      val(fn*0.97, fn, tickets),
		metric.FollowupConfirmedRate:      val(19, 20, 20),
		metric.LeadProblemSolvingScore:    set(90),
		metric.AvgFirstResponseHours:      val(fn*1.5, fn, tickets),
		metric.FirstResponse1hRate:        val(fn, fn, tickets),
		metric.TrainingHours:              set(6),
		metric.TrainingCompletionRate:     set(1),
		metric.KnowledgeScore:             set(88),
		metric.LeadCollaborationScore:     set(90),
		metric.LeadAttitudeScore:          set(90),
		metric.KnowledgeSharesPerWeek:     set(2.5),
		metric.SkillExchangeParticipation: set(0.9),
		metric.CollaborationCases:         set(3),
	}
	for k, x := range extra {
		v[k] = x
	}
	return &metric.Month{Engineer: metric.Engineer{ID: id, Team: "north"}, Tickets: tickets, Values: v}
}

type sample struct {
	team  report.Team
	cards map[string]scoring.Card
}

// sampleTeam is a realistic team month: a strong engineer with promotion
// priority, one at exactly composite 85.58, one warned with evidence, one
// with a position adjustment, one on leave (insufficient data) and one
// whose grade the manager overrode, with a name that needs escaping.
func sampleTeam(t testing.TB, locale string) sample {
	t.Helper()
	p := policy.Default()
	months := []*metric.Month{
		engineerMonth("E001", 180, map[metric.ID]*metric.Value{
			metric.KnowledgeScore: set(78),
		}),
		engineerMonth("E002", 150, map[metric.ID]*metric.Value{
			metric.CSATScore:             val(850, 10, 10),
			metric.ResolutionSLARate:     val(135, 150, 150, tickets(120, 15)...),
			metric.AvgFirstResponseHours: val(150*2.5, 150, 150, tickets(300, 4)...),
		}),
		engineerMonth("E003", 120, map[metric.ID]*metric.Value{
			metric.CSATScore:             val(700, 10, 10, "T-202610-00777", "T-202610-00778"),
			metric.CSATSatisfiedRate:     val(15, 20, 20, tickets(780, 5)...),
			metric.ResolutionSLARate:     val(96, 120, 120, tickets(412, 24)[:20]...),
			metric.AvgHandleHours:        val(120*36, 120, 120, tickets(440, 12)...),
			metric.AvgFirstResponseHours: val(120*4.5, 120, 120, tickets(501, 7)...),
			metric.FirstResponse1hRate:   val(96, 120, 120, tickets(520, 20)...),
			metric.ComplaintRate:         val(12, 120, 120, tickets(600, 12)...),
			metric.LeadAttitudeScore:     set(72),
		}),
		engineerMonth("E004", 90, map[metric.ID]*metric.Value{
			metric.CSATScore:               val(650, 10, 10, tickets(950, 4)...),
			metric.CSATSatisfiedRate:       val(14, 20, 20, tickets(960, 6)...),
			metric.CompletionRate:          val(70, 90, 90, tickets(900, 3)...),
			metric.ResolutionSLARate:       val(65, 90, 90, tickets(910, 20)...),
			metric.AvgHandleHours:          val(90*50, 90, 90, tickets(930, 9)...),
			metric.AvgFirstResponseHours:   val(90*5, 90, 90, tickets(940, 8)...),
			metric.FirstResponse1hRate:     val(63, 90, 90, tickets(970, 20)...),
			metric.LeadProblemSolvingScore: set(70),
			metric.TrainingHours:           set(2),
		}),
		engineerMonth("E005", 3, nil),
		engineerMonth("E006", 140, map[metric.ID]*metric.Value{
			// a small survey sample: shrunk toward the team mean
			metric.CSATScore:              val(3*75, 3, 3, "T-202610-01001"),
			metric.ResolutionSLARate:      val(126, 140, 140, tickets(1010, 14)...),
			metric.AvgFirstResponseHours:  val(140*3, 140, 140, tickets(1030, 6)...),
			metric.FirstResponse1hRate:    val(119, 140, 140, tickets(1040, 20)...),
			metric.AvgHandleHours:         val(140*30, 140, 140, tickets(1070, 9)...),
			metric.CompletionRate:         val(133, 140, 140, tickets(1080, 7)...),
			metric.TrainingHours:          set(2),
			metric.LeadCollaborationScore: set(70),
			metric.KnowledgeSharesPerWeek: set(1),
		}),
	}
	cards := map[string]scoring.Card{}
	for _, c := range scoring.Score(p, october, months) {
		cards[c.EngineerID] = c
	}
	// A card at exactly 85.58, the number the tests look for.
	e2 := cards["E002"]
	e2.Composite, e2.Grade, e2.MeetsStandard = ptr(85.58), "B", ptr(true)
	cards["E002"] = e2

	e1 := cards["E001"]
	e1.Consequences = []consequence.Consequence{
		{Kind: consequence.Bonus, Amount: 8700, Multiplier: 1.5},
		{Kind: consequence.PromotionPriority, Months: []string{"2026-06", "2026-08", "2026-10"}},
	}
	cards["E001"] = e1

	e3 := cards["E003"]
	e3.Consequences = []consequence.Consequence{
		{Kind: consequence.Warning, Streak: 2, Months: []string{"2026-09", "2026-10"}},
		{Kind: consequence.TrainingPlan, Streak: 2, Months: []string{"2026-09", "2026-10"}, Metrics: []string{"avg_first_response_hours", "csat_score", "resolution_sla_rate"}},
		{Kind: consequence.Bonus, Amount: 2900, Multiplier: 0.5},
	}
	cards["E003"] = e3

	e4 := cards["E004"]
	e4.Consequences = []consequence.Consequence{
		{Kind: consequence.PositionAdjustment, Streak: 3, Months: []string{"2026-07", "2026-09", "2026-10"}},
		{Kind: consequence.TrainingPlan, Streak: 3, Months: []string{"2026-07", "2026-09", "2026-10"}, Metrics: []string{"completion_rate", "resolution_sla_rate"}},
		{Kind: consequence.Bonus, Amount: 0, Multiplier: 0},
	}
	cards["E004"] = e4

	e5 := cards["E005"]
	e5.Consequences = []consequence.Consequence{{Kind: consequence.InsufficientData}}
	cards["E005"] = e5

	e6 := cards["E006"]
	e6.Override = &consequence.Override{Grade: "A", Reason: "covered the <night> shift & two escalations", By: "mia@example.com", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	e6.Consequences = []consequence.Consequence{{Kind: consequence.Bonus, Amount: 8250.5, Multiplier: 1.5}}
	cards["E006"] = e6

	names := map[string][2]string{
		"E001": {"Ann Lee", "李安"},
		"E002": {"Bo Chen", "陈波"},
		"E003": {"Carla Diaz", "卡拉·迪亚兹"},
		"E004": {"Dev Patel", "戴夫·帕特尔"},
		"E005": {"Eve Wang", "王伊娃"},
		"E006": {`Finn "Fox" O'Brien <b>`, `芬恩 "狐狸" <b>`},
	}
	engineers := map[string]directory.Engineer{}
	for id, n := range names {
		nm := n[0]
		if locale == directory.LocaleZhCN {
			nm = n[1]
		}
		engineers[id] = directory.Engineer{ID: id, Name: nm, Email: id + "@example.com", Team: "north", ManagerEmail: "mia@example.com", Locale: locale}
	}

	prevComposite := map[string]float64{"E001": 93.2, "E002": 86.1, "E003": 74.4, "E004": 66.0, "E006": 88.0}
	previous := map[string]scoring.Card{}
	for id, x := range prevComposite {
		previous[id] = scoring.Card{EngineerID: id, Month: october.Add(-1), Composite: ptr(x)}
	}
	previous["E005"] = scoring.Card{EngineerID: "E005", Month: october.Add(-1), InsufficientData: true}

	history := map[string][]float64{
		"E001": {91, 92.5, 90.4, 94, 93.2},
		"E002": {82, 84, 83.5, 85, 86.1},
		"E003": {83, 81, 79, 77, 74.4},
		"E004": {78, 72, -1, 69, 66},
		"E005": {88, 87, -1, 86, -1},
		"E006": {80, 84, 85, 87, 88},
	}
	trend := map[string][]report.TrendPoint{}
	for id, xs := range history {
		for i, x := range xs {
			pt := report.TrendPoint{Month: october.Add(i - 5)}
			if x >= 0 {
				pt.Composite = ptr(x)
			}
			trend[id] = append(trend[id], pt)
		}
		c := cards[id]
		cur := report.TrendPoint{Month: october}
		if !c.InsufficientData {
			cur.Composite = c.Composite
		}
		trend[id] = append(trend[id], cur)
	}

	list := make([]scoring.Card, 0, len(cards))
	for _, id := range []string{"E001", "E002", "E003", "E004", "E005", "E006"} {
		list = append(list, cards[id])
	}
	return sample{
		team: report.Team{
			Name: "North", ManagerEmail: "mia@example.com", Locale: locale, Month: october,
			Cards: list, Previous: previous, Trend: trend, Engineers: engineers, Policy: p,
		},
		cards: cards,
	}
}

// plainCard is a card with only a composite (nil: none).
func plainCard(p *policy.Policy, id string, composite *float64, insufficient bool) scoring.Card {
	c := scoring.Card{EngineerID: id, Month: october, Composite: composite, InsufficientData: insufficient, PolicyVersion: p.Version, Tickets: 40}
	if composite != nil && !insufficient {
		c.Grade = p.Rules().GradeFor(*composite)
		c.MeetsStandard = ptr(*composite >= p.PassMark)
	}
	return c
}

// largeTeam is a team of n engineers with six months of composites each.
func largeTeam(n int) report.Team {
	p := policy.Default()
	var cards []scoring.Card
	trend := map[string][]report.TrendPoint{}
	for i := range n {
		id := fmt.Sprintf("E%03d", 100+i)
		x := 66 + float64(i*31%n)*30/float64(n)
		cards = append(cards, plainCard(p, id, ptr(x), false))
		for k := -5; k <= 0; k++ {
			y := x + float64((i+k)%5-2)*1.5 - float64(k)
			trend[id] = append(trend[id], report.TrendPoint{Month: october.Add(k), Composite: ptr(y)})
		}
		trend[id][5].Composite = ptr(x)
	}
	return report.Team{Name: "Big", Locale: "en", Month: october, Cards: cards, Trend: trend, Policy: p}
}
