// Package directory owns the engineer directory: who the scored engineers
// are, which team and manager they belong to, their base bonus, and which
// agent id each ticketing system knows them by. Events carry each system's own
// agent ids; the directory maps (source, external agent id) → engineer
// (DESIGN §3 "Identity"). It also owns the engineers CSV that HR loads with
// `scorecard import engineers` and that `scorecard score-file --engineers`
// reads (DESIGN §5).
//
// Decisions the design leaves open, made here:
//   - CSV cells are trimmed of surrounding white space; rows whose cells are
//     all empty (spreadsheets export them) are skipped.
//   - Every cell must be valid UTF-8 without control characters: the values
//     end up in DynamoDB strings and mail headers. A file saved in a legacy
//     encoding (GBK from a Chinese Excel, say) is rejected with a hint.
//   - Besides duplicate ids and duplicate external ids per source, a
//     duplicate e-mail address (compared case-insensitively) is an error: one
//     person would otherwise get two scorecards.
//   - Locales are matched case-insensitively and stored canonically ("zh-CN",
//     "en").
//   - Line numbers in problems are the physical line where the row starts, as
//     a text editor shows it; they equal spreadsheet row numbers unless the
//     file has blank lines.
//
// A Directory is immutable once built and safe for concurrent use.
package directory

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Locales an engineer's mail can be written in. Empty means the policy's
// default.
const (
	LocaleZhCN = "zh-CN"
	LocaleEn   = "en"
)

// Engineer is one scored engineer.
type Engineer struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Team         string    `json:"team"`
	ManagerEmail string    `json:"manager_email"`
	HireDate     time.Time `json:"hire_date"`        // date only (UTC midnight); zero when unknown
	BaseBonus    float64   `json:"base_bonus"`       // >= 0; the bonus is a grade multiplier × this
	Locale       string    `json:"locale,omitempty"` // LocaleZhCN or LocaleEn; empty = policy default
	// External maps a source (its registry name: zendesk, jira, …) to the
	// engineer's agent id in that system. Sources the engineer has no id in
	// are absent.
	External map[string]string `json:"external"`
}

// Directory maps (source, external agent id) → engineer, and engineer id →
// engineer. Build one with New, or use Identity when there is no directory.
type Directory struct {
	identity bool
	byID     map[string]Engineer
	byAgent  map[agentKey]string // → engineer id
	all      []Engineer          // sorted by ID
	teams    []string            // sorted, unique
}

type agentKey struct{ source, agentID string }

// New builds a directory of engineers. It expects what ParseCSV returns:
// unique ids and, per source, unique agent ids. Should the input break that,
// the engineer given last wins. Engineers without an id are ignored. The
// directory keeps its own copy of each External map.
func New(engineers []Engineer) *Directory {
	last := make(map[string]int, len(engineers)) // id → index of the one kept
	for i, e := range engineers {
		if e.ID != "" {
			last[e.ID] = i
		}
	}
	d := &Directory{
		byID:    make(map[string]Engineer, len(last)),
		byAgent: make(map[agentKey]string, len(last)),
	}
	for i, e := range engineers {
		if e.ID == "" || last[e.ID] != i {
			continue
		}
		e.External = maps.Clone(e.External)
		if e.External == nil {
			e.External = map[string]string{}
		}
		d.byID[e.ID] = e
		for source, agentID := range e.External {
			if agentID != "" {
				d.byAgent[agentKey{source, agentID}] = e.ID
			}
		}
	}
	d.all = slices.SortedFunc(maps.Values(d.byID), func(a, b Engineer) int {
		return strings.Compare(a.ID, b.ID)
	})
	for _, e := range d.all {
		d.teams = append(d.teams, e.Team)
	}
	slices.Sort(d.teams)
	d.teams = slices.Compact(d.teams)
	return d
}

// identity is the one Identity directory; it holds no state, so sharing it
// is safe.
var identity = &Directory{identity: true}

// Identity returns the directory used when there is none ("without
// --engineers, engineer ids are the events' agent ids", DESIGN §5): every
// non-empty agent id is an engineer of that id and name, from any source, so
// the same id from two sources is one engineer. It lists no engineers: All
// and Teams return nil, and callers take the engineers from the events
// instead. It always returns the same *Directory, so d == Identity() tells
// the two kinds apart.
func Identity() *Directory { return identity }

// Lookup returns the engineer that source knows by agentID. The returned
// Engineer shares its External map with the directory: treat it as
// read-only.
func (d *Directory) Lookup(source, agentID string) (Engineer, bool) {
	if agentID == "" {
		return Engineer{}, false
	}
	if d.identity {
		return Engineer{ID: agentID, Name: agentID, External: map[string]string{source: agentID}}, true
	}
	id, ok := d.byAgent[agentKey{source, agentID}]
	if !ok {
		return Engineer{}, false
	}
	return d.byID[id], true
}

// Get returns the engineer with the given id. For Identity, any non-empty id
// is an engineer of that id and name, with no known external ids.
func (d *Directory) Get(id string) (Engineer, bool) {
	if id == "" {
		return Engineer{}, false
	}
	if d.identity {
		return Engineer{ID: id, Name: id, External: map[string]string{}}, true
	}
	e, ok := d.byID[id]
	return e, ok
}

// All returns every engineer, sorted by ID, in a new slice. It returns nil
// for Identity, which knows no engineers in advance.
func (d *Directory) All() []Engineer {
	if d.identity {
		return nil
	}
	return slices.Clone(d.all)
}

// Teams returns the engineers' teams, sorted and unique, in a new slice. It
// returns nil for Identity.
func (d *Directory) Teams() []string {
	if d.identity {
		return nil
	}
	return slices.Clone(d.teams)
}
