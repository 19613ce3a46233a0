// Package quality owns ticket quality reviews (DESIGN §7): a rubric of
// weighted categories rated on a small scale, critical categories that
// fail the whole review; the month's reproducible, stratified sample of
// each engineer's resolved tickets and who reviews each (never the
// engineer); the quality score (IQS) each engineer's reviews give; and the
// calibration figures that show a reviewer who grades much harder or
// softer than the others. It is pure: no I/O, time passed in.
package quality

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// Category is one rubric category.
type Category struct {
	ID     string  `yaml:"id" json:"id"`
	Weight float64 `yaml:"weight" json:"weight"`
	// Critical: rated 0 (failed), the whole review scores 0.
	Critical bool `yaml:"critical" json:"critical,omitempty"`
	// Labels by locale (en, zh-CN).
	Labels map[string]string `yaml:"labels" json:"labels"`
}

// Rubric is the categories and their scale: each is rated 0 (failed) to
// Scale (1: pass/fail).
type Rubric struct {
	Scale      int        `yaml:"scale" json:"scale"`
	Categories []Category `yaml:"categories" json:"categories"`
}

// Validate names the first problem with the rubric, by its policy field.
func (r Rubric) Validate(at string) error {
	if r.Scale < 1 || r.Scale > 10 {
		return fmt.Errorf("%s.scale: %d is not from 1 (pass/fail) to 10", at, r.Scale)
	}
	if len(r.Categories) == 0 {
		return fmt.Errorf("%s.categories: needs at least one category", at)
	}
	for i, c := range r.Categories {
		ca := fmt.Sprintf("%s.categories[%d]", at, i)
		switch {
		case c.ID == "":
			return fmt.Errorf("%s.id: is required", ca)
		case slices.ContainsFunc(r.Categories[:i], func(o Category) bool { return o.ID == c.ID }):
			return fmt.Errorf("%s.id: %q appears twice", ca, c.ID)
		case !(c.Weight > 0) || math.IsInf(c.Weight, 0):
			return fmt.Errorf("%s.weight: must be positive", ca)
		case c.Labels["en"] == "" || c.Labels["zh-CN"] == "":
			return fmt.Errorf("%s.labels: needs en and zh-CN", ca)
		}
	}
	return nil
}

// Ratings are one review's rating of each category (0 to the scale).
type Ratings map[string]int

