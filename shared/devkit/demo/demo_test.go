package demo

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the zones the tests use, whatever the machine has

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/month"
)

// defaultRun generates the default organisation once for all tests.
var defaultRun = sync.OnceValues(func() (Org, []Event) { return Generate(DefaultConfig()) })

func small(seed int64) Config {
	c := DefaultConfig()
	c.Seed = seed
	c.Months = 1
	c.TicketsPerMonth = 600
	return c
}

func jsonl(t *testing.T, evs []Event) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSONL(&b, evs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func engineersCSV(t *testing.T, org Org) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteEngineersCSV(&b, org); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerateIsDeterministic(t *testing.T) {
	base := small(7)
	org, evs := Generate(base)
	for _, tc := range []struct {
		name string
		cfg  Config
		same bool
	}{
		{"same seed gives identical output", base, true},
		{"another seed gives different output", small(8), false},
		{"seed 0 is a seed like any other", small(0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org2, evs2 := Generate(tc.cfg)
			sameEvents := bytes.Equal(jsonl(t, evs), jsonl(t, evs2))
			sameOrg := bytes.Equal(engineersCSV(t, org), engineersCSV(t, org2))
			if tc.same && !(sameEvents && sameOrg) {
				t.Errorf("same config: events equal %v, engineers equal %v; want both equal", sameEvents, sameOrg)
			}
			if !tc.same && (sameEvents || sameOrg) {
				t.Errorf("different seed: events equal %v, engineers equal %v; want both different", sameEvents, sameOrg)
			}
		})
	}
}

func TestGenerateCounts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		weak     []int // allowed number of weak engineers
		perTeamN int   // minimum engineers per team
	}{
		{"default organisation", DefaultConfig(), []int{3}, 8},
		{"smallest organisation", Config{Seed: 3, Months: 1, Teams: 3, Engineers: 20, TicketsPerMonth: 300}, []int{2}, 6},
		{"many teams", Config{Seed: 4, Months: 2, Teams: 10, Engineers: 45, TicketsPerMonth: 500}, []int{4}, 4},
		{"a whole year", Config{Seed: 5, Start: month.Month{Year: 2026, Month: time.January}, Months: 12, TicketsPerMonth: 50}, []int{3}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg.withDefaults()
			org, evs := Generate(tc.cfg)
			if len(org.Teams) != cfg.Teams {
				t.Errorf("teams = %d, want %d", len(org.Teams), cfg.Teams)
			}
			if len(org.Engineers) != cfg.Engineers {
				t.Errorf("engineers = %d, want %d", len(org.Engineers), cfg.Engineers)
			}
			perTeam := map[string]int{}
			managers := map[string]string{}
			profiles := map[string]int{}
			for _, e := range org.Engineers {
				perTeam[e.Team]++
				profiles[e.Profile]++
				if m, ok := managers[e.Team]; ok && m != e.ManagerEmail {
					t.Errorf("team %s has managers %s and %s", e.Team, m, e.ManagerEmail)
				}
				managers[e.Team] = e.ManagerEmail
			}
			for _, team := range org.Teams {
				if perTeam[team] < tc.perTeamN {
					t.Errorf("team %s has %d engineers, want at least %d", team, perTeam[team], tc.perTeamN)
				}
				if !strings.HasSuffix(managers[team], "@example.com") {
					t.Errorf("team %s manager e-mail %q", team, managers[team])
				}
			}
			if got := distinct(managers); got != cfg.Teams {
				t.Errorf("%d distinct managers, want one per team (%d)", got, cfg.Teams)
			}
			if !slices.Contains(tc.weak, profiles[ProfileWeak]) || profiles[ProfileNewHire] != 1 || profiles[ProfileStrong] < 3 ||
				profiles[ProfileAverage] <= profiles[ProfileWeak]+profiles[ProfileStrong] {
				t.Errorf("profiles = %v; want weak %v, one new hire, at least 3 strong, mostly average", profiles, tc.weak)
			}
			created := map[month.Month]int{}
			for _, e := range evs {
				if e.Type == TypeCreated {
					created[month.Of(e.OccurredAt, cfg.TimeZone)]++
				}
			}
			for i := range cfg.Months {
				m := cfg.Start.Add(i)
				if created[m] != cfg.TicketsPerMonth {
					t.Errorf("%v: %d tickets created, want %d", m, created[m], cfg.TicketsPerMonth)
				}
			}
			if len(created) != cfg.Months {
				t.Errorf("tickets created in %d months, want %d", len(created), cfg.Months)
			}
		})
	}
}

