package bench

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"time"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
)

// Demo generates a realistic organisation and its months with shared/devkit/demo
// and returns its directory and the events normalised the way `scorecard
// score-file` reads them (through the generic format).
//
// Generating makes garbage the size of the events. It is collected often,
// and what it took is given back to the system before Demo returns, so
// that a month of 1 000 000 tickets (some 4 GB of events) leaves DuckDB the
// memory it needs.
func Demo(cfg demo.Config) (*directory.Directory, []event.Event, error) {
	defer debug.FreeOSMemory()
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	org, raw := demo.Generate(cfg)
	// Through a pipe rather than a buffer: at 1 000 000 tickets the JSON
	// would take more memory than the events.
	pr, pw := io.Pipe()
	defer pr.Close()
	go func() { pw.CloseWithError(demo.WriteJSONL(pw, raw)) }()
	events := make([]event.Event, 0, len(raw))
	err := event.ReadJSONL(pr, func(_ int, e event.Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("demo events: %w", err)
	}
	engs := make([]directory.Engineer, len(org.Engineers))
	for i, e := range org.Engineers {
		engs[i] = directory.Engineer{
			ID: e.ID, Name: e.Name, Email: e.Email, Team: e.Team, ManagerEmail: e.ManagerEmail,
			HireDate: e.HireDate, BaseBonus: e.BaseBonus, Locale: e.Locale,
			External: map[string]string{"generic": e.GenericID},
		}
	}
	return directory.New(engs), events, nil
}

// RunEngine is the Go side of the comparison: the engine's whole month —
// group the events by ticket, reduce, measure, score, consequences — as
// score-file runs it: the engine reduces and measures the tickets on every
// core.
func RunEngine(events []event.Event, dir *directory.Directory, pol *policy.Policy, m month.Month, asOf time.Time) ([]scoring.Card, error) {
	cards, _, err := engine.Run(engine.Input{Policy: pol, Month: m, AsOf: asOf, Directory: dir, Events: slices.Values(ticket.Group(events))})
	return cards, err
}

// resolver maps agent ids through the directory, as the engine's does.
type resolver struct{ d *directory.Directory }

func (r resolver) Resolve(source, agentID string) (metric.Engineer, bool) {
	e, ok := r.d.Lookup(source, agentID)
	return metric.Engineer{ID: e.ID, Team: e.Team}, ok
}

// Measure returns the engine's measurement before scoring rounds it: the
// exact inputs of every compared metric and the tickets count, per engineer.
func Measure(events []event.Event, dir *directory.Directory, pol *policy.Policy, m month.Month, asOf time.Time) map[Key]Inputs {
	acc := metric.NewAccumulator(pol.MetricSettings(), m, asOf, resolver{dir})
	var r ticket.Reducer
	for _, evs := range ticket.Group(events) {
		s := r.Reduce(evs)
		acc.AddTicket(&s)
	}
	out := map[Key]Inputs{}
	for _, em := range acc.Months() {
		for _, id := range Compared {
			if v := em.Values[id]; v != nil && v.N > 0 {
				out[Key{em.Engineer.ID, string(id)}] = Inputs{v.Numerator, v.Denominator, v.N}
			}
		}
		if em.Tickets > 0 {
			out[Key{em.Engineer.ID, TicketsMetric}] = Inputs{float64(em.Tickets), 0, em.Tickets}
		}
	}
	return out
}
