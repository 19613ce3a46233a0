package metric

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// MaxEvidence bounds the offending ticket ids kept per metric.
const MaxEvidence = 20

// Settings are the policy values measurement needs. The policy package
// builds them; measurement never reads a file.
type Settings struct {
	Location            *time.Location                   // months are in this zone
	SLATargets          map[event.Priority]time.Duration // per priority
	ReopenWindow        time.Duration                    // 7 days
	ComplaintWindow     time.Duration                    // 24 calendar hours
	FirstResponseWithin time.Duration                    // 1 hour
	ComplaintTags       []string                         // lower case
	ComplaintTypes      []string                         // lower case
	// Calendar returns the working-time calendar of a team ("" for an
	// engineer not in the directory); nil means 24×7.
	Calendar func(team string) *calendar.Calendar
}

// Engineer is who an agent id resolves to.
type Engineer struct {
	ID   string
	Team string
}

// Resolver maps a source's agent id to an engineer; false for agents not
// in the directory (their credit is counted as unmapped, not lost).
type Resolver interface {
	Resolve(source, agentID string) (Engineer, bool)
}

// Value is one measured metric of one engineer for one month.
type Value struct {
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	N           int      `json:"n"`
	Offending   []string `json:"offending_ticket_ids,omitempty"`
	// OffendingSources names the source of each of Offending's tickets.
	OffendingSources []string `json:"offending_ticket_sources,omitempty"`
	worst            []offence
	set              bool // a value without a denominator (records, lead scores)
	raw              float64
}

type offence struct {
	source, id string
	badness    float64
}

// HasData reports whether there is anything to score.
func (v *Value) HasData() bool { return v != nil && (v.Denominator > 0 || v.set) }

// Get is the measured value: numerator/denominator, or the recorded value.
func (v *Value) Get() float64 {
	if v.set {
		return v.raw
	}
	if v.Denominator == 0 {
		return 0
	}
	return v.Numerator / v.Denominator
}

// Set records a value that is not a ratio (a lead's rating, hours).
func (v *Value) Set(x float64, n int) { v.set, v.raw, v.N = true, x, n }

func (v *Value) add(num, den float64) {
	v.Numerator += num
	v.Denominator += den
	v.N++
}

// offend keeps the MaxEvidence worst tickets: highest badness, then id.
func (v *Value) offend(source, id string, badness float64) {
	o := offence{source, id, badness}
	if n := len(v.worst); n == MaxEvidence && compareOffence(o, v.worst[n-1]) > 0 {
		return // better than all the worst kept: most tickets, once they are full
	}
	i, _ := slices.BinarySearchFunc(v.worst, o, compareOffence)
	if i >= MaxEvidence {
		return
	}
	if i < len(v.worst) && v.worst[i].id == id && v.worst[i].source == source {
		return
	}
	v.worst = slices.Insert(v.worst, i, o)
	if len(v.worst) > MaxEvidence {
		v.worst = v.worst[:MaxEvidence]
	}
}