func distinct(m map[string]string) int {
	seen := map[string]bool{}
	for _, v := range m {
		seen[v] = true
	}
	return len(seen)
}

func TestEventsAreSortedAndInRange(t *testing.T) {
	cfg := DefaultConfig()
	_, evs := defaultRun()
	first := cfg.Start.Start(cfg.TimeZone)
	lastEnd := cfg.Start.Add(cfg.Months - 1).End(cfg.TimeZone)
	horizon := lastEnd.AddDate(0, 0, SpillDays)
	for i, e := range evs {
		if i > 0 {
			p := evs[i-1]
			if c := p.OccurredAt.Compare(e.OccurredAt); c > 0 || (c == 0 && p.EventID >= e.EventID) {
				t.Fatalf("event %d (%s %v) not after %s %v", i, e.EventID, e.OccurredAt, p.EventID, p.OccurredAt)
			}
		}
		if e.OccurredAt.Before(first) || e.OccurredAt.After(horizon) {
			t.Errorf("%s at %v: outside %v..%v", e.EventID, e.OccurredAt, first, horizon)
		}
		if e.Type == TypeCreated && !e.OccurredAt.Before(lastEnd) {
			t.Errorf("%s: ticket created at %v, after the last month", e.EventID, e.OccurredAt)
		}
	}
}

// wireKeys are the keys each event type may carry, beyond the common ones.
var wireKeys = map[string][]string{
	TypeCreated:         {"status", "priority", "tags", "ticket_type", "customer", "comment"},
	TypeAssigned:        {"assignee_id", "comment"},
	TypeReplied:         {"public", "comment"},
	TypeNote:            {"comment"},
	TypeStatusChanged:   {"status"},
	TypePriorityChanged: {"priority"},
	TypeTagsChanged:     {"tags", "ticket_type"},
	TypeSurveyAnswered:  {"rating", "solved", "comment"},
}

var (
	statuses    = []string{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusResolved, StatusClosed}
	prioNames   = []string{PriorityUrgent, PriorityHigh, PriorityNormal, PriorityLow}
	ticketKinds = []string{TicketIncident, TicketQuestion, TicketProblem, TicketTask, TicketComplaint}
	eventIDRe   = regexp.MustCompile(`^evt-\d{6}-\d{5,}-\d{2,}$`)
	ticketIDRe  = regexp.MustCompile(`^T-\d{6}-\d{5,}$`)
	timeRe      = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

// checkWire validates one JSON line of the generic format: required fields
// per type, known enums, RFC 3339 UTC timestamps, no stray fields.
func checkWire(line []byte, agents map[string]bool) (id string, err error) {
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		return "", err
	}
	id, _ = m["event_id"].(string)
	return id, checkFields(m, agents)
}

