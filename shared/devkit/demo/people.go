package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
)

// People is one month's people inputs for a generated organisation: the
// records a learning system, a knowledge-test tool and the team wiki would
// send (DESIGN §2 continuous learning and collaboration), and the scores the
// month-end assessment round would collect.
type People struct {
	Month   month.Month
	Records []records.Record
	// Lead holds the team lead's scores by engineer id; Self each
	// engineer's own, for those who answer their self-assessment (a few
	// do not, so the round's reminder has someone to remind).
	Lead map[string]Scores
	Self map[string]Scores
}

// Scores are one assessor's scores of one engineer, 0–100 with at most one
// decimal.
type Scores struct {
	Attitude       float64
	ProblemSolving float64
	Collaboration  float64
}

// peopleProfile is how an engineer of one kind learns and works with the
// team.
type peopleProfile struct {
	sessions   [2]int     // training sessions a month, min and max
	hours      [2]float64 // hours per session
	completes  float64    // chance an assigned course is completed
	knowledge  [2]float64 // knowledge test score range
	shares     [2]int     // knowledge shares a month
	attends    float64    // chance of attending a skill session
	cases      [2]int     // collaboration cases a month
	lead       float64    // the lead's mean score
	selfBias   float64    // how much higher the engineer rates themself
	skipsSelf  float64    // chance the self-assessment is not answered
	renewRates float64    // share of due renewals that renew
}

var peopleProfiles = map[string]peopleProfile{
	ProfileStrong:  {sessions: [2]int{2, 4}, hours: [2]float64{1.5, 3}, completes: 0.97, knowledge: [2]float64{84, 98}, shares: [2]int{8, 14}, attends: 0.95, cases: [2]int{2, 5}, lead: 90, selfBias: 2, skipsSelf: 0.05, renewRates: 0.97},
	ProfileAverage: {sessions: [2]int{1, 3}, hours: [2]float64{1, 2.5}, completes: 0.9, knowledge: [2]float64{72, 90}, shares: [2]int{4, 10}, attends: 0.85, cases: [2]int{0, 3}, lead: 82, selfBias: 5, skipsSelf: 0.1, renewRates: 0.93},
	ProfileWeak:    {sessions: [2]int{0, 2}, hours: [2]float64{0.5, 1.5}, completes: 0.5, knowledge: [2]float64{50, 70}, shares: [2]int{0, 3}, attends: 0.45, cases: [2]int{0, 1}, lead: 62, selfBias: 18, skipsSelf: 0.3, renewRates: 0.75},
	ProfileNewHire: {sessions: [2]int{3, 5}, hours: [2]float64{2, 4}, completes: 0.8, knowledge: [2]float64{60, 80}, shares: [2]int{1, 4}, attends: 0.9, cases: [2]int{0, 2}, lead: 78, selfBias: 3, skipsSelf: 0, renewRates: 0.9},
}

var courses = []string{"Product fundamentals", "Troubleshooting networks", "De-escalation", "Field safety", "Writing for customers", "Billing systems", "Root-cause analysis", "Firmware updates"}

// GeneratePeople builds every month's people inputs for org, as Generate
// built it from cfg: training sessions and assigned courses, one knowledge
// test, knowledge shares, skill sessions and collaboration cases, renewals
// due among the engineer's customers, and lead and self scores — all by the
// engineer's profile, and only from the hire date on. It is deterministic in
// cfg.Seed like Generate.
func GeneratePeople(cfg Config, org Org) []People {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	cfg = cfg.withDefaults()
	out := make([]People, 0, cfg.Months)
	for i := range cfg.Months {
		m := cfg.Start.Add(i)
		p := People{Month: m, Lead: map[string]Scores{}, Self: map[string]Scores{}}
		for n, e := range org.Engineers {
			r := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(m.Index())<<20|uint64(n)|0x7065<<40)) // "pe"
			p.Records = append(p.Records, engineerRecords(r, cfg, m, e)...)
			if !e.HireDate.Before(m.End(cfg.TimeZone)) {
				continue
			}
			prof := peopleProfiles[e.Profile]
			lead := Scores{
				Attitude:       score(r, prof.lead+2, 6),
				ProblemSolving: score(r, prof.lead, 7),
				Collaboration:  score(r, prof.lead+1, 6),
			}
			p.Lead[e.ID] = lead
			if r.Float64() >= prof.skipsSelf {
				p.Self[e.ID] = Scores{
					Attitude:       score(r, lead.Attitude+prof.selfBias, 3),
					ProblemSolving: score(r, lead.ProblemSolving+prof.selfBias, 3),
					Collaboration:  score(r, lead.Collaboration+prof.selfBias, 3),
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// engineerRecords are one engineer's records of month m, dated on working
// days from the hire date on.
func engineerRecords(r *rand.Rand, cfg Config, m month.Month, e Engineer) []records.Record {
	prof := peopleProfiles[e.Profile]
	start := m.Start(cfg.TimeZone)
	if e.HireDate.After(start) {
		start = e.HireDate
	}
	end := m.End(cfg.TimeZone)
	if !start.Before(end) {
		return nil
	}
	day := func() time.Time {
		for {
			d := start.Add(time.Duration(r.Int64N(int64(end.Sub(start)))))
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday || end.Sub(start) < 72*time.Hour {
				return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
			}
		}
	}
	var out []records.Record
	seq := 0
	add := func(rec records.Record) {
		seq++
		rec.ID = fmt.Sprintf("%s-%s-%s-%02d", rec.Kind, e.ID, m, seq)
		rec.EngineerID = e.ID
		if rec.Date.IsZero() {
			rec.Date = day()
		}
		out = append(out, rec)
	}
	for range between(r, prof.sessions) {
		add(records.Record{Kind: records.Training, Hours: math.Round(uniform(r, prof.hours)*2) / 2, Course: courses[r.IntN(len(courses))]})
	}
	// One assigned course a month, two for the new hire.
	assigned := 1
	if e.Profile == ProfileNewHire {
		assigned = 2
	}
	for range assigned {
		add(records.Record{Kind: records.Training, Course: courses[r.IntN(len(courses))], Assigned: true, Completed: r.Float64() < prof.completes})
	}
	add(records.Record{Kind: records.Knowledge, Score: math.Round(uniform(r, prof.knowledge))})
	if n := between(r, prof.shares); n > 0 {
		add(records.Record{Kind: records.Collaboration, Activity: records.KnowledgeShare, Count: n})
	}
	for range 2 + r.IntN(2) {
		add(records.Record{Kind: records.Collaboration, Activity: records.SkillSession, Attended: r.Float64() < prof.attends, Count: 1})
	}
	if n := between(r, prof.cases); n > 0 {
		add(records.Record{Kind: records.Collaboration, Activity: records.Case, Count: n})
	}
	for range r.IntN(3) {
		add(records.Record{Kind: records.Renewals, CustomerID: fmt.Sprintf("c-%05d", 1+r.IntN(9999)), Renewed: r.Float64() < prof.renewRates})
	}
	return out
}

func between(r *rand.Rand, span [2]int) int { return span[0] + r.IntN(span[1]-span[0]+1) }

func uniform(r *rand.Rand, span [2]float64) float64 {
	return span[0] + r.Float64()*(span[1]-span[0])
}

// score is a normal draw around mean, clamped to 0–100, one decimal.
func score(r *rand.Rand, mean, sd float64) float64 {
	return math.Round(math.Max(0, math.Min(100, mean+r.NormFloat64()*sd))*10) / 10
}
