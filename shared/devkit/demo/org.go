package demo

import (
	"fmt"
	"strings"
	"time"
)

// profile is how an engineer of one kind works. Durations are medians of
// log-normal distributions.
type profile struct {
	name       string
	weight     float64    // share of the workload relative to average
	firstReply float64    // median minutes to the first public reply
	replySigma float64    // log-normal sigma of the first reply
	handle     float64    // multiplier on the priority's median working time
	reopen     float64    // chance a resolved ticket is reopened
	escalate   float64    // chance the customer turns the ticket into a complaint
	stuck      float64    // chance a ticket of the last month is never resolved
	ratings    [5]float64 // cumulative chance of a rating of 1..5
	solved     float64    // chance the survey says "problem solved"
}

// profiles, tuned so that with the default policy strong engineers score A,
// average ones mostly B (above the pass mark), weak ones well below it.
var (
	strongProfile = profile{
		name: ProfileStrong, weight: 1.25, firstReply: 15, replySigma: 0.7, handle: 0.6,
		reopen: 0.02, escalate: 0.003, stuck: 0.005,
		ratings: cumulative(0, 0.01, 0.03, 0.18, 0.78), solved: 0.97,
	}
	averageProfile = profile{
		name: ProfileAverage, weight: 1, firstReply: 40, replySigma: 0.7, handle: 1,
		reopen: 0.045, escalate: 0.01, stuck: 0.01,
		ratings: cumulative(0.01, 0.02, 0.05, 0.30, 0.62), solved: 0.95,
	}
	weakProfile = profile{
		name: ProfileWeak, weight: 0.85, firstReply: 150, replySigma: 0.9, handle: 2.2,
		reopen: 0.12, escalate: 0.10, stuck: 0.05,
		ratings: cumulative(0.12, 0.18, 0.25, 0.25, 0.20), solved: 0.72,
	}
	newHireProfile = profile{
		name: ProfileNewHire, weight: 0.6, firstReply: 55, replySigma: 0.8, handle: 1.3,
		reopen: 0.07, escalate: 0.02, stuck: 0.01,
		ratings: cumulative(0.02, 0.05, 0.10, 0.33, 0.50), solved: 0.9,
	}
)

// cumulative turns the chances of ratings 1..5 into a cumulative table.
func cumulative(p ...float64) [5]float64 {
	var c [5]float64
	s := 0.0
	for i, x := range p {
		s += x
		c[i] = s
	}
	c[4] = 1
	return c
}

var teamNames = []string{"Hardware", "Software", "Field Service", "Billing", "Enterprise", "Network", "Mobile", "Cloud"}

var (
	zhSurnames = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
		"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo"}
	zhGiven = []string{"Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jie", "Tao", "Xin", "Hui",
		"Qiang", "Ying", "Jun", "Lan", "Hao", "Yu", "Ting", "Bo", "Chao", "Na",
		"Peng", "Rui", "Shan", "Kai", "Lu", "Mei", "Ning", "Yi", "Zhen", "Dan"}
	enSurnames = []string{"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark",
		"Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
		"Carter", "Turner"}
	enGiven = []string{"Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", "Grace", "David",
		"Chloe", "Thomas", "Anna", "Lucas", "Hannah", "Ryan", "Laura", "Ethan", "Megan", "Adam",
		"Rachel", "Noah"}
)

// namer hands out unique person names and e-mail addresses.
type namer struct {
	used map[string]bool
}

// next returns a name and an e-mail address that no earlier call returned.
func (n *namer) next(g *generator, locale string) (name, email string) {
	given, sur := zhGiven, zhSurnames
	if !strings.HasPrefix(locale, "zh") {
		given, sur = enGiven, enSurnames
	}
	for try := 0; ; try++ {
		gv, sn := given[g.rng.IntN(len(given))], sur[g.rng.IntN(len(sur))]
		local := strings.ToLower(gv + "." + sn)
		if try >= 20 {
			// Past a few hundred people the lists run out of pairs.
			local = fmt.Sprintf("%s%d", local, try)
		}
		if !n.used[local] {
			n.used[local] = true
			return gv + " " + sn, local + "@example.com"
		}
	}
}