func checkFields(m map[string]any, agents map[string]bool) error {
	str := func(k string) string { s, _ := m[k].(string); return s }
	typ := str("type")
	extra, ok := wireKeys[typ]
	if !ok {
		return fmt.Errorf("unknown type %q", typ)
	}
	for k := range m {
		if !slices.Contains([]string{"event_id", "ticket_id", "type", "occurred_at", "actor"}, k) && !slices.Contains(extra, k) {
			return fmt.Errorf("%s event has field %q", typ, k)
		}
	}
	if !eventIDRe.MatchString(str("event_id")) {
		return fmt.Errorf("event_id %q", str("event_id"))
	}
	if !ticketIDRe.MatchString(str("ticket_id")) {
		return fmt.Errorf("ticket_id %q", str("ticket_id"))
	}
	if at := str("occurred_at"); !timeRe.MatchString(at) {
		return fmt.Errorf("occurred_at %q: want RFC 3339 UTC with Z", at)
	} else if _, err := time.Parse(time.RFC3339, at); err != nil {
		return fmt.Errorf("occurred_at %q: %v", at, err)
	}
	actor, _ := m["actor"].(map[string]any)
	id, _ := actor["id"].(string)
	kind, _ := actor["kind"].(string)
	switch {
	case id == "" || len(actor) != 2:
		return fmt.Errorf("actor %v", m["actor"])
	case kind == KindAgent && !agents[id]:
		return fmt.Errorf("actor %q is no engineer's generic id", id)
	case kind == KindCustomer && !strings.HasPrefix(id, "c-"):
		return fmt.Errorf("customer actor %q", id)
	case kind != KindAgent && kind != KindCustomer && kind != KindSystem:
		return fmt.Errorf("actor kind %q", kind)
	}
	enum := func(k string, allowed []string, required bool) error {
		v, present := m[k]
		if !present && !required {
			return nil
		}
		if s, _ := v.(string); !slices.Contains(allowed, s) {
			return fmt.Errorf("%s %v: want one of %v", k, v, allowed)
		}
		return nil
	}
	var errs []error
	switch typ {
	case TypeCreated:
		c, _ := m["customer"].(map[string]any)
		if kind != KindCustomer || c["id"] != id || !strings.HasSuffix(fmt.Sprint(c["email"]), "@example.com") || c["name"] == "" {
			errs = append(errs, fmt.Errorf("created by %v for customer %v", m["actor"], m["customer"]))
		}
		errs = append(errs, enum("priority", prioNames, true), enum("ticket_type", ticketKinds, true),
			enum("status", statuses, false), checkTags(m, true))
	case TypeAssigned:
		if !agents[str("assignee_id")] {
			errs = append(errs, fmt.Errorf("assignee_id %q", str("assignee_id")))
		}
	case TypeReplied:
		pub, ok := m["public"].(bool)
		if !ok || (kind == KindSystem && !pub) {
			errs = append(errs, fmt.Errorf("public %v by %s", m["public"], kind))
		}
	case TypeNote:
		if kind != KindAgent || str("comment") == "" {
			errs = append(errs, fmt.Errorf("note by %s with comment %q", kind, str("comment")))
		}
	case TypeStatusChanged:
		errs = append(errs, enum("status", statuses, true))
	case TypePriorityChanged:
		errs = append(errs, enum("priority", prioNames, true))
	case TypeTagsChanged:
		errs = append(errs, checkTags(m, true), enum("ticket_type", ticketKinds, true))
	case TypeSurveyAnswered:
		r, _ := m["rating"].(float64)
		if kind != KindCustomer || r < 1 || r > 5 || r != math.Trunc(r) {
			errs = append(errs, fmt.Errorf("survey by %s with rating %v", kind, m["rating"]))
		}
		if s, present := m["solved"]; present {
			if _, ok := s.(bool); !ok {
				errs = append(errs, fmt.Errorf("solved %v", s))
			}
		}
	}
	return errors.Join(errs...)
}

func checkTags(m map[string]any, required bool) error {
	tags, _ := m["tags"].([]any)
	if required && len(tags) == 0 {
		return fmt.Errorf("no tags")
	}
	for _, tag := range tags {
		if s, _ := tag.(string); s == "" || s != strings.ToLower(s) {
			return fmt.Errorf("tag %v", tag)
		}
	}
	return nil
}

func TestEveryEventIsValidWireFormat(t *testing.T) {
	org, evs := defaultRun()
	agents := map[string]bool{}
	for _, e := range org.Engineers {
		agents[e.GenericID] = true
	}
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(jsonl(t, evs)))
	sc.Buffer(nil, 1<<20)
	n, bad := 0, 0
	for sc.Scan() {
		line := sc.Bytes()
		id, err := checkWire(line, agents)
		if err != nil {
			if bad++; bad <= 10 {
				t.Errorf("line %d: %v\n%s", n+1, err, line)
			}
		}
		if ids[id] {
			t.Errorf("event id %s twice", id)
		}
		ids[id] = true
		n++
	}
	if n != len(evs) {
		t.Errorf("%d lines for %d events", n, len(evs))
	}
	if bad > 0 {
		t.Errorf("%d invalid events", bad)
	}
}

