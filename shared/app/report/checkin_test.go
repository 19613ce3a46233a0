package report_test

import (
	"strings"
	"testing"
	"time"

	"scorecard/shared/app/report"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/devkit/browsertest"
)

func TestNeedsSaysWhatTheRestOfTheMonthNeeds(t *testing.T) {
	tests := []struct {
		name   string
		o      checkin.Outlook
		en, zh string
	}{
		{"out of reach", checkin.Outlook{Metric: metric.ResolutionSLARate, Target: 0.95, State: checkin.Cannot, Best: 0.91},
			"cannot reach 95.0 % this month; the most it can reach is 91.0 %", "本月已无法达到 95.0 %；最多可达 91.0 %"},
		{"a whole target out of reach", checkin.Outlook{Metric: metric.FirstResponse1hRate, Target: 1, State: checkin.Cannot, Best: 0.975},
			"cannot reach 100.0 % this month; the most it can reach is 97.5 %", "本月已无法达到 100.0 %；最多可达 97.5 %"},
		{"some of the rest", checkin.Outlook{Metric: metric.ResolutionSLARate, State: checkin.Needs, Need: 3, Rest: 9},
			"3 of the next 9 tickets resolved within their SLA", "接下来 9 张工单中有 3 张工单在 SLA 时限内解决"},
		{"all of the rest", checkin.Outlook{Metric: metric.FirstResponse1hRate, State: checkin.Needs, Need: 12, Rest: 12},
			"all of the next 12 tickets first answered within the hour", "接下来 12 张工单须全部在 1 小时内首次回复"},
		{"survey answers", checkin.Outlook{Metric: metric.CSATSatisfiedRate, State: checkin.Needs, Need: 4, Rest: 6},
			"4 of the next 6 survey answers rating 4 or 5", "接下来 6 份评价中有 4 份评价评分为 4 或 5"},
		{"complaints allowed", checkin.Outlook{Metric: metric.ComplaintRate, Lower: true, State: checkin.Needs, Need: 1, Rest: 20},
			"no more than 1 complaints in the next 20 tickets", "接下来 20 张工单中投诉不超过 1 张"},
		{"no complaint allowed", checkin.Outlook{Metric: metric.ComplaintRate, Lower: true, State: checkin.Needs, Need: 0, Rest: 20},
			"no complaints in the next 20 tickets", "接下来 20 张工单中不能再有投诉"},
		{"hours", checkin.Outlook{Metric: metric.AvgHandleHours, Lower: true, Mean: true, State: checkin.Needs, NeedMean: 18, Rest: 20},
			"an average of at most 18.0 h over the next 20 tickets", "接下来 20 张工单平均不超过 18.0 小时"},
		{"points as a rating", checkin.Outlook{Metric: metric.CSATScore, Mean: true, State: checkin.Needs, NeedMean: 95, Rest: 20},
			"an average rating of at least 4.8 of 5 on the next 20 survey answers", "接下来 20 份评价平均评分至少 4.8 分（满分 5 分）"},
		{"secured", checkin.Outlook{Metric: metric.CompletionRate, State: checkin.Secured},
			"at target, whatever the rest of the month brings", "本月已稳定达标"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.Needs(tc.o, directory.LocaleEn); got != tc.en {
				t.Errorf("en: %q\nwant %q", got, tc.en)
			}
			if got := report.Needs(tc.o, directory.LocaleZhCN); got != tc.zh {
				t.Errorf("zh-CN: %q\nwant %q", got, tc.zh)
			}
		})
	}
}

