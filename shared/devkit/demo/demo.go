// Package demo owns the deterministic generator of a realistic after-sales
// support organisation and its ticket events, in the generic webhook format
// (DESIGN §3). `make demo`, tests and benchmarks replay its output; the same
// Config always yields byte-identical engineers and events on a given
// platform (the log-normal draws go through math.Exp, whose last-bit
// rounding may differ between CPU architectures). Every random stream is
// seeded by the seed and a label (the month, the ticket's number), so a
// ticket does not change when another one does.
//
// Size: about 12 events per ticket and some 300 bytes per event in memory;
// 100 000 tickets take about a second and 400 MB.
//
// What it builds, and the decisions behind it:
//
//   - Teams with one manager each (the manager is not an engineer: only the
//     manager e-mail is recorded on each engineer). Engineers are spread
//     round-robin over the teams and get a profile: a few "strong" (fast
//     replies, high CSAT, rare reopens), 2–3 "weak" in the default
//     organisation (about a tenth in larger ones: slow replies, SLA breaches,
//     low ratings, more reopens and complaints, in every month, so they fall
//     below the 80/100 pass mark month after month), exactly one "new_hire"
//     hired inside the first generated month, the rest "average". Everyone
//     else was hired one to eight years before the first month, so only the
//     new hire is in the post-hire exemption.
//   - Tickets arrive mostly on weekdays in business hours in Config.TimeZone,
//     fewer at night and at weekends. The organisation works in shifts (the
//     default SLA calendar is 24×7), so off-hours tickets are answered by the
//     on-call engineer, only more slowly (×1.8).
//   - Each ticket is simulated on a working clock that excludes time in
//     "pending" (waiting on the customer); pending periods are then inserted
//     on the wall clock. Handling time and first reply are log-normal, with
//     medians by priority (urgent 1.2 h, high 2.5 h, normal 7 h, low 20 h of
//     working time; first reply 40 min for an average engineer) scaled by the
//     profile, so the SLA defaults (4/8/24/72 h) are mostly met by average
//     engineers and often missed by weak ones.
//   - Semantics the consumers must get right are exercised on purpose: an
//     automatic system reply right after creation (must not count as a first
//     response), an internal reply (public false) before the first public
//     one, a first public reply by a colleague rather than the assignee,
//     tickets left unassigned for a while, reassignment within the team,
//     internal notes by colleagues (collaboration), pending and on-hold
//     periods, priority and tag/type changes, complaints by type, by tag at
//     creation and by tag added later (escalation), reopen within days,
//     closure days after resolution, survey answers (the "survey_answered"
//     extension) hours after the final resolution, "no-survey" tickets, and
//     tickets of the last month never resolved (some past their SLA).
//   - Nothing is emitted after the end of the last month plus 10 days: a
//     ticket created at the very end of the last month may simply stop
//     there, as it would in a real export.
//   - Ids: engineers E001…, agent ids in events ag-1001… (Engineer.GenericID),
//     customers c-00001…, tickets T-YYYYMM-00001 numbered by creation within
//     their month, events evt-YYYYMM-00001-01 numbered in time order within
//     their ticket. All e-mail addresses are at example.com.
package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"scorecard/shared/core/month"
)

// Config says what to generate. Zero fields take their DefaultConfig value,
// except Seed: 0 is a seed like any other.
type Config struct {
	Seed            int64
	Start           month.Month    // first month
	Months          int            // consecutive months, 1..12
	Teams           int            // at least 3
	Engineers       int            // at least 20, and at least 3 per team
	TicketsPerMonth int            // tickets created in each month, e.g. 5000
	TimeZone        *time.Location // arrivals follow business hours in this zone; months are in it too
}

// Limits of a valid Config.
const (
	MinTeams            = 3
	MinEngineers        = 20
	MinEngineersPerTeam = 3
	MaxMonths           = 12
	// SpillDays is how far past the end of the last month events may go
	// (resolutions, closures and surveys of late tickets).
	SpillDays = 10
)

// DefaultConfig is the organisation `make demo` replays: seed 1, three
// months from 2026-08, 3 teams, 24 engineers, 5000 tickets a month, in
// Asia/Shanghai.
func DefaultConfig() Config {
	return Config{
		Seed:            1,
		Start:           month.Month{Year: 2026, Month: time.August},
		Months:          3,
		Teams:           3,
		Engineers:       24,
		TicketsPerMonth: 5000,
		TimeZone:        shanghai(),
	}
}

// shanghai loads Asia/Shanghai, falling back to its fixed UTC+8 offset (no
// DST since 1991) where the system has no zone database, so that the
// package does not have to embed time/tzdata.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("Asia/Shanghai", 8*3600)
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Start.IsZero() {
		c.Start = d.Start
	}
	if c.Months == 0 {
		c.Months = d.Months
	}
	if c.Teams == 0 {
		c.Teams = d.Teams
	}
	if c.Engineers == 0 {
		c.Engineers = d.Engineers
	}
	if c.TicketsPerMonth == 0 {
		c.TicketsPerMonth = d.TicketsPerMonth
	}
	if c.TimeZone == nil {
		c.TimeZone = d.TimeZone
	}
	return c
}

