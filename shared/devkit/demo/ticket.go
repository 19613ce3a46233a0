package demo

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"scorecard/shared/core/month"
)

// Actors that are not people.
var (
	sysAutoReply  = Actor{ID: "sys-autoreply", Kind: KindSystem}
	sysRouting    = Actor{ID: "sys-routing", Kind: KindSystem}
	sysAutomation = Actor{ID: "sys-automation", Kind: KindSystem}
)

// priorities with their share of new tickets, median working hours to
// resolve for an average engineer, first-reply speed factor and SLA hours
// (the policy defaults, used only to make ratings of late tickets worse).
var priorities = []struct {
	name    string
	share   float64
	handleH float64
	replyF  float64
	slaH    float64
}{
	{PriorityUrgent, 0.05, 1.2, 0.5, 4},
	{PriorityHigh, 0.20, 2.5, 0.75, 8},
	{PriorityNormal, 0.55, 7, 1, 24},
	{PriorityLow, 0.20, 20, 1.3, 72},
}

var ticketTypes = []struct {
	name  string
	share float64
}{
	{TicketIncident, 0.41}, {TicketQuestion, 0.35}, {TicketProblem, 0.11}, {TicketTask, 0.13},
}

// complaintPriority draws a complaint's priority (indexes into priorities):
// mostly high, some normal, a few urgent.
var complaintPriority = []int{0, 1, 1, 1, 1, 1, 2, 2, 2, 2}

// retype is how an agent reclassifies a ticket once it is understood.
var retype = map[string]string{TicketQuestion: TicketIncident, TicketIncident: TicketProblem,
	TicketTask: TicketQuestion, TicketProblem: TicketIncident, TicketComplaint: TicketComplaint}

var (
	productTags = []string{"billing", "login", "hardware", "installation", "warranty", "shipping", "api", "firmware", "refund", "network"}
	extraTags   = []string{"escalated", "vip", "follow-up", "rma", "on-site", "known-issue"}

	subjects = []string{
		"Device does not power on after the firmware update",
		"Cannot log in to the customer portal",
		"Invoice shows the wrong amount",
		"Printer jams on every second page",
		"Need an installation appointment",
		"API returns 500 on order export",
		"Replacement part has not arrived",
		"How do I reset the admin password?",
		"Router drops the connection every evening",
		"Warranty claim for a cracked screen",
	}
	complaintSubjects = []string{
		"Third visit and the machine is still broken",
		"Charged twice and still no refund",
		"Technician did not show up for the appointment",
	}
	agentReplies = []string{
		"Thanks for reaching out. Could you send me the serial number?",
		"I have reproduced the issue and am checking with the product team.",
		"Please try the steps in the linked article and let me know.",
		"A technician is booked for tomorrow morning.",
		"The fix is applied; please confirm it works on your side.",
		"Could you attach the logs from the last hour?",
	}
	finalReplies = []string{
		"This should be solved now, so I am marking the ticket resolved. Just reply if anything is still wrong.",
		"Your refund has been issued; it shows up within three working days.",
		"The replacement has been shipped and the ticket is resolved.",
	}
	customerReplies = []string{
		"Here is the serial number you asked for.",
		"I tried that, still the same.",
		"Attached the logs.",
		"Any update on this?",
		"Tomorrow morning works for me.",
	}
	thanksReplies = []string{"Thanks, that worked!", "Confirmed, all good now.", "Great, thank you."}
	notes         = []string{
		"Checked the logs: matches known issue KB-1042.",
		"Customer is on the enterprise plan.",
		"Waiting for the spare part from the warehouse.",
		"Asked second line for the device history.",
	}
	collabNotes = []string{
		"Had the same case last week: rolling back the firmware fixed it.",
		"I can take the on-site visit if you need a hand.",
		"Tip: the billing export needs the old account id.",
	}
	surveyGood = []string{"Quick and friendly help.", "Solved on the first try, thanks!", "Very patient engineer."}
	surveyBad  = []string{"Took far too long.", "Had to explain the problem three times.", "Nobody called me back."}
)