func TestCheckWireRejectsBrokenEvents(t *testing.T) {
	agents := map[string]bool{"ag-1001": true}
	ok := `{"event_id":"evt-202608-00001-02","ticket_id":"T-202608-00001","type":"replied","occurred_at":"2026-08-03T01:02:03Z","actor":{"id":"ag-1001","kind":"agent"},"public":true}`
	if _, err := checkWire([]byte(ok), agents); err != nil {
		t.Fatalf("valid event rejected: %v", err)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"reply without public", `,"public":true`, ``},
		{"time with offset", `03Z"`, `03+08:00"`},
		{"unknown type", `"replied"`, `"commented"`},
		{"unknown agent", `ag-1001`, `ag-9999`},
		{"unknown actor kind", `"agent"`, `"bot"`},
		{"stray field", `"public":true`, `"public":true,"rating":5`},
		{"bad ticket id", `T-202608-00001`, `T1`},
		{"not JSON", `{`, `[`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := checkWire([]byte(strings.Replace(ok, tc.old, tc.new, 1)), agents); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// facts is what a test needs to know about one ticket, read back from the
// events the way a consumer would.
type facts struct {
	created     time.Time
	priority    string
	complaint   bool
	noSurvey    bool
	assignee    string
	assigns     int
	autoReply   bool
	internalFst bool // a public:false reply came before the first public agent reply
	firstAt     time.Time
	firstBy     string
	resolutions int
	reopened    bool
	resolvedAt  time.Time
	resolver    string
	workAtRes   time.Duration // created → final resolution without pending
	pendingFrom time.Time
	pending     time.Duration
	status      string
	endStatus   string // status at the end of the last month
	ratings     []int
	solved      []bool
	collab      bool
	closed      bool
}

func analyse(cfg Config, org Org, evs []Event) map[string]*facts {
	cfg = cfg.withDefaults()
	lastEnd := cfg.Start.Add(cfg.Months - 1).End(cfg.TimeZone)
	ts := map[string]*facts{}
	for _, e := range evs {
		f := ts[e.TicketID]
		if f == nil {
			f = &facts{}
			ts[e.TicketID] = f
		}
		switch e.Type {
		case TypeCreated:
			f.created, f.priority, f.status = e.OccurredAt, e.Priority, e.Status
			f.complaint = e.TicketType == TicketComplaint || slices.Contains(e.Tags, TagComplaint)
			f.noSurvey = slices.Contains(e.Tags, TagNoSurvey)
		case TypeAssigned:
			if f.assignee != "" && f.assignee != e.AssigneeID {
				f.assigns++
			}
			f.assignee = e.AssigneeID
		case TypeReplied:
			if e.Actor.Kind == KindSystem {
				f.autoReply = true
			}
			if e.Actor.Kind == KindAgent && f.firstAt.IsZero() {
				if *e.Public {
					f.firstAt, f.firstBy = e.OccurredAt, e.Actor.ID
				} else {
					f.internalFst = true
				}
			}
		case TypeNote:
			if e.Actor.ID != f.assignee {
				f.collab = true
			}
		case TypeTagsChanged:
			f.complaint = f.complaint || e.TicketType == TicketComplaint || slices.Contains(e.Tags, TagComplaint)
		case TypeStatusChanged:
			if f.status == StatusPending && e.Status != StatusPending {
				f.pending += e.OccurredAt.Sub(f.pendingFrom)
			}
			if e.Status == StatusPending {
				f.pendingFrom = e.OccurredAt
			}
			if (f.status == StatusResolved || f.status == StatusClosed) && e.Status == StatusOpen {
				f.reopened = true
			}
			if e.Status == StatusResolved {
				f.resolutions++
				f.resolvedAt, f.resolver = e.OccurredAt, f.assignee
				f.workAtRes = e.OccurredAt.Sub(f.created) - f.pending
			}
			if e.Status == StatusClosed {
				f.closed = true
			}
			f.status = e.Status
		case TypeSurveyAnswered:
			f.ratings = append(f.ratings, e.Rating)
			if e.Solved != nil {
				f.solved = append(f.solved, *e.Solved)
			}
		}
		if e.OccurredAt.Before(lastEnd) {
			f.endStatus = f.status
		}
	}
	return ts
}

// shares are the measured proportions the generator promises.
type shares struct {
	tickets, resolved                                    int
	complaints, reopens, surveys, noSurvey, reassigned   float64
	urgent, high, normal, low                            float64
	business, autoReply, collab, internal, unresolvedEnd float64
	overdueEnd                                           int
}

func measure(cfg Config, org Org, evs []Event) shares {
	cfg = cfg.withDefaults()
	last := cfg.Start.Add(cfg.Months - 1)
	lastEnd := last.End(cfg.TimeZone)
	sla := map[string]time.Duration{PriorityUrgent: 4 * time.Hour, PriorityHigh: 8 * time.Hour,
		PriorityNormal: 24 * time.Hour, PriorityLow: 72 * time.Hour}
	var s shares
	var lastMonth int
	n := map[string]int{}
	for _, f := range analyse(cfg, org, evs) {
		s.tickets++
		n[f.priority]++
		l := f.created.In(cfg.TimeZone)
		if wd := l.Weekday(); wd != time.Saturday && wd != time.Sunday && l.Hour() >= 9 && l.Hour() < 18 {
			s.business++
		}
		if f.complaint {
			s.complaints++
		}
		if f.noSurvey {
			s.noSurvey++
		}
		if f.assigns > 0 {
			s.reassigned++
		}
		if f.autoReply {
			s.autoReply++
		}
		if f.collab {
			s.collab++
		}
		if f.internalFst {
			s.internal++
		}
		if f.resolutions > 0 {
			s.resolved++
			if f.reopened {
				s.reopens++
			}
			if len(f.ratings) > 0 {
				s.surveys++
			}
		}
		if last.Contains(f.created, cfg.TimeZone) {
			lastMonth++
			if f.endStatus != StatusResolved && f.endStatus != StatusClosed {
				s.unresolvedEnd++
				if lastEnd.Sub(f.created)-f.pending > sla[f.priority] {
					s.overdueEnd++
				}
			}
		}
	}
	T := float64(s.tickets)
	s.complaints /= T
	s.noSurvey /= T
	s.reassigned /= T
	s.autoReply /= T
	s.collab /= T
	s.internal /= T
	s.business /= T
	s.reopens /= float64(s.resolved)
	s.surveys /= float64(s.resolved)
	s.unresolvedEnd /= float64(lastMonth)
	s.urgent, s.high, s.normal, s.low = float64(n[PriorityUrgent])/T, float64(n[PriorityHigh])/T,
		float64(n[PriorityNormal])/T, float64(n[PriorityLow])/T
	return s
}

func TestSharesAreRealistic(t *testing.T) {
	org, evs := defaultRun()
	s := measure(DefaultConfig(), org, evs)
	t.Logf("measured shares: %+v", s)
	for _, tc := range []struct {
		name     string
		got      float64
		lo, hi   float64
		describe string
	}{
		{"complaints about 3 %", s.complaints, 0.022, 0.04, "complaint tickets / tickets"},
		{"reopens about 5 %", s.reopens, 0.04, 0.065, "reopened / resolved tickets"},
		{"surveys about 30 % of resolved", s.surveys, 0.27, 0.33, "surveyed / resolved tickets"},
		{"a few no-survey tickets", s.noSurvey, 0.01, 0.03, "no-survey / tickets"},
		{"about 8 % reassigned", s.reassigned, 0.06, 0.10, "reassigned / tickets"},
		{"urgent about 5 %", s.urgent, 0.04, 0.065, "share of tickets"},
		{"high about 20 %", s.high, 0.18, 0.23, "share of tickets"},
		{"normal about 55 %", s.normal, 0.52, 0.58, "share of tickets"},
		{"low about 20 %", s.low, 0.18, 0.22, "share of tickets"},
		{"mostly weekday business hours", s.business, 0.65, 0.80, "created Mon–Fri 09–18 local"},
		{"system auto-replies on a third", s.autoReply, 0.3, 0.4, "tickets with a system reply"},
		{"colleagues leave notes", s.collab, 0.03, 0.09, "tickets with a colleague's note"},
		{"internal replies before the first public one", s.internal, 0.015, 0.045, "tickets"},
		{"about 2 % unresolved at the end", s.unresolvedEnd, 0.01, 0.04, "last month's tickets open at its end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got < tc.lo || tc.got > tc.hi {
				t.Errorf("%s = %.4f, want %.3f..%.3f", tc.describe, tc.got, tc.lo, tc.hi)
			}
		})
	}
	if s.overdueEnd == 0 {
		t.Error("no unresolved ticket is past its SLA at the end of the last month")
	}
}