// Validate reports the first field that is out of range, after zero fields
// have taken their defaults.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Start.Month < time.January || c.Start.Month > time.December || c.Start.Year < 1 || c.Start.Year > 9999:
		return fmt.Errorf("demo config: start %v: not a month", c.Start)
	case c.Months < 1 || c.Months > MaxMonths:
		return fmt.Errorf("demo config: months %d: want 1..%d", c.Months, MaxMonths)
	case c.Teams < MinTeams:
		return fmt.Errorf("demo config: teams %d: want at least %d", c.Teams, MinTeams)
	case c.Engineers < MinEngineers:
		return fmt.Errorf("demo config: engineers %d: want at least %d", c.Engineers, MinEngineers)
	case c.Engineers < MinEngineersPerTeam*c.Teams:
		return fmt.Errorf("demo config: engineers %d: want at least %d per team (%d for %d teams)",
			c.Engineers, MinEngineersPerTeam, MinEngineersPerTeam*c.Teams, c.Teams)
	case c.TicketsPerMonth < 1:
		return fmt.Errorf("demo config: tickets per month %d: want at least 1", c.TicketsPerMonth)
	}
	return nil
}

// Engineer is one row of the engineer directory (DESIGN §5 CSV).
type Engineer struct {
	ID           string
	Name         string
	Email        string
	Team         string
	ManagerEmail string
	HireDate     time.Time // midnight in Config.TimeZone
	BaseBonus    float64
	Locale       string
	ZendeskID    string // synthetic; empty for the new hire (not yet set up there)
	FreshdeskID  string // synthetic; empty for the new hire
	JiraID       string // synthetic Atlassian account id; empty for the new hire
	GenericID    string // the agent id used in the generated events
	Profile      string // ProfileStrong, ProfileAverage, ProfileWeak or ProfileNewHire
}

// Engineer profiles.
const (
	ProfileStrong  = "strong"
	ProfileAverage = "average"
	ProfileWeak    = "weak"
	ProfileNewHire = "new_hire"
)

// Org is the generated organisation.
type Org struct {
	Engineers []Engineer // ordered by ID
	Teams     []string   // team names, in order
}

// Actor is who caused an event.
type Actor struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // agent, customer or system
}