// Score is a review's score on 0–100: the categories' weighted mean
// rating over the scale, or 0 when a critical category failed (rated 0);
// failed lists every category rated 0, in the rubric's order. Ratings
// that miss a category or leave the scale are errcode.Invalid.
func (r Rubric) Score(ratings Ratings) (score float64, failed []string, err error) {
	var sum, w float64
	critical := false
	for _, c := range r.Categories {
		v, ok := ratings[c.ID]
		if !ok {
			return 0, nil, errcode.Errorf(errcode.Invalid, "%s: not rated", c.ID)
		}
		if v < 0 || v > r.Scale {
			return 0, nil, errcode.Errorf(errcode.Invalid, "%s: %d is not from 0 to %d", c.ID, v, r.Scale)
		}
		if v == 0 {
			failed = append(failed, c.ID)
			critical = critical || c.Critical
		}
		sum += c.Weight * float64(v) / float64(r.Scale)
		w += c.Weight
	}
	for id := range ratings {
		if !slices.ContainsFunc(r.Categories, func(c Category) bool { return c.ID == id }) {
			return 0, nil, errcode.Errorf(errcode.Invalid, "%s: not a category of the rubric", id)
		}
	}
	if critical {
		return 0, failed, nil
	}
	return round2(100 * sum / w), failed, nil
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Candidate is a ticket that may be sampled: resolved in the month and
// credited to the engineer, with what makes it informative.
type Candidate struct {
	Source     string `json:"source"`
	TicketID   string `json:"ticket_id"`
	EngineerID string `json:"engineer_id"`
	// Informative signs: a survey rating at or below the low mark, a
	// reopen, a complaint, an SLA breach.
	LowRating bool `json:"low_rating,omitempty"`
	Reopened  bool `json:"reopened,omitempty"`
	Complaint bool `json:"complaint,omitempty"`
	Breached  bool `json:"breached,omitempty"`
}

// Informative reports whether the ticket shows any sign worth a look.
func (c Candidate) Informative() bool { return c.LowRating || c.Reopened || c.Complaint || c.Breached }

// Rules are the sampling rules of the policy.
type Rules struct {
	Seed string
	// PerEngineer is how many tickets each engineer gets reviewed a month.
	PerEngineer int
	// InformativeShare of them is drawn first from the informative
	// tickets; the rest at random from all the others, so that good work
	// is seen too.
	InformativeShare float64
	// DoubleShare of the sampled tickets goes to a second reviewer.
	DoubleShare float64
}

// Pick is a sampled ticket.
type Pick struct {
	Candidate
	// Informative: drawn for its signs, not at random.
	Drawn string `json:"drawn"` // DrawnInformative or DrawnRandom
	// Double: a second reviewer reviews it too (calibration).
	Double bool `json:"double,omitempty"`
}

// How a ticket was drawn.
const (
	DrawnInformative = "informative"
	DrawnRandom      = "random"
)

// draw is the ticket's place in month m's reproducible random order.
func (r Rules) draw(m month.Month, salt string, c Candidate) uint64 {
	h := sha256.Sum256([]byte(r.Seed + "\x00" + m.String() + "\x00" + salt + "\x00" + c.Source + "\x00" + c.TicketID))
	return binary.BigEndian.Uint64(h[:8])
}

// Sample draws month m's tickets for review: for each engineer,
// round(PerEngineer × InformativeShare) from their informative tickets,
// then the rest from all their other tickets, each in an order fixed by the
// seed, the month and the ticket — so the same candidates, in any order
// and with repeats, give the same sample. Then DoubleShare of all the
// picks (at least one when it is above 0 and anything was picked) are
// marked for a second reviewer, again in the seeded order (MarkDouble).
// Picks come sorted by engineer, then source and ticket.
func Sample(r Rules, m month.Month, cands []Candidate) []Pick {
	byEng := map[string][]Candidate{}
	for _, c := range cands {
		byEng[c.EngineerID] = append(byEng[c.EngineerID], c)
	}
	var out []Pick
	for _, eng := range slicesSortedKeys(byEng) {
		out = append(out, SampleEngineer(r, m, byEng[eng])...)
	}
	MarkDouble(r, m, out)
	return out
}

// SampleEngineer is Sample for one engineer's candidates, without the
// calibration marks: the month's run reads one engineer's evidence at a
// time.
func SampleEngineer(r Rules, m month.Month, list []Candidate) []Pick {
	seen := map[[2]string]bool{}
	list = slices.DeleteFunc(slices.Clone(list), func(c Candidate) bool {
		k := [2]string{c.Source, c.TicketID}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
	order := func(salt string, cs []Candidate) []Candidate {
		cs = slices.Clone(cs)
		slices.SortFunc(cs, func(a, b Candidate) int {
			return cmp.Or(cmp.Compare(r.draw(m, salt, a), r.draw(m, salt, b)), cmp.Compare(a.Source, b.Source), cmp.Compare(a.TicketID, b.TicketID))
		})
		return cs
	}
	n := min(r.PerEngineer, len(list))
	wantInf := int(math.Round(float64(r.PerEngineer) * r.InformativeShare))
	var informative []Candidate
	for _, c := range list {
		if c.Informative() {
			informative = append(informative, c)
		}
	}
	taken := map[[2]string]bool{}
	var picks []Pick
	for _, c := range order("informative", informative) {
		if len(picks) == min(wantInf, n) {
			break
		}
		picks = append(picks, Pick{Candidate: c, Drawn: DrawnInformative})
		taken[[2]string{c.Source, c.TicketID}] = true
	}
	for _, c := range order("random", list) {
		if len(picks) == n {
			break
		}
		if !taken[[2]string{c.Source, c.TicketID}] {
			picks = append(picks, Pick{Candidate: c, Drawn: DrawnRandom})
		}
	}
	slices.SortFunc(picks, func(a, b Pick) int {
		return cmp.Or(cmp.Compare(a.EngineerID, b.EngineerID), cmp.Compare(a.Source, b.Source), cmp.Compare(a.TicketID, b.TicketID))
	})
	return picks
}

// MarkDouble marks DoubleShare of the picks (at least one when it is above
// 0) for a second reviewer, in the seeded order.
func MarkDouble(r Rules, m month.Month, picks []Pick) {
	if r.DoubleShare <= 0 || len(picks) == 0 {
		return
	}
	idx := make([]int, len(picks))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(r.draw(m, "double", picks[a].Candidate), r.draw(m, "double", picks[b].Candidate)),
			cmp.Compare(picks[a].Source, picks[b].Source), cmp.Compare(picks[a].TicketID, picks[b].TicketID))
	})
	k := max(1, int(math.Round(float64(len(picks))*r.DoubleShare)))
	for _, i := range idx[:min(k, len(picks))] {
		picks[i].Double = true
	}
}

func slicesSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FromEvidence is month m's candidates for review from the month's run
// evidence: each ticket an engineer was credited with resolving
// (completion_rate, 1 of 1), with its signs from the engineer's other
// metrics — a survey rating at or below lowRating, a reopen within the
// window, a complaint, a breached SLA.
func FromEvidence(contribs []metric.Contribution, lowRating int) []Candidate {
	type key struct{ eng, source, ticket string }
	byKey := map[key]*Candidate{}
	resolved := map[key]bool{}
	var keys []key
	for _, c := range contribs {
		k := key{c.EngineerID, c.Source, c.TicketID}
		cd := byKey[k]
		if cd == nil {
			cd = &Candidate{Source: c.Source, TicketID: c.TicketID, EngineerID: c.EngineerID}
			byKey[k] = cd
			keys = append(keys, k)
		}
		switch c.Metric {
		case metric.CompletionRate:
			resolved[k] = resolved[k] || c.Num == 1
		case metric.CSATScore:
			cd.LowRating = cd.LowRating || (c.Rating > 0 && c.Rating <= lowRating)
		case metric.ResolutionSuccessRate:
			cd.Reopened = cd.Reopened || c.Num < c.Den
		case metric.ComplaintRate:
			cd.Complaint = cd.Complaint || c.Num > 0
		case metric.ResolutionSLARate:
			cd.Breached = cd.Breached || c.Num < c.Den
		}
	}
	var out []Candidate
	for _, k := range keys {
		if resolved[k] {
			out = append(out, *byKey[k])
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.EngineerID, b.EngineerID), cmp.Compare(a.Source, b.Source), cmp.Compare(a.TicketID, b.TicketID))
	})
	return out
}