func TestNoSurveyTicketsAreNeverSurveyed(t *testing.T) {
	org, evs := defaultRun()
	for id, f := range analyse(DefaultConfig(), org, evs) {
		if f.noSurvey && len(f.ratings) > 0 {
			t.Errorf("%s is tagged no-survey but got %d survey answers", id, len(f.ratings))
		}
		if len(f.ratings) > 1 {
			t.Errorf("%s got %d survey answers", id, len(f.ratings))
		}
	}
}

func TestNewHireJoinsInTheFirstMonth(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"default", DefaultConfig()},
		{"other seed and zone", Config{Seed: 99, Months: 1, TicketsPerMonth: 2000, TimeZone: time.UTC}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg.withDefaults()
			org, evs := Generate(tc.cfg)
			var hire *Engineer
			for i, e := range org.Engineers {
				if e.Profile == ProfileNewHire {
					hire = &org.Engineers[i]
				} else if !e.HireDate.Before(cfg.Start.Add(-12).Start(cfg.TimeZone)) {
					t.Errorf("%s (%s) hired %v, within a year of the first month", e.ID, e.Profile, e.HireDate)
				}
			}
			if hire == nil {
				t.Fatal("no new hire")
			}
			if !cfg.Start.Contains(hire.HireDate, cfg.TimeZone) || hire.HireDate.Day() == 1 {
				t.Errorf("new hire %s hired %v, want inside %v", hire.ID, hire.HireDate, cfg.Start)
			}
			worked := 0
			for _, e := range evs {
				if e.Actor.ID == hire.GenericID || e.AssigneeID == hire.GenericID {
					worked++
					if e.OccurredAt.Before(hire.HireDate) {
						t.Fatalf("%s: new hire acts at %v before hire date %v", e.EventID, e.OccurredAt, hire.HireDate)
					}
				}
			}
			if worked == 0 {
				t.Error("the new hire never works a ticket")
			}
		})
	}
}