func compareOffence(a, b offence) int {
	if c := cmp.Compare(b.badness, a.badness); c != 0 {
		return c
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	return strings.Compare(a.source, b.source)
}

// Engineer's month: every metric's value and how many tickets were credited.
type Month struct {
	Engineer Engineer
	Values   map[ID]*Value
	Tickets  int // distinct tickets credited to the engineer in any ticket metric
	// slots holds the ticket metrics' values, as Values does, by their
	// place in ticketMetrics: Accumulator.Add finds them without hashing.
	slots [len(ticketMetrics)]*Value
}

// ticketMetrics are the metrics a Part credits, in the order of
// Month.slots.
var ticketMetrics = [...]ID{
	AvgFirstResponseHours, FirstResponse1hRate, ComplaintRate, Complaint24hRate, AvgHandleHours,
	CompletionRate, ResolutionSLARate, ResolutionSuccessRate, CSATScore, CSATSatisfiedRate,
	FollowupConfirmedRate, CollaborationCases,
}

// slotOf is the metric's place in ticketMetrics.
func slotOf(id ID) uint8 {
	i := slices.Index(ticketMetrics[:], id)
	if i < 0 {
		panic("metric: " + string(id) + " is not a ticket metric")
	}
	return uint8(i)
}

// slot returns the value of ticket metric st.metric, creating it.
func (m *Month) slot(st *step) *Value {
	v := m.slots[st.slot]
	if v == nil {
		v = m.Value(st.metric)
		m.slots[st.slot] = v
	}
	return v
}

// Value returns the metric's value, creating it.
func (m *Month) Value(id ID) *Value {
	v := m.Values[id]
	if v == nil {
		v = &Value{}
		m.Values[id] = v
	}
	return v
}

// Accumulator measures one month for every engineer, one ticket at a time:
// memory grows with engineers, not tickets.
type Accumulator struct {
	meas    Measurer // AddTicket's
	part    Part     // AddTicket's
	month   month.Month
	months  map[string]*Month
	touched []*Month // the engineers the current ticket credits
	// Unmapped counts credits to agent ids the resolver does not know,
	// keyed "source:agent id".
	Unmapped map[string]int
	// Contribute, when set, hears every ticket's part in every engineer's
	// ticket metric as it is counted: the evidence behind the numbers, in
	// full (Value keeps only the worst MaxEvidence).
	Contribute func(Contribution)
	// Excluded, when set, takes tickets out of engineers' metrics: a
	// disputed ticket's place in one metric, accepted by the lead. An
	// excluded ticket adds nothing to that metric and is not its evidence.
	Excluded Exclusions
}

// Exclusions are tickets taken out of engineers' metrics, by ExclusionKey.
type Exclusions map[string]bool

// Exclusion is one ticket taken out of one engineer's metric for a month:
// who decided it, when and why (a dispute accepted by the lead).
type Exclusion struct {
	EngineerID string    `json:"engineer_id"`
	Metric     ID        `json:"metric"`
	Source     string    `json:"source"`
	TicketID   string    `json:"ticket_id"`
	By         string    `json:"by"`
	Reason     string    `json:"reason"`
	At         time.Time `json:"at"`
}

// Key is the exclusion's ExclusionKey.
func (x Exclusion) Key() string { return ExclusionKey(x.EngineerID, x.Metric, x.Source, x.TicketID) }

// ExclusionKey is the key of a ticket's place in an engineer's metric.
func ExclusionKey(engineerID string, id ID, source, ticketID string) string {
	return engineerID + "\x00" + string(id) + "\x00" + source + "\x00" + ticketID
}

// excluded reports whether the ticket is out of m's metric id.
func (a *Accumulator) excluded(m *Month, id ID, source, ticketID string) bool {
	return len(a.Excluded) > 0 && a.Excluded[ExclusionKey(m.Engineer.ID, id, source, ticketID)]
}

// offend keeps the ticket among the metric's worst, unless excluded.
func (a *Accumulator) offend(m *Month, id ID, source, ticketID string, badness float64) {
	if !a.excluded(m, id, source, ticketID) {
		m.Value(id).offend(source, ticketID, badness)
	}
}

// Contribution is one ticket's part in one engineer's metric: what it added
// to the numerator and the denominator, and what it measured.
type Contribution struct {
	EngineerID string `json:"-"`
	Metric     ID     `json:"metric"`
	Source     string `json:"source"`
	TicketID   string `json:"ticket_id"`
	// Num and Den are what the ticket added to the metric's numerator and
	// denominator.
	Num float64 `json:"num"`
	Den float64 `json:"den"`
	// Hours is the time the ticket measured, where the metric is about
	// time: working hours to the first reply, working hours handled, hours
	// from creation to resolution (a complaint) or to the SLA deadline's
	// end (a breach), hours to the reopen.
	Hours float64 `json:"hours,omitempty"`
	// Limit is the target the ticket was held to, in hours (the first
	// reply's, the priority's SLA, the complaint window, the reopen
	// window), where there is one.
	Limit float64 `json:"limit,omitempty"`
	// Rating is the survey answer (1–5) of the customer satisfaction
	// metrics.
	Rating int `json:"rating,omitempty"`
	// Priority is the ticket's, for the SLA.
	Priority event.Priority `json:"priority,omitempty"`
}

// MaxChunk bounds the contributions stored together (about 70 bytes each
// as JSON, a fifth of that compressed: far under a storage item's limit).
const MaxChunk = 2000

// Chunk is a run of one engineer's contributions, stored together.
type Chunk struct {
	EngineerID string
	Seq        int // 0, 1, … within the engineer's evidence of one run
	Items      []Contribution
}

// credit adds a ticket's part to one of m's metrics and tells Contribute.
func (a *Accumulator) credit(m *Month, id ID, source, ticketID string, num, den float64, c Contribution) {
	if a.excluded(m, id, source, ticketID) {
		return
	}
	m.Value(id).add(num, den)
	if a.Contribute == nil {
		return
	}
	c.EngineerID, c.Metric, c.Source, c.TicketID, c.Num, c.Den = m.Engineer.ID, id, source, ticketID, num, den
	a.Contribute(c)
}

// NewAccumulator measures month m as of asOf: events after asOf are treated
// as not yet happened (an SLA deadline after asOf has not passed).
func NewAccumulator(set Settings, m month.Month, asOf time.Time, who Resolver) *Accumulator {
	if set.Location == nil {
		set.Location = time.UTC
	}
	return &Accumulator{
		meas: Measurer{
			set: set, asOf: asOf, who: who,
			start: m.Start(set.Location),
			end:   m.End(set.Location),
		},
		month:    m,
		months:   map[string]*Month{},
		Unmapped: map[string]int{},
	}
}

// A Measurer works out tickets' parts in the engineers' months for an
// Accumulator, without counting them: which engineer each ticket credits,
// with what, and where it offends. That is nearly all of AddTicket's work,
// and it reads nothing but the ticket and the settings, so Measurers can
// measure tickets on goroutines of their own while one goroutine counts
// the parts in the tickets' order (Accumulator.Add): the same months, and
// the same contributions in the same order, as AddTicket ticket after
// ticket. A Measurer is not safe for concurrent use, but distinct ones
// are, when the Resolver and Settings.Calendar are.
type Measurer struct {
	set        Settings
	start, end time.Time
	asOf       time.Time
	who        Resolver
	seen       []string            // collaboration's scratch
	working    []calendar.Interval // the ticket's running clock
}

// Measurer returns a new Measurer of a's month, settings and resolver.
func (a *Accumulator) Measurer() *Measurer {
	m := a.meas
	m.seen, m.working = nil, nil
	return &m
}

// Part is one ticket's part in the engineers' months, as a Measurer works
// it out for Accumulator.Add: the steps AddTicket takes, in its order. The
// zero value is an empty part; Measure overwrites a part, so one can serve
// ticket after ticket.
type Part struct {
	source, ticketID string
	tickets          bool // the ticket counts towards the engineers' Month.Tickets
	steps            []step
}

// stepKind is what a step of a Part does to the months.
type stepKind uint8

const (
	toEngineer      stepKind = iota // the next steps are for eng's month, which the ticket touches
	toUnmapped                      // a credit to agent id eng.ID, which the resolver does not know
	toCredit                        // metric gets num/den, Contribute hears of it
	toOffend                        // the ticket is among metric's worst, by badness
	toCollaboration                 // the ticket is one more collaboration case
)

// step is one step of a Part; kind says which of its fields count.
type step struct {
	kind     stepKind
	metric   ID
	slot     uint8 // metric's, in Month.slots
	eng      Engineer
	num, den float64
	badness  float64
	// The Contribution's own fields: what the ticket measured.
	hours, limit float64
	rating       int
	priority     event.Priority
}

func (p *Part) begin(source, ticketID string, tickets bool) {
	p.source, p.ticketID, p.tickets, p.steps = source, ticketID, tickets, p.steps[:0]
}

func (p *Part) credit(id ID, num, den float64, c Contribution) {
	p.steps = append(p.steps, step{kind: toCredit, metric: id, slot: slotOf(id), num: num, den: den, hours: c.Hours, limit: c.Limit, rating: c.Rating, priority: c.Priority})
}

func (p *Part) offend(id ID, badness float64) {
	p.steps = append(p.steps, step{kind: toOffend, metric: id, slot: slotOf(id), badness: badness})
}

// Add counts a ticket's part, measured by any Measurer of this
// Accumulator's: into the engineers' months, to Contribute, to Unmapped.
// AddTicket is Measure and Add.
func (a *Accumulator) Add(p *Part) {
	a.touched = a.touched[:0]
	var m *Month
	for i := range p.steps {
		st := &p.steps[i]
		switch st.kind {
		case toEngineer:
			m = a.engineer(st.eng)
		case toUnmapped:
			a.Unmapped[p.source+":"+st.eng.ID]++
		case toCredit:
			if a.excluded(m, st.metric, p.source, p.ticketID) {
				continue
			}
			m.slot(st).add(st.num, st.den)
			if a.Contribute != nil {
				a.Contribute(Contribution{
					EngineerID: m.Engineer.ID, Metric: st.metric, Source: p.source, TicketID: p.ticketID, Num: st.num, Den: st.den,
					Hours: st.hours, Limit: st.limit, Rating: st.rating, Priority: st.priority,
				})
			}
		case toOffend:
			if !a.excluded(m, st.metric, p.source, p.ticketID) {
				m.slot(st).offend(p.source, p.ticketID, st.badness)
			}
		case toCollaboration:
			a.collaborate(m, st, p.source, p.ticketID)
		}
	}
	if p.tickets {
		for _, m := range a.touched {
			m.Tickets++
		}
	}
	a.touched = a.touched[:0]
}

// engineer returns e's month, creating it, and records that the current
// ticket touched it.
func (a *Accumulator) engineer(e Engineer) *Month {
	m := a.months[e.ID]
	if m == nil {
		m = &Month{Engineer: e, Values: map[ID]*Value{}}
		a.months[e.ID] = m
	}
	if !slices.Contains(a.touched, m) {
		a.touched = append(a.touched, m)
	}
	return m
}

// collaborate counts the ticket as one of m's collaboration cases.
func (a *Accumulator) collaborate(m *Month, st *step, source, ticketID string) {
	if a.excluded(m, CollaborationCases, source, ticketID) {
		return
	}
	v := m.slot(st)
	v.Numerator++
	v.N++
	v.set, v.raw = true, v.Numerator
	if a.Contribute != nil {
		a.Contribute(Contribution{EngineerID: m.Engineer.ID, Metric: CollaborationCases, Source: source, TicketID: ticketID, Num: 1})
	}
}

func (m *Measurer) inMonth(t time.Time) bool {
	return !t.Before(m.start) && t.Before(m.end) && !t.After(m.asOf)
}

// engineer adds to p the step to the engineer credited for agentID, and
// reports whether there is one: false for no agent, or an agent the
// resolver does not know (then counted as unmapped).
func (m *Measurer) engineer(p *Part, source, agentID string) bool {
	if agentID == "" {
		return false
	}
	e, ok := m.who.Resolve(source, agentID)
	if !ok {
		p.steps = append(p.steps, step{kind: toUnmapped, eng: Engineer{ID: agentID}})
		return false
	}
	p.steps = append(p.steps, step{kind: toEngineer, eng: e})
	return true
}

func (m *Measurer) calendarOf(s *ticket.State) *calendar.Calendar {
	if m.set.Calendar == nil {
		return calendar.TwentyFourSeven()
	}
	team := ""
	if e, ok := m.who.Resolve(s.Source, s.AssigneeID); ok {
		team = e.Team
	}
	if c := m.set.Calendar(team); c != nil {
		return c
	}
	return calendar.TwentyFourSeven()
}

// IsComplaint reports whether the ticket's type or tags map to complaint.
func (a *Accumulator) IsComplaint(s *ticket.State) bool { return a.meas.isComplaint(s) }

func (m *Measurer) isComplaint(s *ticket.State) bool {
	if slices.Contains(m.set.ComplaintTypes, s.TicketType) && s.TicketType != "" {
		return true
	}
	for _, t := range m.set.ComplaintTags {
		if s.HasTag(t) {
			return true
		}
	}
	return false
}

// AddTicket measures one ticket's contribution to the month (DESIGN §3):
// response metrics in the month of creation, credited to the first public
// replier; resolution metrics in the month of final resolution credited to
// the assignee then; an SLA that fell due unresolved in the month of its
// deadline, credited to the assignee at the deadline; survey answers in the
// month received; internal notes on a colleague's ticket as collaboration.
func (a *Accumulator) AddTicket(s *ticket.State) {
	a.meas.Measure(s, &a.part)
	a.Add(&a.part)
}

// Measure works out the ticket's part in the month (AddTicket) into p,
// replacing what p held.
func (m *Measurer) Measure(s *ticket.State, p *Part) {
	p.begin(s.Source, s.ID, true)
	cal := m.calendarOf(s)
	created := s.HasCreation()
	var working []calendar.Interval
	if created {
		m.working = s.AppendWorking(m.working[:0])
		working = m.working
	}

	if r := m.firstResponse(s); created && r != nil && m.inMonth(s.CreatedAt) && !r.At.After(m.asOf) {
		if m.engineer(p, s.Source, r.AgentID) {
			h := cal.Working(s.CreatedAt, r.At).Hours()
			limit := m.set.FirstResponseWithin.Hours()
			p.credit(AvgFirstResponseHours, h, 1, Contribution{Hours: h})
			within := h <= limit
			p.credit(FirstResponse1hRate, b2f(within), 1, Contribution{Hours: h, Limit: limit})
			if !within {
				p.offend(AvgFirstResponseHours, h)
				p.offend(FirstResponse1hRate, h)
			}
		}
	}

	final, resolved := s.FinalResolution()
	if resolved && m.inMonth(final.At) {
		if m.engineer(p, s.Source, final.AgentID) {
			complaint := m.isComplaint(s)
			p.credit(ComplaintRate, b2f(complaint), 1, Contribution{})
			if complaint {
				p.offend(ComplaintRate, 1)
				if created {
					h := final.At.Sub(s.CreatedAt).Hours()
					limit := m.set.ComplaintWindow.Hours()
					within := h <= limit
					p.credit(Complaint24hRate, b2f(within), 1, Contribution{Hours: h, Limit: limit})
					if !within {
						p.offend(Complaint24hRate, h)
					}
				}
			}
			if created {
				h := calendar.Total(cal, working, final.At).Hours()
				p.credit(AvgHandleHours, h, 1, Contribution{Hours: h})
				p.offend(AvgHandleHours, h)
			}
			p.credit(CompletionRate, 1, 1, Contribution{})
		}
	}

	if created {
		m.sla(p, s, cal, working, final, resolved)
	}

	if first, ok := s.FirstResolution(); ok && m.inMonth(first.At) {
		if m.engineer(p, s.Source, first.AgentID) {
			reopened := s.ReopenedWithin(first.At, m.set.ReopenWindow)
			c := Contribution{Limit: m.set.ReopenWindow.Hours()}
			for _, at := range s.Reopens {
				if at.After(first.At) {
					c.Hours = at.Sub(first.At).Hours()
					break
				}
			}
			p.credit(ResolutionSuccessRate, b2f(!reopened), 1, c)
			if reopened {
				p.offend(ResolutionSuccessRate, 1)
			}
		}
	}

	for i := range s.Answers {
		ans := &s.Answers[i]
		if m.inMonth(ans.At) {
			m.answer(p, s.Source, ans.AgentID, ans.Rating, ans.Solved)
		}
	}

	m.collaboration(p, s)
}

// sla counts the ticket in resolution_sla_rate and, when it fell due
// unresolved in the month, in completion_rate's denominator.
func (m *Measurer) sla(p *Part, s *ticket.State, cal *calendar.Calendar, working []calendar.Interval, final ticket.Resolution, resolved bool) {
	target, ok := m.set.SLATargets[s.Priority]
	if !ok {
		return
	}
	deadline, reached := calendar.Deadline(cal, working, target)
	breached := reached && (!resolved || deadline.Before(final.At))
	switch {
	case breached && m.inMonth(deadline):
		if !m.engineer(p, s.Source, s.AssigneeAt(deadline)) {
			return
		}
		late := deadline.Sub(s.CreatedAt).Hours()
		if resolved {
			late = final.At.Sub(s.CreatedAt).Hours()
		}
		p.credit(ResolutionSLARate, 0, 1, Contribution{Hours: late, Limit: target.Hours(), Priority: s.Priority})
		p.offend(ResolutionSLARate, late)
		// Due in the month and still not done when the month ended:
		// incomplete work for the assignee at the deadline.
		cut := m.end
		if m.asOf.Before(cut) {
			cut = m.asOf
		}
		if !(resolved && final.At.Before(cut)) && !s.StatusAt(cut).Done() {
			p.credit(CompletionRate, 0, 1, Contribution{Hours: late, Limit: target.Hours(), Priority: s.Priority})
			p.offend(CompletionRate, late)
		}
	case !breached && resolved && m.inMonth(final.At):
		if m.engineer(p, s.Source, final.AgentID) {
			p.credit(ResolutionSLARate, 1, 1, Contribution{Hours: final.At.Sub(s.CreatedAt).Hours(), Limit: target.Hours(), Priority: s.Priority})
		}
	}
}

// AddAnswer counts a survey answer received in the month for the engineer
// credited at resolution (agentID is that engineer's agent id in source).
func (a *Accumulator) AddAnswer(source, ticketID, agentID string, received time.Time, rating int, solved *bool) {
	if !a.meas.inMonth(received) {
		return
	}
	a.part.begin(source, ticketID, false)
	a.meas.answer(&a.part, source, agentID, rating, solved)
	a.Add(&a.part)
}

func (m *Measurer) answer(p *Part, source, agentID string, rating int, solved *bool) {
	if !m.engineer(p, source, agentID) || rating < 1 || rating > 5 {
		return
	}
	pts := float64(rating-1) * 25
	p.credit(CSATScore, pts, 1, Contribution{Rating: rating})
	p.credit(CSATSatisfiedRate, b2f(rating >= 4), 1, Contribution{Rating: rating})
	if rating < 4 {
		p.offend(CSATScore, float64(5-rating))
		p.offend(CSATSatisfiedRate, float64(5-rating))
	}
	if solved != nil {
		p.credit(FollowupConfirmedRate, b2f(*solved), 1, Contribution{Rating: rating})
		if !*solved {
			p.offend(FollowupConfirmedRate, 1)
		}
	}
}

// firstResponse is the ticket's first public agent reply, a reply by a
// person the source did not classify counting when the directory maps them
// to an engineer.
func (m *Measurer) firstResponse(s *ticket.State) *ticket.Response {
	if len(s.PersonReplies) == 0 {
		return s.FirstResponse
	}
	return s.FirstResponseBy(func(id string) bool {
		_, ok := m.who.Resolve(s.Source, id)
		return ok
	})
}

// collaboration counts, once per ticket and agent, internal notes written in
// the month on a ticket assigned to another engineer at the time.
func (m *Measurer) collaboration(p *Part, s *ticket.State) {
	seen := m.seen[:0]
	for _, n := range s.Notes {
		if !m.inMonth(n.At) || n.AssigneeID == "" || slices.Contains(seen, n.AgentID) {
			continue
		}
		writer, ok := m.who.Resolve(s.Source, n.AgentID)
		if !ok {
			continue
		}
		owner, ok := m.who.Resolve(s.Source, n.AssigneeID)
		if ok && owner.ID == writer.ID {
			continue
		}
		seen = append(seen, n.AgentID)
		p.steps = append(p.steps, step{kind: toEngineer, eng: writer}, step{kind: toCollaboration, metric: CollaborationCases, slot: slotOf(CollaborationCases)})
	}
	m.seen = seen[:0]
}

// People are the month's inputs that come from people rather than tickets:
// the team lead's assessment and imported records. A nil field means no
// record, which is "no data", never zero.
type People struct {
	LeadProblemSolving *float64
	LeadCollaboration  *float64
	LeadAttitude       *float64
	TrainingHours      *float64
	TrainingSessions   int
	CoursesAssigned    int
	CoursesCompleted   int
	KnowledgeScore     *float64
	KnowledgeShares    *int
	SkillSessionsHeld  int
	SkillSessionsAtt   int
	CollaborationCases int
	RenewalsDue        int
	Renewed            int
	// QualityReviews are the engineer's reviewed tickets of the month,
	// each with its score (0–100, the mean of its reviews).
	QualityReviews []ReviewedTicket
}

// ReviewedTicket is one reviewed ticket's quality score.
type ReviewedTicket struct {
	Source, TicketID string
	Score            float64
}

// AddPeople records an engineer's people inputs for the month.
func (a *Accumulator) AddPeople(e Engineer, p People) {
	m := a.months[e.ID]
	if m == nil {
		m = &Month{Engineer: e, Values: map[ID]*Value{}}
		a.months[e.ID] = m
	}
	setIf := func(id ID, x *float64) {
		if x != nil {
			m.Value(id).Set(*x, 1)
		}
	}
	setIf(LeadProblemSolvingScore, p.LeadProblemSolving)
	setIf(LeadCollaborationScore, p.LeadCollaboration)
	setIf(LeadAttitudeScore, p.LeadAttitude)
	setIf(KnowledgeScore, p.KnowledgeScore)
	if p.TrainingHours != nil {
		m.Value(TrainingHours).Set(*p.TrainingHours, p.TrainingSessions)
	}
	if p.CoursesAssigned > 0 {
		v := m.Value(TrainingCompletionRate)
		v.Numerator, v.Denominator, v.N = float64(p.CoursesCompleted), float64(p.CoursesAssigned), p.CoursesAssigned
	}
	if p.KnowledgeShares != nil {
		weeks := float64(a.month.Days()) / 7
		v := m.Value(KnowledgeSharesPerWeek)
		v.Numerator, v.Denominator, v.N = float64(*p.KnowledgeShares), weeks, *p.KnowledgeShares
	}
	if p.SkillSessionsHeld > 0 {
		v := m.Value(SkillExchangeParticipation)
		v.Numerator, v.Denominator, v.N = float64(p.SkillSessionsAtt), float64(p.SkillSessionsHeld), p.SkillSessionsHeld
	}
	if p.CollaborationCases > 0 {
		v := m.Value(CollaborationCases)
		v.Numerator += float64(p.CollaborationCases)
		v.N += p.CollaborationCases
		v.set, v.raw = true, v.Numerator
	}
	// Each reviewed ticket is evidence, and can be disputed and taken out
	// like any other.
	for _, r := range p.QualityReviews {
		a.credit(m, QualityReviewScore, r.Source, r.TicketID, r.Score, 1, Contribution{})
		if r.Score < 100 {
			a.offend(m, QualityReviewScore, r.Source, r.TicketID, 100-r.Score)
		}
	}
	if p.RenewalsDue > 0 {
		v := m.Value(RenewalRate)
		v.Numerator, v.Denominator, v.N = float64(p.Renewed), float64(p.RenewalsDue), p.RenewalsDue
	}
}

// Ensure makes sure an engineer appears in the results even with no data
// (someone on leave still gets a month, marked insufficient).
func (a *Accumulator) Ensure(e Engineer) {
	if a.months[e.ID] == nil {
		a.months[e.ID] = &Month{Engineer: e, Values: map[ID]*Value{}}
	}
}

// Months returns every engineer's month, sorted by engineer id, with the
// evidence lists finalised.
func (a *Accumulator) Months() []*Month {
	out := make([]*Month, 0, len(a.months))
	for _, m := range a.months {
		for _, v := range m.Values {
			v.Offending, v.OffendingSources = v.Offending[:0], v.OffendingSources[:0]
			for _, o := range v.worst {
				v.Offending = append(v.Offending, o.id)
				v.OffendingSources = append(v.OffendingSources, o.source)
			}
			if len(v.Offending) == 0 {
				v.Offending, v.OffendingSources = nil, nil
			}
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(x, y *Month) int { return cmp.Compare(x.Engineer.ID, y.Engineer.ID) })
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