// sampleCheckIn is a team on 20 October at 09:00: Bob heading for a
// position adjustment, Dan below the pass mark for the first time, Ann
// doing well with a ticket about to breach, Cat with two tickets, Eve on
// leave.
func sampleCheckIn(p *policy.Policy) (checkin.CheckIn, map[string]directory.Engineer) {
	loc := p.Location()
	asOf := time.Date(2026, 10, 20, 9, 0, 0, 0, loc)
	f := func(x float64) *float64 { return &x }
	yes, no := true, false
	ci := checkin.CheckIn{Month: checkin.Said{}.Month, AsOf: asOf, Gone: 0.6, PolicyVersion: p.Version, PassMark: 80, MinTickets: 5}
	ci.Month.Year, ci.Month.Month = 2026, time.October
	ci.Engineers = []checkin.Engineer{
		{EngineerID: "E1", Team: "North", Tickets: 31, Composite: f(92.4), Grade: "A", MeetsStandard: &yes, Mail: true,
			Outlooks: []checkin.Outlook{{Metric: metric.CompletionRate, Value: 1, Target: 0.98, State: checkin.Needs, Need: 20, Rest: 20, Gain: 0}},
			AtRisk:   []checkin.AtRisk{{Source: "zendesk", TicketID: "4821", Priority: event.High, Deadline: asOf.Add(3*time.Hour + 30*time.Minute), Left: 3*time.Hour + 30*time.Minute}}},
		{EngineerID: "E2", Team: "North", Tickets: 24, Composite: f(68.2), Grade: "D", MeetsStandard: &no, Below: true, Mail: true,
			Heading: consequence.PositionAdjustment, Streak: 3, StreakBefore: 2,
			Outlooks: []checkin.Outlook{
				{Metric: metric.FirstResponse1hRate, Value: 0.5, Num: 12, Den: 24, Target: 1, State: checkin.Cannot, Best: 0.7, Rest: 16, Gain: 13.33},
				{Metric: metric.ResolutionSLARate, Value: 0.625, Num: 15, Den: 24, Target: 0.95, State: checkin.Cannot, Best: 0.775, Rest: 16, Gain: 8.33},
				{Metric: metric.AvgFirstResponseHours, Value: 2.6, Target: 2, Lower: true, Mean: true, State: checkin.Needs, NeedMean: 1.1, Rest: 16, Gain: 1.3},
				{Metric: metric.ComplaintRate, Value: 0, Target: 0.05, Lower: true, State: checkin.Needs, Need: 2, Rest: 16, Gain: 0},
			},
			AtRisk: []checkin.AtRisk{
				{Source: "jira", TicketID: "10042", Priority: event.Urgent, Deadline: asOf.Add(time.Hour), Left: time.Hour},
				{Source: "zendesk", TicketID: "4830", Priority: event.Normal, Deadline: asOf.Add(150 * time.Minute), Left: 150 * time.Minute},
			}},
		{EngineerID: "E3", Team: "North", Tickets: 2, Composite: f(75), Quiet: checkin.QuietFewTickets},
		{EngineerID: "E4", Team: "North", Tickets: 28, Composite: f(78.9), Grade: "C", MeetsStandard: &no, Below: true, Mail: true,
			Outlooks: []checkin.Outlook{{Metric: metric.ResolutionSLARate, Value: 0.86, Num: 24, Den: 28, Target: 0.95, State: checkin.Needs, Need: 18, Rest: 19, Gain: 3.1}}},
		{EngineerID: "E5", Team: "North", Quiet: checkin.QuietOnLeave},
		{EngineerID: "E6", Team: "North", Tickets: 26, Composite: f(85.3), Grade: "B", MeetsStandard: &yes, Quiet: checkin.QuietOnTrack},
	}
	engs := map[string]directory.Engineer{}
	for i, n := range []string{"Ann Lee", "Bob Wang", "Cat Zhao", "Dan Wu", "Eve Sun", "Fay Liu"} {
		id := ci.Engineers[i].EngineerID
		engs[id] = directory.Engineer{ID: id, Name: n, Email: strings.ToLower(strings.Fields(n)[0]) + "@example.com", Team: "North", ManagerEmail: "lead@example.com"}
	}
	return ci, engs
}