// profileStats are measurements of the metrics that decide a score,
// credited and attributed to months as DESIGN §3 says: first response to
// the replier in the month of creation, the rest to the assignee at the
// final resolution in the month of that resolution.
type profileStats struct {
	firstN                  int
	firstHours, within1h    float64
	ratingN                 int
	ratingSum, satisfied    float64
	handled, slaMet, reopen float64
	complaints              float64
}

func (p *profileStats) add(o *profileStats) {
	p.firstN += o.firstN
	p.firstHours += o.firstHours
	p.within1h += o.within1h
	p.ratingN += o.ratingN
	p.ratingSum += o.ratingSum
	p.satisfied += o.satisfied
	p.handled += o.handled
	p.slaMet += o.slaMet
	p.reopen += o.reopen
	p.complaints += o.complaints
}

type engineerMonth struct {
	agent string
	month month.Month
}

func perEngineerMonth(cfg Config, org Org, evs []Event) map[engineerMonth]*profileStats {
	cfg = cfg.withDefaults()
	sla := map[string]time.Duration{PriorityUrgent: 4 * time.Hour, PriorityHigh: 8 * time.Hour,
		PriorityNormal: 24 * time.Hour, PriorityLow: 72 * time.Hour}
	out := map[engineerMonth]*profileStats{}
	get := func(id string, at time.Time) *profileStats {
		k := engineerMonth{id, month.Of(at, cfg.TimeZone)}
		if out[k] == nil {
			out[k] = &profileStats{}
		}
		return out[k]
	}
	for _, f := range analyse(cfg, org, evs) {
		if !f.firstAt.IsZero() {
			p := get(f.firstBy, f.created)
			h := f.firstAt.Sub(f.created).Hours()
			p.firstN++
			p.firstHours += h
			if h <= 1 {
				p.within1h++
			}
		}
		if f.resolutions == 0 {
			continue
		}
		p := get(f.resolver, f.resolvedAt)
		p.handled++
		if f.workAtRes <= sla[f.priority] {
			p.slaMet++
		}
		if f.reopened {
			p.reopen++
		}
		if f.complaint {
			p.complaints++
		}
		for _, r := range f.ratings {
			p.ratingN++
			p.ratingSum += float64(r)
			if r >= 4 {
				p.satisfied++
			}
		}
	}
	return out
}

func byProfile(cfg Config, org Org, evs []Event) map[string]*profileStats {
	prof := map[string]string{}
	for _, e := range org.Engineers {
		prof[e.GenericID] = e.Profile
	}
	out := map[string]*profileStats{}
	for k, s := range perEngineerMonth(cfg, org, evs) {
		if out[prof[k.agent]] == nil {
			out[prof[k.agent]] = &profileStats{}
		}
		out[prof[k.agent]].add(s)
	}
	return out
}

