package quality

import (
	"cmp"
	"math"
	"slices"
	"time"

	"scorecard/shared/core/month"
)

// Review is one reviewer's finished review of one sampled ticket.
type Review struct {
	Month      month.Month       `json:"month"`
	EngineerID string            `json:"engineer_id"`
	Team       string            `json:"team,omitempty"`
	Source     string            `json:"source"`
	TicketID   string            `json:"ticket_id"`
	Reviewer   string            `json:"reviewer"` // address, lower case
	Ratings    Ratings           `json:"ratings"`
	Comments   map[string]string `json:"comments,omitempty"`
	Score      float64           `json:"score"`  // Rubric.Score
	Failed     []string          `json:"failed"` // categories rated 0
	At         time.Time         `json:"at"`
}

// TicketScore is one reviewed ticket's score: the mean of its reviews, so
// that a ticket reviewed twice for calibration counts once.
type TicketScore struct {
	Source, TicketID string
	Score            float64
	Reviews          int
}

// IQS is each engineer's reviewed tickets, by engineer id; their quality
// score is the mean of the tickets' scores.
func IQS(reviews []Review) map[string][]TicketScore {
	type key struct{ eng, source, ticket string }
	sums := map[key]*TicketScore{}
	var keys []key
	for _, r := range reviews {
		k := key{r.EngineerID, r.Source, r.TicketID}
		t := sums[k]
		if t == nil {
			t = &TicketScore{Source: r.Source, TicketID: r.TicketID}
			sums[k] = t
			keys = append(keys, k)
		}
		t.Score += r.Score
		t.Reviews++
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.eng, b.eng), cmp.Compare(a.source, b.source), cmp.Compare(a.ticket, b.ticket))
	})
	out := map[string][]TicketScore{}
	for _, k := range keys {
		t := *sums[k]
		t.Score /= float64(t.Reviews)
		out[k.eng] = append(out[k.eng], t)
	}
	return out
}

// Alignment is one reviewer's calibration in a month.
type Alignment struct {
	Reviewer string  `json:"reviewer"`
	Reviews  int     `json:"reviews"`
	Mean     float64 `json:"mean"` // their mean review score
	// Pairs are the tickets they reviewed beside another reviewer;
	// DiffOther the mean absolute difference from the other's score on
	// them, BiasOther the mean signed difference (below 0: harsher).
	Pairs     int     `json:"pairs"`
	DiffOther float64 `json:"diff_other"`
	BiasOther float64 `json:"bias_other"`
	// DiffTeam is the mean absolute difference of their scores from the
	// mean of every review of the same team's tickets that month.
	DiffTeam float64 `json:"diff_team"`
}

// Calibrate is every reviewer's alignment, by reviewer.
func Calibrate(reviews []Review) []Alignment {
	teamSum, teamN := map[string]float64{}, map[string]int{}
	byTicket := map[[2]string][]Review{}
	for _, r := range reviews {
		teamSum[r.Team] += r.Score
		teamN[r.Team]++
		k := [2]string{r.Source, r.TicketID}
		byTicket[k] = append(byTicket[k], r)
	}
	acc := map[string]*Alignment{}
	for _, r := range reviews {
		a := acc[r.Reviewer]
		if a == nil {
			a = &Alignment{Reviewer: r.Reviewer}
			acc[r.Reviewer] = a
		}
		a.Reviews++
		a.Mean += r.Score
		a.DiffTeam += math.Abs(r.Score - teamSum[r.Team]/float64(teamN[r.Team]))
		for _, o := range byTicket[[2]string{r.Source, r.TicketID}] {
			if o.Reviewer == r.Reviewer {
				continue
			}
			a.Pairs++
			a.DiffOther += math.Abs(r.Score - o.Score)
			a.BiasOther += r.Score - o.Score
		}
	}
	out := make([]Alignment, 0, len(acc))
	for _, a := range acc {
		a.Mean = round2(a.Mean / float64(a.Reviews))
		a.DiffTeam = round2(a.DiffTeam / float64(a.Reviews))
		if a.Pairs > 0 {
			a.DiffOther = round2(a.DiffOther / float64(a.Pairs))
			a.BiasOther = round2(a.BiasOther / float64(a.Pairs))
		}
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Alignment) int { return cmp.Compare(a.Reviewer, b.Reviewer) })
	return out
}
