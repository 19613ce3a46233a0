package checkin_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
)

func TestRestIsThePaceSoFar(t *testing.T) {
	tests := []struct {
		name      string
		den, gone float64
		want      int
	}{
		{"half the month: as many again", 20, 0.5, 20},
		{"a third: twice as many", 20, 1.0 / 3, 40},
		{"rounded to the nearest ticket", 7, 0.6, 5}, // 7 × 0.4 / 0.6 = 4.67
		{"nothing gone: no pace", 20, 0, 0},
		{"the month over: nothing to come", 20, 1, 0},
		{"nothing counted yet", 0, 0.5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkin.RestOf(tc.den, tc.gone); got != tc.want {
				t.Errorf("RestOf(%v, %v) = %d, want %d", tc.den, tc.gone, got, tc.want)
			}
		})
	}
}

// Each row is the remaining-month arithmetic worked by hand (see the
// package documentation): a share needs ⌈target × (den + rest) − num⌉ of
// the rest, a lower-is-better share allows ⌊target × (den + rest) − num⌋,
// a mean needs (target × (den + rest) − sum) / rest.
func TestProjectionIsTheRemainingMonthArithmetic(t *testing.T) {
	tests := []struct {
		name           string
		num, den       float64
		rest           int
		target         float64
		lower, mean    bool
		unit           string
		state          string
		need           int
		needMean, best float64
	}{
		// resolution_sla_rate 18/20, 20 more: ⌈0.95 × 40 − 18⌉ = 20.
		{name: "SLA needs every one of the rest", num: 18, den: 20, rest: 20, target: 0.95, unit: "rate", state: checkin.Needs, need: 20},
		// 17/20: ⌈38 − 17⌉ = 21 > 20; the best is 37/40.
		{name: "SLA out of reach", num: 17, den: 20, rest: 20, target: 0.95, unit: "rate", state: checkin.Cannot, best: 37.0 / 40},
		// 12/15 with 9 more: ⌈0.95 × 24 − 12⌉ = ⌈10.8⌉ = 11 > 9; best 21/24.
		{name: "SLA out of reach on few", num: 12, den: 15, rest: 9, target: 0.95, unit: "rate", state: checkin.Cannot, best: 21.0 / 24},
		// 20/20 with 10 more: ⌈0.95 × 30 − 20⌉ = ⌈8.5⌉ = 9.
		{name: "at target, keeping it", num: 20, den: 20, rest: 10, target: 0.95, unit: "rate", state: checkin.Needs, need: 9},
		// 19/19 with 1 more: ⌈0.95 × 20 − 19⌉ = 0.
		{name: "secured", num: 19, den: 19, rest: 1, target: 0.95, unit: "rate", state: checkin.Secured},
		// first_response_1h_rate 19/20 at a 100 % target: 97.5 % at best.
		{name: "a whole target missed once", num: 19, den: 20, rest: 20, target: 1, unit: "rate", state: checkin.Cannot, best: 39.0 / 40},
		// complaint_rate 1/20, 20 more: ⌊0.05 × 40 − 1⌋ = 1 more allowed.
		{name: "complaints: one more allowed", num: 1, den: 20, rest: 20, target: 0.05, lower: true, unit: "rate", state: checkin.Needs, need: 1},
		{name: "complaints: none more allowed", num: 2, den: 20, rest: 20, target: 0.05, lower: true, unit: "rate", state: checkin.Needs, need: 0},
		// 3/20: ⌊2 − 3⌋ < 0; the best is 3/40.
		{name: "complaints: out of reach", num: 3, den: 20, rest: 20, target: 0.05, lower: true, unit: "rate", state: checkin.Cannot, best: 3.0 / 40},
		{name: "complaints: secured", num: 0, den: 20, rest: 1, target: 0.05, lower: true, unit: "rate", state: checkin.Secured},
		// avg_handle_hours 600 h over 20, 20 more: (24 × 40 − 600) / 20 = 18 h.
		{name: "handling hours: a mean to keep under", num: 600, den: 20, rest: 20, target: 24, lower: true, mean: true, unit: "hours", state: checkin.Needs, needMean: 18},
		// 1000 h over 20: (960 − 1000) / 20 < 0; at best 1000/40 = 25 h.
		{name: "handling hours: out of reach", num: 1000, den: 20, rest: 20, target: 24, lower: true, mean: true, unit: "hours", state: checkin.Cannot, best: 25},
		// csat_score 1700 points over 20 answers, 20 more: (90 × 40 − 1700) / 20 = 95.
		{name: "CSAT points: a mean to reach", num: 1700, den: 20, rest: 20, target: 90, mean: true, unit: "points", state: checkin.Needs, needMean: 95},
		// 1500 over 20: needs 105 > 100; at best (1500 + 2000) / 40 = 87.5.
		{name: "CSAT points: out of reach", num: 1500, den: 20, rest: 20, target: 90, mean: true, unit: "points", state: checkin.Cannot, best: 87.5},
		{name: "CSAT points: secured", num: 1900, den: 20, rest: 1, target: 90, mean: true, unit: "points", state: checkin.Secured},
		{name: "a mean with nothing to come, missed", num: 100, den: 2, rest: 0, target: 24, lower: true, mean: true, unit: "hours", state: checkin.Cannot, best: 50},
		{name: "a share with nothing to come, missed", num: 9, den: 10, rest: 0, target: 0.95, unit: "rate", state: checkin.Cannot, best: 0.9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := checkin.Project(tc.num, tc.den, tc.rest, tc.target, tc.lower, tc.mean, tc.unit)
			if o.State != tc.state || o.Need != tc.need || !near(o.NeedMean, tc.needMean) || !near(o.Best, tc.best) {
				t.Errorf("got state %s need %d need mean %v best %v; want %s %d %v %v", o.State, o.Need, o.NeedMean, o.Best, tc.state, tc.need, tc.needMean, tc.best)
			}
			if o.Value != tc.num/tc.den {
				t.Errorf("value %v, want %v", o.Value, tc.num/tc.den)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// made builds n tickets for agent created 17 hours apart from the start of
// month m: bad ones (the first nBad) first answered after 5 h and resolved
// after 40 h (an SLA breach at normal priority), good ones after 10 minutes
// and 2 h.
func made(m month.Month, agent string, n, nBad int) []*ticket.State {
	var out []*ticket.State
	for i := range n {
		created := m.Start(shanghai).Add(time.Duration(17*i) * time.Hour)
		reply, resolve := 10*time.Minute, 2*time.Hour
		if i < nBad {
			reply, resolve = 5*time.Hour, 40*time.Hour
		}
		id := fmt.Sprintf("%s-%d", agent, i)
		s := ticket.Reduce([]event.Event{
			{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: created, AssigneeID: agent, Priority: event.Normal},
			{Source: "generic", ID: id + "-r", TicketID: id, Type: event.Replied, OccurredAt: created.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
			{Source: "generic", ID: id + "-s", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(resolve), Status: event.StatusResolved},
		})
		out = append(out, &s)
	}
	return out
}

// open is a ticket created at t for agent, never answered: open, its SLA
// clock running (or stopped, when pending).
func open(agent, id string, at time.Time, p event.Priority, pending bool) *ticket.State {
	evs := []event.Event{{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: at, AssigneeID: agent, Priority: p, Status: event.StatusOpen}}
	if pending {
		evs = append(evs, event.Event{Source: "generic", ID: id + "-p", TicketID: id, Type: event.StatusChanged, OccurredAt: at.Add(time.Hour), Status: event.StatusPending})
	}
	s := ticket.Reduce(evs)
	return &s
}

// A hand-built half month: September 2026 (30 days) as of the 16th at
// midnight in Shanghai, so half of it has gone and the rest of the month
// brings as many tickets again. Bob has 20 tickets, 10 of them answered
// after 5 h and resolved after 40 h; Ann 20 good ones and two open tickets
// about to breach; Cat two tickets.
func TestAHalfMonthProjected(t *testing.T) {
	p := policy.Default()
	sep := month.Month{Year: 2026, Month: time.September}
	asOf := time.Date(2026, 9, 16, 0, 0, 0, 0, shanghai)
	hired := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dir := directory.New([]directory.Engineer{
		{ID: "E1", Name: "Ann", Team: "north", HireDate: hired, External: map[string]string{"generic": "a1"}},
		{ID: "E2", Name: "Bob", Team: "north", HireDate: hired, External: map[string]string{"generic": "a2"}},
		{ID: "E3", Name: "Cat", Team: "north", HireDate: hired, External: map[string]string{"generic": "a3"}},
	})
	states := slices.Concat(made(sep, "a1", 20, 0), made(sep, "a2", 20, 10), made(sep, "a3", 2, 0), []*ticket.State{
		open("a1", "soon", asOf.Add(-4*time.Hour), event.High, false),    // due in 4 h
		open("a1", "later", asOf.Add(-2*time.Hour), event.Normal, false), // due in 22 h: not yet at risk
		open("a1", "next", asOf.Add(-21*time.Hour), event.Normal, false), // due in 3 h
		open("a1", "low", asOf.Add(-2*time.Hour), event.Low, false),      // due in 70 h: not yet at risk
		open("a1", "waiting", asOf.Add(-6*time.Hour), event.High, true),  // pending: its clock stopped
		open("a1", "late", asOf.Add(-9*time.Hour), event.High, false),    // breached an hour ago
	})
	history := map[string][]consequence.Record{"E2": {{Month: sep.Add(-1), Composite: ptr(70.0), Grade: "C", MeetsStandard: ptr(false)}}}
	watch := checkin.NewWatch(p, dir, asOf)
	soFar, projected, _, err := engine.RunProjected(engine.Input{Policy: p, Month: sep, AsOf: asOf, Directory: dir, History: history,
		Tickets: func(yield func(*ticket.State) bool) {
			for _, s := range states {
				watch.Add(s)
				if !yield(s) {
					return
				}
			}
		}}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	ci := checkin.Build(checkin.Input{Policy: p, Month: sep, AsOf: asOf, Directory: dir, Cards: soFar, Projected: projected, History: history, Watch: watch})
	if ci.Gone != 0.5 {
		t.Fatalf("gone %v, want 0.5", ci.Gone)
	}
	ann, bob, cat := ci.Engineers[0], ci.Engineers[1], ci.Engineers[2]

	t.Run("Bob's metrics, what they need", func(t *testing.T) {
		want := map[metric.ID]checkin.Outlook{
			// 10/20 within an hour, 20 to come: ⌈1 × 40 − 10⌉ = 30 > 20; at best 30/40.
			metric.FirstResponse1hRate: {State: checkin.Cannot, Rest: 20, Best: 0.75},
			// 10/20 within SLA: ⌈0.95 × 40 − 10⌉ = 28 > 20; at best 30/40.
			metric.ResolutionSLARate: {State: checkin.Cannot, Rest: 20, Best: 0.75},
			// 20/20 resolved: ⌈0.98 × 40 − 20⌉ = ⌈19.2⌉ = 20 of the next 20.
			metric.CompletionRate: {State: checkin.Needs, Rest: 20, Need: 20},
			// 20/20 not reopened: ⌈0.95 × 40 − 20⌉ = 18.
			metric.ResolutionSuccessRate: {State: checkin.Needs, Rest: 20, Need: 18},
			// No complaint so far: ⌊0.05 × 40⌋ = 2 allowed of the next 20.
			metric.ComplaintRate: {State: checkin.Needs, Rest: 20, Need: 2},
			// 10 × 2 h + 10 × 40 h = 420 h: (24 × 40 − 420) / 20 = 27 h.
			metric.AvgHandleHours: {State: checkin.Needs, Rest: 20, NeedMean: 27},
			// 10 × 1/6 h + 10 × 5 h = 51.6667 h: (2 × 40 − 51.6667) / 20 = 1.41667 h.
			metric.AvgFirstResponseHours: {State: checkin.Needs, Rest: 20, NeedMean: (80 - 51.6667) / 20},
		}
		if len(bob.Outlooks) != len(want) {
			t.Fatalf("%d outlooks, want %d: %+v", len(bob.Outlooks), len(want), bob.Outlooks)
		}
		for _, o := range bob.Outlooks {
			w := want[o.Metric]
			if o.State != w.State || o.Rest != w.Rest || o.Need != w.Need || math.Abs(o.NeedMean-w.NeedMean) > 1e-4 || !near(o.Best, w.Best) {
				t.Errorf("%s: state %s rest %d need %d need mean %v best %v; want %+v", o.Metric, o.State, o.Rest, o.Need, o.NeedMean, o.Best, w)
			}
		}
	})

	t.Run("the metrics that move Bob's composite most, by the weights", func(t *testing.T) {
		// Dimensions with a score: customer satisfaction (30), problem
		// resolution (25, four metrics), response time (20, two).
		// first_response_1h_rate at 50 % is 0 points: 20/75 × 1/2 × 100;
		// resolution_sla_rate at 50 % is 0 points: 25/75 × 1/4 × 100;
		// avg_first_response_hours at 2.5833 h: 20/75 × 1/2 × (100 − 90.28).
		top := bob.Top(3)
		var ids []metric.ID
		for _, o := range top {
			ids = append(ids, o.Metric)
		}
		if !slices.Equal(ids, []metric.ID{metric.FirstResponse1hRate, metric.ResolutionSLARate, metric.AvgFirstResponseHours}) {
			t.Fatalf("top %v", ids)
		}
		for i, want := range []float64{20.0 / 75 / 2 * 100, 25.0 / 75 / 4 * 100, 20.0 / 75 / 2 * (100 - 90.28)} {
			if math.Abs(top[i].Gain-want) > 1e-3 {
				t.Errorf("%s gains %v, want %v", top[i].Metric, top[i].Gain, want)
			}
		}
	})

	t.Run("Bob heads for a warning and is told", func(t *testing.T) {
		if !bob.Below || bob.Heading != consequence.Warning || bob.Streak != 2 || bob.StreakBefore != 1 || !bob.Mail {
			t.Errorf("composite %v below %v heading %q streak %d before %d mail %v", *bob.Composite, bob.Below, bob.Heading, bob.Streak, bob.StreakBefore, bob.Mail)
		}
	})

	t.Run("Ann's open tickets about to breach, soonest first", func(t *testing.T) {
		var got []string
		for _, r := range ann.AtRisk {
			got = append(got, fmt.Sprintf("%s %v", r.TicketID, r.Left))
		}
		if !slices.Equal(got, []string{"next 3h0m0s", "soon 4h0m0s"}) {
			t.Errorf("at risk %v", got)
		}
		if ann.Below || !ann.Mail || ann.Heading != "" {
			t.Errorf("Ann: below %v mail %v heading %q", ann.Below, ann.Mail, ann.Heading)
		}
	})

	t.Run("Cat has too few tickets to be told", func(t *testing.T) {
		if cat.Tickets != 2 || cat.Mail || cat.Quiet != checkin.QuietFewTickets {
			t.Errorf("Cat: %d tickets, mail %v, quiet %q", cat.Tickets, cat.Mail, cat.Quiet)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestSoFarFillsWhatIsNotInYetFromLastMonth(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	n := func(x int) *int { return &x }
	this := map[string]metric.People{
		"E1": {TrainingHours: f(2), TrainingSessions: 1},                                 // training so far; no assessment yet
		"E3": {LeadAttitude: f(60), LeadProblemSolving: f(61), LeadCollaboration: f(62)}, // assessed early
	}
	last := map[string]metric.People{
		"E1": {LeadAttitude: f(90), LeadProblemSolving: f(91), LeadCollaboration: f(92), TrainingHours: f(6), TrainingSessions: 3, KnowledgeShares: n(4), CoursesAssigned: 2, CoursesCompleted: 1},
		"E2": {LeadAttitude: f(70), RenewalsDue: 3, Renewed: 2},
		"E3": {LeadAttitude: f(95), KnowledgeScore: f(88)},
	}
	got := checkin.SoFar(this, last)
	tests := []struct {
		name string
		ok   bool
	}{
		{"this month's training stands", *got["E1"].TrainingHours == 2 && got["E1"].TrainingSessions == 1},
		{"last month's assessment stands in", *got["E1"].LeadAttitude == 90 && *got["E1"].LeadProblemSolving == 91 && *got["E1"].LeadCollaboration == 92},
		{"last month's counts stand in", *got["E1"].KnowledgeShares == 4 && got["E1"].CoursesAssigned == 2 && got["E1"].CoursesCompleted == 1},
		{"nothing this month: last month's whole", *got["E2"].LeadAttitude == 70 && got["E2"].RenewalsDue == 3 && got["E2"].Renewed == 2},
		{"this month's assessment is not overwritten", *got["E3"].LeadAttitude == 60 && *got["E3"].KnowledgeScore == 88},
		{"the inputs are left as they were", this["E1"].LeadAttitude == nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("got %+v", got)
			}
		})
	}
}
