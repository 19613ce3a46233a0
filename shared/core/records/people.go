package records

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// People aggregates the records dated in month m into each engineer's
// metric inputs, keyed by engineer id, as the package doc describes.
// Records with the same kind and id count once, the last one given winning;
// records without an id (only hand-made ones) each count.
// The lead assessment fields are left nil. The result does not depend on the
// order of the records beyond which duplicate wins.
func People(records []Record, m month.Month) map[string]metric.People {
	last := make(map[key]int, len(records))
	for i, r := range records {
		if r.ID != "" { // parsed records always have one; a hand-made one without is unique
			last[key{r.Kind, r.ID}] = i
		}
	}
	in := make([]Record, 0, len(records))
	for i, r := range records {
		if j, ok := last[key{r.Kind, r.ID}]; ok && j != i {
			continue // a later record has its id
		}
		if r.EngineerID != "" && m.Contains(r.Date, time.UTC) {
			in = append(in, r)
		}
	}
	// A fixed order makes float sums and "latest" independent of the input
	// order.
	slices.SortStableFunc(in, func(a, b Record) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})

	out := map[string]metric.People{}
	for _, r := range in {
		p := out[r.EngineerID]
		switch r.Kind {
		case Training:
			hours := r.Hours
			if p.TrainingHours != nil {
				hours += *p.TrainingHours
			}
			p.TrainingHours = &hours
			if r.Hours > 0 {
				p.TrainingSessions++
			}
			if r.Assigned {
				p.CoursesAssigned++
				if r.Completed {
					p.CoursesCompleted++
				}
			}
		case Knowledge:
			score := r.Score // in is sorted by date, then id: the last is the latest
			p.KnowledgeScore = &score
		case Collaboration:
			shares := 0
			if p.KnowledgeShares != nil {
				shares = *p.KnowledgeShares
			}
			switch r.Activity {
			case KnowledgeShare:
				shares += r.Count
			case SkillSession:
				p.SkillSessionsHeld += r.Count
				if r.Attended {
					p.SkillSessionsAtt += r.Count
				}
			case Case:
				p.CollaborationCases += r.Count
			}
			p.KnowledgeShares = &shares
		case Renewals:
			p.RenewalsDue++
			if r.Renewed {
				p.Renewed++
			}
		default:
			continue
		}
		out[r.EngineerID] = p
	}
	return out
}

// Check reports, in one *ParseError (errcode.Invalid), every record whose
// engineer id known says is not in the directory, each named by its CSV line
// ("line 4: engineer_id: ...") or, for a webhook record, its position
// ("records[3].engineer_id: ..."). It is meant for freshly parsed records,
// before anything is stored; nil when every engineer is known.
func Check(records []Record, known func(id string) bool) error {
	var problems []string
	csvOnly, webhookOnly := true, true
	for _, r := range records {
		if r.Line > 0 {
			webhookOnly = false
		} else {
			csvOnly = false
		}
		if known(r.EngineerID) {
			continue
		}
		if r.Line > 0 {
			problems = append(problems, fmt.Sprintf("line %d: %s: %q is not in the directory", r.Line, colEngineerID, r.EngineerID))
		} else {
			problems = append(problems, fmt.Sprintf("records[%d].%s: %q is not in the directory", r.Index, colEngineerID, r.EngineerID))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	source := "records"
	switch {
	case csvOnly && sameKind(records):
		source = string(records[0].Kind) + " CSV"
	case webhookOnly:
		source = "records webhook"
	}
	return &ParseError{Source: source, Problems: problems}
}

func sameKind(records []Record) bool {
	for _, r := range records {
		if r.Kind != records[0].Kind {
			return false
		}
	}
	return true
}