// Customer is a ticket's requester.
type Customer struct {
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// Event is one ticket event in the generic webhook format (DESIGN §3); its
// JSON encoding is the wire format. Which fields are set depends on Type:
// created carries status, priority, tags, ticket_type and customer; assigned
// carries assignee_id; replied always carries public; status_changed,
// priority_changed and tags_changed carry the new status, priority or full
// tag set with the ticket type; survey_answered (actor kind customer) carries
// rating 1–5 and, when the customer answered it, solved.
type Event struct {
	EventID    string    `json:"event_id"`
	TicketID   string    `json:"ticket_id"`
	Type       string    `json:"type"`
	OccurredAt time.Time `json:"occurred_at"` // UTC, whole seconds
	Actor      Actor     `json:"actor"`
	AssigneeID string    `json:"assignee_id,omitempty"`
	Public     *bool     `json:"public,omitempty"`
	Status     string    `json:"status,omitempty"`
	Priority   string    `json:"priority,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	TicketType string    `json:"ticket_type,omitempty"`
	Customer   *Customer `json:"customer,omitempty"`
	Rating     int       `json:"rating,omitempty"`
	Solved     *bool     `json:"solved,omitempty"`
	Comment    string    `json:"comment,omitempty"`
}

// Event types, actor kinds, statuses, priorities and ticket types of the
// generic format.
const (
	TypeCreated         = "created"
	TypeAssigned        = "assigned"
	TypeReplied         = "replied"
	TypeNote            = "note"
	TypeStatusChanged   = "status_changed"
	TypePriorityChanged = "priority_changed"
	TypeTagsChanged     = "tags_changed"
	TypeSurveyAnswered  = "survey_answered"

	KindAgent    = "agent"
	KindCustomer = "customer"
	KindSystem   = "system"

	StatusNew      = "new"
	StatusOpen     = "open"
	StatusPending  = "pending"
	StatusOnHold   = "on_hold"
	StatusResolved = "resolved"
	StatusClosed   = "closed"

	PriorityUrgent = "urgent"
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"

	TicketIncident  = "incident"
	TicketQuestion  = "question"
	TicketProblem   = "problem"
	TicketTask      = "task"
	TicketComplaint = "complaint"

	// TagComplaint marks a complaint on a ticket of another type.
	TagComplaint = "complaint"
	// TagNoSurvey marks a ticket whose customer must never be surveyed.
	TagNoSurvey = "no-survey"
)

// Generate builds the organisation and every ticket event of cfg's months,
// sorted by occurred_at, then event_id. It panics if cfg.Validate fails:
// check user-supplied configurations first.
func Generate(cfg Config) (Org, []Event) {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	cfg = cfg.withDefaults()
	g := newGenerator(cfg)
	g.run()
	sortEvents(g.events)
	return g.org, g.events
}

// sortEvents orders events by time, then id. Events are large, so it sorts
// small keys and then moves every event once, in place, following the
// cycles of the permutation: no second copy of a large output.
func sortEvents(evs []Event) {
	type key struct {
		at int64
		i  int
	}
	keys := make([]key, len(evs))
	for i := range evs {
		keys[i] = key{evs[i].OccurredAt.Unix(), i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(evs[a.i].EventID, evs[b.i].EventID)
	})
	// Position d receives the event at keys[d].i; -1 marks a filled one.
	for d := range keys {
		if keys[d].i < 0 {
			continue
		}
		held := evs[d]
		for j := d; ; {
			src := keys[j].i
			keys[j].i = -1
			if src == d {
				evs[j] = held
				break
			}
			evs[j] = evs[src]
			j = src
		}
	}
}

// generator holds the state shared by all tickets of one Generate call.
type generator struct {
	cfg     Config
	org     Org
	engs    []engineer // parallel to org.Engineers
	members [][]int    // engineer indexes per team
	cum     []float64  // cumulative workload weights over engs
	custs   []Customer
	horizon int64 // no event after this (unix seconds)
	lastEnd int64 // end of the last month (unix seconds)
	events  []Event

	pcg *rand.PCG
	rng *rand.Rand
	tk  ticketScratch
}

// engineer is what the simulation needs of an Engineer.
type engineer struct {
	agentID string
	team    int
	prof    *profile
	active  int64 // takes tickets created from this instant on (unix seconds)
}

func newGenerator(cfg Config) *generator {
	pcg := rand.NewPCG(uint64(cfg.Seed), 0x6f7267) // "org"
	g := &generator{cfg: cfg, pcg: pcg, rng: rand.New(pcg)}
	g.buildOrg()
	g.buildCustomers()
	last := cfg.Start.Add(cfg.Months - 1)
	g.lastEnd = last.End(cfg.TimeZone).Unix()
	g.horizon = last.End(cfg.TimeZone).AddDate(0, 0, SpillDays).Unix()
	// About 11 events per ticket; a little headroom avoids regrowing.
	g.events = make([]Event, 0, cfg.Months*cfg.TicketsPerMonth*12)
	return g
}

// reseed makes every stream of random numbers depend only on the seed and
// a label, so that one part of the output does not shift when another
// changes.
func (g *generator) reseed(label uint64) {
	g.pcg.Seed(uint64(g.cfg.Seed), label)
}

func (g *generator) run() {
	for mi := range g.cfg.Months {
		m := g.cfg.Start.Add(mi)
		g.reseed(uint64(0xa77<<32) | uint64(mi))
		arr := g.arrivals(m)
		last := mi == g.cfg.Months-1
		for i, at := range arr {
			g.reseed(uint64(mi+1)<<40 | uint64(i))
			g.ticket(m, i, at, last)
		}
	}
}

// hourWeight is the relative arrival rate of tickets in a local hour.
func hourWeight(wd time.Weekday, h int) float64 {
	if wd == time.Saturday || wd == time.Sunday {
		switch {
		case h < 8:
			return 0.3
		case h <= 20:
			return 1.8
		default:
			return 0.6
		}
	}
	switch {
	case h < 7:
		return 0.4
	case h == 7:
		return 1.5
	case h == 8, h == 18:
		return 5
	case h == 12:
		return 6
	case h < 18:
		return 10
	case h <= 20:
		return 2.5
	default:
		return 1
	}
}

// offHours reports whether a local time is outside weekday 08:00–19:00,
// when only the on-call shift answers.
func offHours(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday || t.Hour() < 8 || t.Hour() >= 19
}

// arrivals draws the creation instants (unix seconds, sorted) of one
// month's tickets from the hourly arrival pattern.
func (g *generator) arrivals(m month.Month) []int64 {
	loc := g.cfg.TimeZone
	start, end := m.Start(loc), m.End(loc)
	var hours []int64
	var cum []float64
	total := 0.0
	for t := start; t.Before(end); t = t.Add(time.Hour) {
		l := t.In(loc)
		total += hourWeight(l.Weekday(), l.Hour())
		cum = append(cum, total)
		hours = append(hours, t.Unix())
	}
	endU := end.Unix()
	out := make([]int64, g.cfg.TicketsPerMonth)
	for i := range out {
		h, _ := slices.BinarySearch(cum, g.rng.Float64()*total)
		h = min(h, len(hours)-1)
		out[i] = min(hours[h]+g.rng.Int64N(3600), endU-1)
	}
	slices.Sort(out)
	return out
}