func TestWeakEngineersDoWorseThanStrongOnes(t *testing.T) {
	org, evs := defaultRun()
	ps := byProfile(DefaultConfig(), org, evs)
	for _, name := range []string{ProfileStrong, ProfileAverage, ProfileNewHire, ProfileWeak} {
		p := ps[name]
		t.Logf("%-8s first reply mean %.2f h, within 1 h %.2f | CSAT %.2f (n=%d), satisfied %.2f | SLA met %.3f, reopened %.3f, complaints %.3f (n=%.0f)",
			name, p.firstHours/float64(p.firstN), p.within1h/float64(p.firstN), p.ratingSum/float64(p.ratingN), p.ratingN,
			p.satisfied/float64(p.ratingN), p.slaMet/p.handled, p.reopen/p.handled, p.complaints/p.handled, p.handled)
	}
	strong, avg, weak := ps[ProfileStrong], ps[ProfileAverage], ps[ProfileWeak]
	for _, tc := range []struct {
		name              string
		strong, avg, weak float64
		higherIsBetter    bool
	}{
		{"first reply is slower", mean(strong.firstHours, strong.firstN), mean(avg.firstHours, avg.firstN), mean(weak.firstHours, weak.firstN), false},
		{"fewer first replies within an hour", strong.within1h / float64(strong.firstN), avg.within1h / float64(avg.firstN), weak.within1h / float64(weak.firstN), true},
		{"ratings are lower", mean(strong.ratingSum, strong.ratingN), mean(avg.ratingSum, avg.ratingN), mean(weak.ratingSum, weak.ratingN), true},
		{"SLA is missed more often", strong.slaMet / strong.handled, avg.slaMet / avg.handled, weak.slaMet / weak.handled, true},
		{"more tickets are reopened", strong.reopen / strong.handled, avg.reopen / avg.handled, weak.reopen / weak.handled, false},
		{"more complaints", strong.complaints / strong.handled, avg.complaints / avg.handled, weak.complaints / weak.handled, false},
	} {
		t.Run("weak: "+tc.name, func(t *testing.T) {
			ordered := tc.strong < tc.avg && tc.avg < tc.weak
			if tc.higherIsBetter {
				ordered = tc.strong > tc.avg && tc.avg > tc.weak
			}
			if !ordered {
				t.Errorf("strong %.3f, average %.3f, weak %.3f: not ordered strong → weak", tc.strong, tc.avg, tc.weak)
			}
		})
	}
}

func mean(sum float64, n int) float64 { return sum / float64(n) }

// Weak engineers must fall below the pass mark month after month, so that
// warnings and position adjustments fire: in every month each of them is at
// or past the policy's floor on first replies within an hour and satisfied
// ratings, and well short of the SLA target.
func TestWeakEngineersMissEveryMonth(t *testing.T) {
	cfg := DefaultConfig()
	org, evs := defaultRun()
	stats := perEngineerMonth(cfg, org, evs)
	for _, e := range org.Engineers {
		if e.Profile != ProfileWeak {
			continue
		}
		for i := range cfg.Months {
			m := cfg.Start.Add(i)
			t.Run(e.ID+" "+m.String(), func(t *testing.T) {
				s := stats[engineerMonth{e.GenericID, m}]
				if s == nil || s.handled < 50 || s.ratingN < 10 {
					t.Fatalf("too little work to score: %+v", s)
				}
				if r := s.within1h / float64(s.firstN); r > 0.5 {
					t.Errorf("first replies within 1 h = %.2f, want ≤ 0.50", r)
				}
				if r := s.satisfied / float64(s.ratingN); r > 0.6 {
					t.Errorf("satisfied ratings = %.2f, want ≤ 0.60", r)
				}
				if r := s.slaMet / s.handled; r > 0.85 {
					t.Errorf("SLA met = %.2f, want ≤ 0.85", r)
				}
			})
		}
	}
}