// buildOrg creates the teams, their managers and the engineers.
func (g *generator) buildOrg() {
	cfg := g.cfg
	loc := cfg.TimeZone
	nm := &namer{used: map[string]bool{}}

	teams := make([]string, cfg.Teams)
	managers := make([]string, cfg.Teams)
	for t := range teams {
		if t < len(teamNames) {
			teams[t] = teamNames[t]
		} else {
			teams[t] = fmt.Sprintf("Team %d", t+1)
		}
		_, managers[t] = nm.next(g, "zh-CN")
	}

	n := cfg.Engineers
	g.members = make([][]int, cfg.Teams)
	for i := range n {
		g.members[i%cfg.Teams] = append(g.members[i%cfg.Teams], i)
	}

	// Spread the special profiles over the teams: weak ones from team 0 on,
	// the new hire after them, strong ones after that, each on a random
	// member not yet given a profile.
	profs := make([]*profile, n)
	nWeak := 2
	if n >= 24 {
		nWeak = max(3, n/10)
	}
	nStrong := max(3, n/6)
	pick := func(team int, p *profile) {
		free := make([]int, 0, len(g.members[team]))
		for _, i := range g.members[team] {
			if profs[i] == nil {
				free = append(free, i)
			}
		}
		if len(free) == 0 {
			return
		}
		profs[free[g.rng.IntN(len(free))]] = p
	}
	slot := 0
	for range nWeak {
		pick(slot%cfg.Teams, &weakProfile)
		slot++
	}
	pick(slot%cfg.Teams, &newHireProfile)
	slot++
	for range nStrong {
		pick(slot%cfg.Teams, &strongProfile)
		slot++
	}

	first := cfg.Start.Start(loc)
	g.engs = make([]engineer, n)
	g.org = Org{Teams: teams, Engineers: make([]Engineer, n)}
	for i := range n {
		p := profs[i]
		if p == nil {
			p = &averageProfile
		}
		team := i % cfg.Teams
		locale := "zh-CN"
		switch r := g.rng.Float64(); {
		case r < 0.2:
			locale = "en-US"
		case r < 0.3:
			locale = "en-GB"
		}
		name, email := nm.next(g, locale)
		if locale != "zh-CN" {
			locale = "en" // the mail languages are zh-CN and en
		}
		var hire time.Time
		if p == &newHireProfile {
			hire = time.Date(cfg.Start.Year, cfg.Start.Month, 6+g.rng.IntN(7), 0, 0, 0, 0, loc)
		} else {
			// One to eight years before the first month: nobody but the new
			// hire is in the post-hire exemption.
			d := first.AddDate(-1, 0, -g.rng.IntN(7*365))
			hire = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		}
		bonus := float64(3000 + 100*g.rng.IntN(31))
		if p == &strongProfile {
			bonus += 1000
		}
		e := Engineer{
			ID:           fmt.Sprintf("E%03d", i+1),
			Name:         name,
			Email:        email,
			Team:         teams[team],
			ManagerEmail: managers[team],
			HireDate:     hire,
			BaseBonus:    bonus,
			Locale:       locale,
			GenericID:    fmt.Sprintf("ag-%04d", 1001+i),
			Profile:      p.name,
		}
		if p != &newHireProfile {
			e.ZendeskID = fmt.Sprintf("%d", 381000000000+int64(i+1)*7919)
			e.FreshdeskID = fmt.Sprintf("%d", 43000000000+int64(i+1)*104729)
			e.JiraID = fmt.Sprintf("712020:%08x-%04x-%04x-%04x-%012x", g.rng.Uint32(), g.rng.IntN(1<<16),
				0x4000|g.rng.IntN(1<<12), 0x8000|g.rng.IntN(1<<14), g.rng.Uint64()&(1<<48-1))
		}
		g.org.Engineers[i] = e
		// The new hire takes tickets from the day after the hire date
		// (a day of onboarding); everyone else from the start.
		active := first.Unix()
		if p == &newHireProfile {
			active = hire.AddDate(0, 0, 1).Unix()
		}
		g.engs[i] = engineer{agentID: e.GenericID, team: team, prof: p, active: active}
	}

	g.cum = make([]float64, n)
	total := 0.0
	for i, e := range g.engs {
		total += e.prof.weight
		g.cum[i] = total
	}
}

// buildCustomers creates the pool of requesters; a few of them open many
// tickets, most only one or two.
func (g *generator) buildCustomers() {
	n := max(100, g.cfg.TicketsPerMonth*g.cfg.Months/3)
	g.custs = make([]Customer, n)
	for i := range g.custs {
		gv, sn := enGiven[g.rng.IntN(len(enGiven))], enSurnames[g.rng.IntN(len(enSurnames))]
		if g.rng.IntN(2) == 0 {
			gv, sn = zhGiven[g.rng.IntN(len(zhGiven))], zhSurnames[g.rng.IntN(len(zhSurnames))]
		}
		id := fmt.Sprintf("c-%05d", i+1)
		g.custs[i] = Customer{
			ID:    id,
			Name:  gv + " " + sn,
			Email: fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(gv), strings.ToLower(sn), i+1),
		}
	}
}
