package bench

import (
	"bytes"
	"cmp"
	"fmt"
	"iter"
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
func Demo(cfg demo.Config) (*directory.Directory, []event.Event, error) {
	org, raw := demo.Generate(cfg)
	var buf bytes.Buffer
	if err := demo.WriteJSONL(&buf, raw); err != nil {
		return nil, nil, err
	}
	events := make([]event.Event, 0, len(raw))
	err := event.ReadJSONL(&buf, func(_ int, e event.Event) error {
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

type ticketKey struct{ source, id string }

// tickets groups the events by ticket and reduces each, in ticket order, as
// score-file does.
func tickets(events []event.Event) iter.Seq[*ticket.State] {
	byTicket := map[ticketKey][]event.Event{}
	for _, e := range events {
		k := ticketKey{e.Source, e.TicketID}
		byTicket[k] = append(byTicket[k], e)
	}
	keys := make([]ticketKey, 0, len(byTicket))
	for k := range byTicket {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b ticketKey) int { return cmp.Or(cmp.Compare(a.source, b.source), cmp.Compare(a.id, b.id)) })
	return func(yield func(*ticket.State) bool) {
		for _, k := range keys {
			s := ticket.Reduce(byTicket[k])
			if !yield(&s) {
				return
			}
		}
	}
}

// RunEngine is the Go side of the comparison: the engine's whole month —
// group the events by ticket, reduce, measure, score, consequences.
func RunEngine(events []event.Event, dir *directory.Directory, pol *policy.Policy, m month.Month, asOf time.Time) ([]scoring.Card, error) {
	cards, _, err := engine.Run(engine.Input{Policy: pol, Month: m, AsOf: asOf, Directory: dir, Tickets: tickets(events)})
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
	for t := range tickets(events) {
		acc.AddTicket(t)
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