func TestEngineersCSV(t *testing.T) {
	org, evs := defaultRun()
	rows, err := csv.NewReader(bytes.NewReader(engineersCSV(t, org))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "name", "email", "team", "manager_email", "hire_date", "base_bonus",
		"zendesk_id", "freshdesk_id", "jira_account_id", "generic_id", "locale"}
	if diff := cmp.Diff(want, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if len(rows) != len(org.Engineers)+1 {
		t.Fatalf("%d rows for %d engineers", len(rows)-1, len(org.Engineers))
	}
	acting := map[string]bool{}
	for _, e := range evs {
		if e.Actor.Kind == KindAgent {
			acting[e.Actor.ID] = true
		}
	}
	unique := map[string]map[string]bool{}
	for _, row := range rows[1:] {
		rec := map[string]string{}
		for i, h := range want {
			rec[h] = row[i]
		}
		if _, err := time.Parse("2006-01-02", rec["hire_date"]); err != nil {
			t.Errorf("%s: hire_date %q", rec["id"], rec["hire_date"])
		}
		if !acting[rec["generic_id"]] {
			t.Errorf("%s: generic_id %q never acts in the events", rec["id"], rec["generic_id"])
		}
		for _, col := range []string{"id", "email", "generic_id", "name"} {
			if unique[col] == nil {
				unique[col] = map[string]bool{}
			}
			if unique[col][rec[col]] || rec[col] == "" {
				t.Errorf("%s %q empty or not unique", col, rec[col])
			}
			unique[col][rec[col]] = true
		}
		if rec["base_bonus"] == "" || rec["team"] == "" || rec["locale"] == "" || !strings.Contains(rec["manager_email"], "@") {
			t.Errorf("incomplete row %v", row)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero config takes the defaults", Config{}, ""},
		{"default config", DefaultConfig(), ""},
		{"13 months", Config{Months: 13}, "months 13"},
		{"negative months", Config{Months: -1}, "months -1"},
		{"two teams", Config{Teams: 2}, "teams 2"},
		{"19 engineers", Config{Engineers: 19}, "engineers 19"},
		{"too few engineers per team", Config{Teams: 8, Engineers: 20}, "per team"},
		{"negative tickets", Config{TicketsPerMonth: -5}, "tickets per month -5"},
		{"month 13", Config{Start: month.Month{Year: 2026, Month: 13}}, "start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want error naming %q", err, tc.wantErr)
			}
			defer func() {
				if recover() == nil {
					t.Error("Generate did not panic on an invalid config")
				}
			}()
			Generate(tc.cfg)
		})
	}
}

// failingWriter fails once more than limit bytes were written.
type failingWriter struct{ limit int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.limit -= len(p); w.limit < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWritersReportErrors(t *testing.T) {
	org, evs := Generate(small(1))
	for _, tc := range []struct {
		name  string
		write func(w *failingWriter) error
	}{
		{"events, at the first flush", func(w *failingWriter) error { return WriteJSONL(w, evs) }},
		{"events, at the end", func(w *failingWriter) error { return WriteJSONL(w, evs[:3]) }},
		{"engineers", func(w *failingWriter) error { return WriteEngineersCSV(w, org) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.write(&failingWriter{limit: 10}); err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("error = %v, want one wrapping the writer's", err)
			}
		})
	}
	bad := []Event{{EventID: "evt-x", OccurredAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if err := WriteJSONL(&bytes.Buffer{}, bad); err == nil || !strings.Contains(err.Error(), "evt-x") {
		t.Errorf("unencodable event: error = %v, want one naming the event", err)
	}
}

func TestArrivalsFollowTheTimeZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatalf("zone database: %v", err)
	}
	for _, tc := range []struct {
		name string
		loc  *time.Location
	}{
		{"UTC", time.UTC},
		{"New York, across the DST change", ny},
		{"fixed +05:30", time.FixedZone("IST", 5*3600+1800)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Seed: 2, Start: month.Month{Year: 2026, Month: time.October}, Months: 2, TicketsPerMonth: 3000, TimeZone: tc.loc}
			org, evs := Generate(cfg)
			s := measure(cfg, org, evs)
			if s.business < 0.65 {
				t.Errorf("%.3f of tickets created in local business hours, want most", s.business)
			}
		})
	}
}

func TestOffHours(t *testing.T) {
	for _, tc := range []struct {
		at   string
		want bool
	}{
		{"2026-08-03T10:00:00Z", false}, // Monday
		{"2026-08-03T07:59:00Z", true},
		{"2026-08-03T19:00:00Z", true},
		{"2026-08-08T12:00:00Z", true}, // Saturday
	} {
		t.Run(tc.at, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.at)
			if got := offHours(at); got != tc.want {
				t.Errorf("offHours = %v, want %v", got, tc.want)
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, tc := range []struct {
		name    string
		tickets int
	}{
		{"1 month × 5 000 tickets", 5000},
		{"1 month × 100 000 tickets", 100000},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Months, cfg.TicketsPerMonth = 1, tc.tickets
			var n int
			for b.Loop() {
				_, evs := Generate(cfg)
				n = len(evs)
			}
			b.ReportMetric(float64(n), "events")
		})
	}
}

func BenchmarkWriteJSONL(b *testing.B) {
	_, evs := Generate(small(1))
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteJSONL(&buf, evs); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