// ticketScratch is reused from ticket to ticket to avoid allocations.
type ticketScratch struct {
	ends  []int
	marks []pendMark
	segs  []float64
	tagOp []tagOp
}

// pendMark says that at working second w the ticket went pending and that
// total seconds of pending have passed on the wall clock from then on.
type pendMark struct{ w, total int64 }

// tagOp is a change of the ticket's tags (and maybe type) at working second w.
type tagOp struct {
	w         int64
	add       string
	newType   string
	escalated bool // the customer complained: a complaint tag is added
}

// ticketRun is one ticket under construction.
type ticketRun struct {
	g        *generator
	tid      string
	t0       int64
	marks    []pendMark
	asg      int     // first assignee
	reasg    int     // assignee after the reassignment, -1 if none
	reasgAt  int64   // working second of the reassignment
	evs      []Event // g.events, this ticket's from start on
	start    int
	customer Actor
}

// wall maps a working second to unix seconds: time in pending counts only
// on the wall clock.
func (t *ticketRun) wall(w int64) int64 {
	p := int64(0)
	for _, m := range t.marks {
		if m.w < w {
			p = m.total
		}
	}
	return t.t0 + w + p
}

// assignee is the engineer assigned at working second w.
func (t *ticketRun) assignee(w int64) int {
	if t.reasg >= 0 && w >= t.reasgAt {
		return t.reasg
	}
	return t.asg
}

func (t *ticketRun) agent(i int) Actor {
	return Actor{ID: t.g.engs[i].agentID, Kind: KindAgent}
}

// emit records an event at unix second at; ids are given once the ticket
// is complete.
func (t *ticketRun) emit(at int64, e Event) {
	e.TicketID = t.tid
	e.OccurredAt = time.Unix(at, 0).UTC()
	t.evs = append(t.evs, e)
}

func (t *ticketRun) reply(at int64, who Actor, public bool, text string) {
	t.emit(at, Event{Type: TypeReplied, Actor: who, Public: boolp(public), Comment: text})
}

func (t *ticketRun) status(at int64, who Actor, s string) {
	t.emit(at, Event{Type: TypeStatusChanged, Actor: who, Status: s})
}

func boolp(b bool) *bool { return &b }

// lognormal draws from a log-normal distribution with the given median,
// clamped to [lo, hi].
func (g *generator) lognormal(median, sigma, lo, hi float64) int64 {
	x := median * math.Exp(sigma*g.rng.NormFloat64())
	return int64(min(max(x, lo), hi))
}

// between draws a whole second uniformly from [lo, hi).
func (g *generator) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.Int64N(hi-lo)
}

func (g *generator) choice(s []string) string { return s[g.rng.IntN(len(s))] }

// pickAssignee draws an engineer by workload weight among those active at
// unix second at.
func (g *generator) pickAssignee(at int64) int {
	for {
		i, _ := slices.BinarySearch(g.cum, g.rng.Float64()*g.cum[len(g.cum)-1])
		i = min(i, len(g.cum)-1)
		if g.engs[i].active <= at {
			return i
		}
	}
}

// teammate draws another active member of engineer i's team, or -1.
func (g *generator) teammate(i int, at int64) int {
	ms := g.members[g.engs[i].team]
	start := g.rng.IntN(len(ms))
	for k := range ms {
		j := ms[(start+k)%len(ms)]
		if j != i && g.engs[j].active <= at {
			return j
		}
	}
	return -1
}

const (
	minute = 60
	hour   = 3600
	day    = 24 * hour
)

