package quality

import (
	"cmp"
	"slices"
	"strings"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/month"
)

// Who reviews.
const (
	ByLead = "lead" // the engineer's lead (for a lead, their own manager)
	ByPeer = "peer" // an engineer of another team
)

// Assignment is a sampled ticket with its reviewers (addresses, lower
// case): one, or two for a ticket drawn for calibration. A pick nobody
// may review (no lead in the directory, no other team) has none.
type Assignment struct {
	Pick
	Reviewers []string `json:"reviewers"`
}

// Assign gives each pick its reviewers by mode: the engineer's lead, or a
// peer of another team; a calibration pick also gets a second reviewer —
// another lead (in lead mode) or another peer — so the two can be compared.
// Nobody reviews their own ticket, and nobody reviews a ticket twice. Among
// those who may review a ticket the one with the fewest reviews so far is
// chosen, ties broken in the seeded order, so that the same picks give the
// same assignments.
func Assign(r Rules, mode string, m month.Month, picks []Pick, engs []directory.Engineer) []Assignment {
	byID := map[string]directory.Engineer{}
	var leads []string
	for _, e := range engs {
		byID[e.ID] = e
		if l := strings.ToLower(e.ManagerEmail); l != "" && !slices.Contains(leads, l) {
			leads = append(leads, l)
		}
	}
	slices.Sort(leads)
	load := map[string]int{}
	choose := func(p Pick, among []string, not ...string) string {
		var best string
		var bestDraw uint64
		for _, who := range among {
			if who == "" || slices.Contains(not, who) {
				continue
			}
			d := r.draw(m, "reviewer "+who, p.Candidate)
			if best == "" || load[who] < load[best] || (load[who] == load[best] && d < bestDraw) {
				best, bestDraw = who, d
			}
		}
		if best != "" {
			load[best]++
		}
		return best
	}
	out := make([]Assignment, 0, len(picks))
	for _, p := range picks {
		a := Assignment{Pick: p}
		e, ok := byID[p.EngineerID]
		self := strings.ToLower(e.Email)
		var peers []string
		for _, o := range engs {
			if o.Team != e.Team && o.Email != "" && o.ID != p.EngineerID {
				peers = append(peers, strings.ToLower(o.Email))
			}
		}
		slices.Sort(peers)
		first := ""
		switch {
		case !ok:
		case mode == ByLead:
			if l := strings.ToLower(e.ManagerEmail); l != "" && l != self {
				first = l
				load[l]++
			}
		default:
			first = choose(p, peers, self)
		}
		if first != "" {
			a.Reviewers = append(a.Reviewers, first)
			if p.Double {
				pool := peers
				if mode == ByLead {
					pool = leads
				}
				if second := choose(p, pool, self, first); second != "" {
					a.Reviewers = append(a.Reviewers, second)
				}
			}
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b Assignment) int { return cmp.Compare(a.EngineerID, b.EngineerID) })
	return out
}