func checkInPolicy(t *testing.T) *policy.Policy {
	p, err := policy.Parse([]byte("base: default\nversion: check-in-sample\nsources:\n  zendesk: {ticket_url: \"https://acme.zendesk.com/agent/tickets/{id}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckInMails(t *testing.T) {
	p := checkInPolicy(t)
	ci, engs := sampleCheckIn(p)
	bob := ci.Engineers[1]
	t.Run("Bob is told his three metrics by weight, and where the month heads", func(t *testing.T) {
		m, err := report.CheckInMail(ci, bob, engs["E2"], directory.LocaleEn, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"Your month so far — October 2026 (check-in 2026-10-20)",
			"60 % of the month has gone", "68.2 (grade D), below the pass mark of 80",
			"your 3rd month in a row below standard and brings a position adjustment",
			"cannot reach 100.0 % this month; the most it can reach is 70.0 %",
			"an average of at most 1.1 h over the next 16 tickets",
			"https://acme.zendesk.com/agent/tickets/4830", "jira 10042",
		} {
			if !strings.Contains(m.Subject+m.Text, want) {
				t.Errorf("missing %q in\n%s", want, m.Text)
			}
		}
		// Three metrics, not the complaint rate, which gains nothing.
		if strings.Contains(m.Text, "complaints") {
			t.Errorf("a fourth metric:\n%s", m.Text)
		}
		first, second := strings.Index(m.Text, "First response within 1 h"), strings.Index(m.Text, "Resolved within SLA")
		if first < 0 || second < 0 || first > second {
			t.Errorf("not in the order of their gain (%d, %d):\n%s", first, second, m.Text)
		}
	})
	t.Run("the lead's page: who needs attention first, what each was told", func(t *testing.T) {
		told := map[string]bool{"E1": true, "E2": true, "E4": true}
		m, err := report.CheckInTeamMail(report.CheckInTeam{Name: "North", Locale: directory.LocaleEn, CheckIn: ci, Engineers: ci.Engineers, Directory: engs, Policy: p, Told: told})
		if err != nil {
			t.Fatal(err)
		}
		order := []string{"Bob Wang", "Dan Wu", "Ann Lee", "Fay Liu", "Cat Zhao", "Eve Sun"}
		last := -1
		for _, n := range order {
			i := strings.Index(m.Text, "- "+n)
			if i < last {
				t.Errorf("%s out of order in\n%s", n, m.Text)
			}
			last = i
		}
		for _, want := range []string{
			"a position adjustment: 3rd month below standard", "below the pass mark (1st month)",
			"too few tickets so far (2)", "no tickets so far (on leave?)",
			"Doing well: Ann Lee (92.4), Fay Liu (85.3)",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("missing %q in\n%s", want, m.Text)
			}
		}
	})
}

// TestCheckInMailsRenderInChromium keeps screenshots of Bob's check-in and
// the lead's page in both languages (checkin-engineer-<locale>.png,
// checkin-lead-<locale>.png in $REPORT_ARTIFACTS).
func TestCheckInMailsRenderInChromium(t *testing.T) {
	dir := browsertest.ArtifactDir(t, "REPORT_ARTIFACTS")
	b := browsertest.Browser(t, 760, 900)
	p := checkInPolicy(t)
	ci, engs := sampleCheckIn(p)
	for _, locale := range []string{directory.LocaleEn, directory.LocaleZhCN} {
		eng, err := report.CheckInMail(ci, ci.Engineers[1], engs["E2"], locale, p)
		if err != nil {
			t.Fatal(err)
		}
		lead, err := report.CheckInTeamMail(report.CheckInTeam{Name: "North", Locale: locale, CheckIn: ci, Engineers: ci.Engineers, Directory: engs, Policy: p,
			Told: map[string]bool{"E1": true, "E2": true, "E4": true}})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("engineer/"+locale, func(t *testing.T) { shoot(t, b, dir, "checkin-engineer-"+locale+".png", eng) })
		t.Run("lead/"+locale, func(t *testing.T) { shoot(t, b, dir, "checkin-lead-"+locale+".png", lead) })
	}
}

// The team report's calibration section, against the hand computation of
// quality's TestCalibrationByHand: Lee 3 reviews, mean 90, 2 shared, ±30,
// bias +30 (softer), ±14 from the team mean; Sue mean 55, bias −30
// (harsher), ±21.
func TestTeamReportShowsCalibration(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	team := s.team
	team.Calibration = []quality.Alignment{
		{Reviewer: "lee@example.com", Reviews: 3, Mean: 90, Pairs: 2, DiffOther: 30, BiasOther: 30, DiffTeam: 14},
		{Reviewer: "sue@example.com", Reviews: 2, Mean: 55, Pairs: 2, DiffOther: 30, BiasOther: -30, DiffTeam: 21},
		{Reviewer: "wu@example.com", Reviews: 4, Mean: 80, DiffTeam: 6.5},
	}
	m, err := report.TeamReport(team)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Quality reviewers: calibration",
		"* Reviewer lee@example.com; Reviews 3; Mean 90.0; Shared 2; ± other 30.0; Bias +30.0; ± team mean 14.0; Grades softer",
		"* Reviewer sue@example.com; Reviews 2; Mean 55.0; Shared 2; ± other 30.0; Bias -30.0; ± team mean 21.0; Grades harsher",
		"* Reviewer wu@example.com; Reviews 4; Mean 80.0; Shared 0; ± other —; Bias —; ± team mean 6.5; Grades —",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("missing %q in\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "Quality reviewers: calibration") {
		t.Error("no calibration section in the HTML")
	}
}