// ticket simulates one ticket created at unix second t0 and appends its
// events to g.events. last says whether t0 is in the last generated month,
// the only one where tickets may stay unresolved for good.
func (g *generator) ticket(m month.Month, i int, t0 int64, last bool) {
	r := g.rng
	num := strconv.Itoa(m.Year*100+int(m.Month)) + "-" + pad(i+1, 5)
	tk := &g.tk
	t := &ticketRun{g: g, tid: "T-" + num, t0: t0, marks: tk.marks[:0], evs: g.events, start: len(g.events), reasg: -1}

	// What the customer opens.
	pi := 0
	for u := r.Float64(); pi < len(priorities)-1 && u >= priorities[pi].share; pi++ {
		u -= priorities[pi].share
	}
	ttype := TicketIncident
	for u, k := r.Float64(), 0; k < len(ticketTypes); k++ {
		if u < ticketTypes[k].share || k == len(ticketTypes)-1 {
			ttype = ticketTypes[k].name
			break
		}
		u -= ticketTypes[k].share
	}
	tags := []string{g.choice(productTags)}
	if r.IntN(3) == 0 {
		if extra := g.choice(productTags); extra != tags[0] {
			tags = append(tags, extra)
		}
	}
	complaint := false
	subject := g.choice(subjects)
	if u := r.Float64(); u < 0.014 {
		// A complaint from the start: as its own ticket type, or tagged.
		complaint = true
		subject = g.choice(complaintSubjects)
		if u < 0.007 {
			ttype = TicketComplaint
		} else {
			tags = append(tags, TagComplaint)
		}
		pi = complaintPriority[r.IntN(len(complaintPriority))]
	}
	noSurvey := r.Float64() < 0.02
	if noSurvey {
		tags = append(tags, TagNoSurvey)
	}
	slices.Sort(tags)
	prio := priorities[pi]
	c := g.custs[int(float64(len(g.custs))*math.Pow(r.Float64(), 1.6))] // a copy, owned by this event
	t.customer = Actor{ID: c.ID, Kind: KindCustomer}
	t.emit(t0, Event{Type: TypeCreated, Actor: t.customer, Status: StatusNew, Priority: prio.name,
		Tags: tags, TicketType: ttype, Customer: &c, Comment: subject})

	if r.Float64() < 0.35 {
		t.reply(t0+5+r.Int64N(55), sysAutoReply, true,
			"We have received your request and will get back to you shortly.")
	}

	// Routing: usually at once, sometimes the ticket waits unassigned.
	t.asg = g.pickAssignee(t0)
	prof := g.engs[t.asg].prof
	var a int64
	if r.Float64() < 0.08 {
		a = g.lognormal(50*minute, 0.7, 15*minute, 8*hour)
	} else {
		a = 20 + g.lognormal(90, 0.8, 0, 15*minute)
	}
	by := sysRouting
	if r.Float64() < 0.2 {
		by = t.agent(t.asg) // took it from the queue
	}
	t.emit(t0+a, Event{Type: TypeAssigned, Actor: by, AssigneeID: g.engs[t.asg].agentID})

	// First public reply, on the working clock (nothing is pending yet).
	replyMed := prof.firstReply * minute * prio.replyF
	if offHours(time.Unix(t0, 0).In(g.cfg.TimeZone)) {
		replyMed *= 1.8
	}
	f := g.lognormal(replyMed, prof.replySigma, minute, 5*day)
	f = max(f, a+minute+r.Int64N(4*minute))
	replier := t.asg
	if r.Float64() < 0.02 {
		if j := g.teammate(t.asg, t0); j >= 0 {
			replier = j // a colleague saw it first
		}
	}
	if r.Float64() < 0.03 {
		t.reply(t0+a+(f-a)*(2+r.Int64N(6))/10, t.agent(t.asg), false,
			"Internal: asked second line for the device history before answering.")
	}

	// Working time to resolution, excluding pending.
	hm := prio.handleH * hour * prof.handle
	if complaint && prof != &weakProfile {
		hm *= 0.5 // complaints jump the queue
	}
	W := g.lognormal(hm, 0.6, 0, 10*day)
	stuck := last && r.Float64() < prof.stuck
	if stuck {
		W = f + g.lognormal(2*day, 0.6, 6*hour, 10*day)
	}
	nx := []int{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3}[r.IntN(20)]
	W = max(W, f+int64(nx+1)*15*minute+r.Int64N(20*minute))

	if r.Float64() < 0.08 {
		t.reasgAt = f + (W-f)*(1+r.Int64N(5))/10
		t.reasg = g.teammate(t.asg, t0+t.reasgAt)
	}

	// The conversation: the first reply, nx exchanges, the final reply.
	// Segments between agent replies get random lengths, none under a
	// third of the mean.
	segs := tk.segs[:0]
	sum := 0.0
	for range nx + 1 {
		x := 0.5 + r.Float64()
		segs = append(segs, x)
		sum += x
	}
	t.reply(t0+f, t.agent(replier), true, g.choice(agentReplies))
	t.status(t0+f+1, t.agent(replier), StatusOpen)
	prev, pend := f, int64(0)
	acc := 0.0
	for k := range nx {
		acc += segs[k]
		e := f + int64(float64(W-f)*acc/sum)
		who := t.agent(t.assignee(prev))
		switch u := r.Float64(); {
		case u < 0.45: // wait for the customer
			t.status(t.wall(prev+2), who, StatusPending)
			pend += g.lognormal(4*hour, 1.0, 10*minute, 3*day)
			t.marks = append(t.marks, pendMark{w: prev + 2, total: pend})
			t.reply(t.wall(prev+3), t.customer, true, g.choice(customerReplies))
			t.status(t.wall(prev+4), t.customer, StatusOpen)
		case u < 0.48: // waiting on a third party, clock running
			t.status(t.wall(prev+2), who, StatusOnHold)
			t.status(t.wall(e-2*minute), t.agent(t.assignee(e)), StatusOpen)
		default:
			t.reply(t.wall(prev+(e-prev)*(3+r.Int64N(5))/10), t.customer, true, g.choice(customerReplies))
		}
		t.reply(t.wall(e), t.agent(t.assignee(e)), true, g.choice(agentReplies))
		prev = e
	}
	if !stuck && r.Float64() < 0.4 {
		t.reply(t.wall(prev+(W-prev)/2), t.customer, true, g.choice(thanksReplies))
	}

	// Things that happen along the way.
	if t.reasg >= 0 {
		t.emit(t.wall(t.reasgAt), Event{Type: TypeAssigned, Actor: t.agent(t.asg), AssigneeID: g.engs[t.reasg].agentID,
			Comment: "Handing over: " + g.org.Engineers[t.reasg].Name + " knows this product best."})
	}
	if r.Float64() < 0.2 {
		w := g.between(a+minute, W-minute)
		t.emit(t.wall(w), Event{Type: TypeNote, Actor: t.agent(t.assignee(w)), Comment: g.choice(notes)})
	}
	if r.Float64() < 0.06 {
		w := g.between(a+minute, W-minute)
		if j := g.teammate(t.assignee(w), t0+w); j >= 0 {
			t.emit(t.wall(w), Event{Type: TypeNote, Actor: t.agent(j), Comment: g.choice(collabNotes)})
		}
	}
	if r.Float64() < 0.04 {
		w := g.between(a+minute, f+(W-f)/2)
		np := pi + 1
		if pi == len(priorities)-1 || (pi > 0 && r.Float64() < 0.6) {
			np = pi - 1 // mostly raised
		}
		t.emit(t.wall(w), Event{Type: TypePriorityChanged, Actor: t.agent(t.assignee(w)), Priority: priorities[np].name})
	}
	ops := tk.tagOp[:0]
	if r.Float64() < 0.05 {
		op := tagOp{w: g.between(a+minute, W-minute), add: g.choice(extraTags)}
		if r.Float64() < 0.3 {
			op.newType = retype[ttype]
		}
		ops = append(ops, op)
	}
	escalated := !complaint && r.Float64() < prof.escalate
	if escalated {
		ops = append(ops, tagOp{w: g.between(f+minute, W-5*minute), add: TagComplaint, escalated: true})
	}
	slices.SortFunc(ops, func(x, y tagOp) int { return cmp.Compare(x.w, y.w) })
	for _, op := range ops {
		if op.escalated {
			t.reply(t.wall(op.w), t.customer, true, "This is unacceptable. I want to file a formal complaint.")
			op.w += 2 * minute
		}
		if !slices.Contains(tags, op.add) {
			tags = append(slices.Clone(tags), op.add)
			slices.Sort(tags)
		}
		if op.newType != "" {
			ttype = op.newType
		}
		t.emit(t.wall(op.w), Event{Type: TypeTagsChanged, Actor: t.agent(t.assignee(op.w)), Tags: tags, TicketType: ttype})
	}
	complaint = complaint || escalated
	tk.segs, tk.tagOp = segs[:0], ops[:0]

	if stuck {
		// Never resolved: left waiting on the customer, on hold, or open.
		who := t.agent(t.assignee(prev))
		switch u := r.Float64(); {
		case u < 0.5:
			t.status(t.wall(prev+2), who, StatusPending)
		case u < 0.7:
			t.status(t.wall(prev+2), who, StatusOnHold)
		}
		g.finish(t, num)
		return
	}

	// Resolution by whoever holds the ticket then.
	final := t.assignee(W)
	fin := t.agent(final)
	t.reply(t.wall(W-20-r.Int64N(min(180, (W-prev)/4))), fin, true, g.choice(finalReplies))
	resolved := t.wall(W)
	t.status(resolved, fin, StatusResolved)

	reopened := r.Float64() < g.engs[final].prof.reopen
	if reopened {
		ro := resolved + g.lognormal(18*hour, 0.8, hour, 4*day)
		t.reply(ro, t.customer, true, "The problem is back again.")
		t.status(ro+1, t.customer, StatusOpen)
		fp := g.engs[final].prof
		d1 := g.lognormal(fp.firstReply*minute, fp.replySigma, minute, 2*day)
		w2 := max(d1+10*minute, g.lognormal(prio.handleH*hour*fp.handle*0.5, 0.6, 0, 5*day))
		t.reply(ro+d1, fin, true, g.choice(agentReplies))
		t.reply(ro+w2-20-r.Int64N(180), fin, true, g.choice(finalReplies))
		resolved = ro + w2
		t.status(resolved, fin, StatusResolved)
	}

	if !noSurvey && r.Float64() < 0.306 {
		fp := g.engs[final].prof
		u := r.Float64()
		rating := 1
		for rating < 5 && u >= fp.ratings[rating-1] {
			rating++
		}
		late := W > int64(prio.slaH*hour)
		if reopened && r.Float64() < 0.5 {
			rating--
		}
		if complaint && r.Float64() < 0.6 {
			rating--
		}
		if late && r.Float64() < 0.4 {
			rating--
		}
		rating = max(rating, 1)
		ev := Event{Type: TypeSurveyAnswered, Actor: t.customer, Rating: rating}
		if r.Float64() >= 0.12 { // most answer "was your problem solved?"
			p := fp.solved
			if reopened {
				p *= 0.8
			}
			ev.Solved = boolp(r.Float64() < p)
		}
		if r.Float64() < 0.25 {
			if rating >= 4 {
				ev.Comment = g.choice(surveyGood)
			} else {
				ev.Comment = g.choice(surveyBad)
			}
		}
		t.emit(resolved+g.lognormal(5*hour, 1.0, 10*minute, 3*day), ev)
	}
	t.status(resolved+3*day+r.Int64N(2*day), sysAutomation, StatusClosed)
	g.finish(t, num)
}

// finish drops what lies past the horizon, orders the ticket's events,
// gives them ids in that order and leaves them in g.events.
func (g *generator) finish(t *ticketRun, num string) {
	tail := slices.DeleteFunc(t.evs[t.start:], func(e Event) bool { return e.OccurredAt.Unix() > g.horizon })
	slices.SortStableFunc(tail, func(a, b Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	// One allocation holds every id of the ticket.
	prefix := "evt-" + num + "-"
	buf := make([]byte, 0, len(tail)*(len(prefix)+3))
	ends := g.tk.ends[:0]
	for range tail {
		buf = append(buf, prefix...)
		buf = append(buf, pad(len(ends)+1, 2)...)
		ends = append(ends, len(buf))
	}
	g.tk.ends = ends
	ids := string(buf)
	from := 0
	for k := range tail {
		tail[k].EventID = ids[from:ends[k]]
		from = ends[k]
	}
	g.events = t.evs[:t.start+len(tail)]
	g.tk.marks = t.marks[:0]
}

// pad formats n with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
