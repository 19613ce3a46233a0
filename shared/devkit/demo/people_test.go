package demo

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/records"
)

func TestGeneratePeople(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TicketsPerMonth = 10
	org, _ := Generate(cfg)
	people := GeneratePeople(cfg, org)
	if len(people) != cfg.Months {
		t.Fatalf("%d months, want %d", len(people), cfg.Months)
	}
	if again := GeneratePeople(cfg, org); !cmp.Equal(people, again) {
		t.Fatal("not deterministic")
	}
	known := map[string]Engineer{}
	for _, e := range org.Engineers {
		known[e.ID] = e
	}
	for i, p := range people {
		t.Run(p.Month.String(), func(t *testing.T) {
			if p.Month != cfg.Start.Add(i) {
				t.Errorf("month %s, want %s", p.Month, cfg.Start.Add(i))
			}
			// Every record is valid as the records webhook checks it, for a
			// known engineer, in the month, not before the hire date.
			if err := records.Check(p.Records, func(id string) bool { _, ok := known[id]; return ok }); err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			kinds := map[records.Kind]int{}
			for _, r := range p.Records {
				if ids[r.ID] {
					t.Errorf("record id %s twice", r.ID)
				}
				ids[r.ID] = true
				kinds[r.Kind]++
				if !p.Month.Contains(r.Date, cfg.TimeZone) && !p.Month.Contains(r.Date.Add(12*3600e9), cfg.TimeZone) {
					t.Errorf("record %s dated %s, outside %s", r.ID, r.Date.Format("2006-01-02"), p.Month)
				}
				if hire := known[r.EngineerID].HireDate; r.Date.Before(hire.Truncate(24 * 3600e9)) {
					t.Errorf("record %s dated %s, before the hire date %s", r.ID, r.Date.Format("2006-01-02"), hire.Format("2006-01-02"))
				}
			}
			for _, k := range records.Kinds {
				if kinds[k] == 0 {
					t.Errorf("no %s records", k)
				}
			}
			// Leads score strong engineers above weak ones, on average.
			mean := func(profile string) float64 {
				s, n := 0.0, 0
				for id, sc := range p.Lead {
					if known[id].Profile == profile {
						s += sc.Attitude + sc.ProblemSolving + sc.Collaboration
						n += 3
					}
				}
				return s / float64(max(n, 1))
			}
			if strong, weak := mean(ProfileStrong), mean(ProfileWeak); strong <= weak+10 {
				t.Errorf("lead scores: strong %.1f, weak %.1f", strong, weak)
			}
			for id, sc := range p.Self {
				if _, ok := p.Lead[id]; !ok {
					t.Errorf("%s assesses themself without a lead score", id)
				}
				for _, v := range []float64{sc.Attitude, sc.ProblemSolving, sc.Collaboration} {
					if v < 0 || v > 100 {
						t.Errorf("%s self score %v", id, v)
					}
				}
			}
			// Most engineers answer their self-assessment; a few leave it
			// for the reminder.
			if len(p.Self) < len(p.Lead)/2 || len(p.Self) == len(p.Lead) {
				t.Errorf("%d of %d engineers answer their self-assessment", len(p.Self), len(p.Lead))
			}
		})
	}
}
