package policy

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/quality"
)

// validate checks every field and prepares the derived values. Each error
// names the field by its YAML path.
func (p *Policy) validate() error {
	if p.Version == "" {
		return fmt.Errorf("version: is required (results name the policy version they used)")
	}
	if p.TimeZone == "" {
		return fmt.Errorf("time_zone: is required")
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "Local" {
		return fmt.Errorf("time_zone: unknown time zone %q", p.TimeZone)
	}
	p.location = loc
	if p.Locale != "zh-CN" && p.Locale != "en" {
		return fmt.Errorf("locale: %q is not one of zh-CN, en", p.Locale)
	}
	if err := p.validateConsequences(); err != nil {
		return err
	}
	if p.MinSample.Tickets < 0 {
		return fmt.Errorf("min_sample.tickets: must not be negative")
	}
	if p.MinSample.Surveys < 0 {
		return fmt.Errorf("min_sample.surveys: must not be negative")
	}
	if p.MinSample.Reviews < 0 {
		return fmt.Errorf("min_sample.reviews: must not be negative")
	}
	if p.MonthMinTickets < 0 {
		return fmt.Errorf("month_min_tickets: must not be negative")
	}
	if err := p.validateDimensions(); err != nil {
		return err
	}
	for _, pr := range event.Priorities {
		d, ok := p.SLA.Targets[string(pr)]
		if !ok {
			return fmt.Errorf("sla.targets.%s: is required", pr)
		}
		if d <= 0 {
			return fmt.Errorf("sla.targets.%s: must be positive", pr)
		}
	}
	for k := range p.SLA.Targets {
		if _, ok := event.ParsePriority(k); !ok || k != string(mustPriority(k)) {
			return fmt.Errorf("sla.targets.%s: unknown priority (want urgent, high, normal, low)", k)
		}
	}
	if err := p.validateCalendars(); err != nil {
		return err
	}
	if len(p.Complaint.Tags) == 0 && len(p.Complaint.TicketTypes) == 0 {
		return fmt.Errorf("complaint: needs tags or ticket_types")
	}
	for name, d := range map[string]Duration{
		"windows.reopen": p.Windows.Reopen, "windows.complaint_resolution": p.Windows.ComplaintResolution,
		"windows.first_response": p.Windows.FirstResponse, "surveys.link_validity": p.Surveys.LinkValidity,
		"retention.raw_events": p.Retention.RawEvents,
	} {
		if d <= 0 {
			return fmt.Errorf("%s: must be positive", name)
		}
	}
	if p.Surveys.Delay < 0 {
		return fmt.Errorf("surveys.delay: must not be negative")
	}
	if p.Assessments.ReminderBefore < 0 {
		return fmt.Errorf("assessments.reminder_before: must not be negative")
	}
	if p.Assessments.CloseAfterMonthEnd < 0 || p.Assessments.CloseAfterMonthEnd.D() > 7*24*time.Hour {
		return fmt.Errorf("assessments.close_after_month_end: must be between 0 and 7d")
	}
	if p.Assessments.SelfWeight != 0 {
		return fmt.Errorf("assessments.self_weight: only 0 is supported (self scores are shown, not scored)")
	}
	if d := p.Disputes; d.WindowWorkingDays < 0 || d.WindowWorkingDays > 20 || d.SettleWorkingDays < 0 || d.SettleWorkingDays > 20 {
		return fmt.Errorf("disputes: window_working_days and settle_working_days must be between 0 and 20")
	}
	if d := p.Disputes; d.WindowWorkingDays > 0 && (d.PerEngineerMonth < 1 || d.PerEngineerMonth > 50) {
		return fmt.Errorf("disputes.per_engineer_month: must be between 1 and 50 when disputes are open (window_working_days > 0)")
	}
	if err := p.validateCheckIns(); err != nil {
		return err
	}
	if err := p.validateQuality(); err != nil {
		return err
	}
	if p.Surveys.QuietPeriod < 0 {
		return fmt.Errorf("surveys.quiet_period: must not be negative")
	}
	return p.validateSources()
}

// validateSources checks the per-source settings; which source names exist
// is the source registry's to check.
func (p *Policy) validateSources() error {
	for _, name := range slices.Sorted(maps.Keys(p.Sources)) {
		s := p.Sources[name]
		at := "sources." + name
		if name == "" || strings.ToLower(name) != name {
			return fmt.Errorf("%s: a source is named in lower case (zendesk, jira, freshdesk, generic)", at)
		}
		if u := s.TicketURL; u != "" {
			if !strings.Contains(u, "{id}") {
				return fmt.Errorf("%s.ticket_url: %q has no {id} for the ticket id", at, u)
			}
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				return fmt.Errorf("%s.ticket_url: %q is not an http(s) URL", at, u)
			}
		}
		s.location = p.location
		if s.TimeZone != "" {
			loc, err := time.LoadLocation(s.TimeZone)
			if err != nil || s.TimeZone == "Local" {
				return fmt.Errorf("%s.time_zone: unknown time zone %q", at, s.TimeZone)
			}
			s.location = loc
		}
		s.statuses = map[string]event.Status{}
		for _, k := range slices.Sorted(maps.Keys(s.Statuses)) {
			if strings.TrimSpace(k) == "" {
				return fmt.Errorf("%s.statuses: a status name is empty", at)
			}
			st, ok := event.ParseStatus(s.Statuses[k])
			if !ok {
				return fmt.Errorf("%s.statuses.%s: %q is not one of new, open, pending, on_hold, resolved, closed", at, k, s.Statuses[k])
			}
			s.statuses[statusKey(k)] = st
		}
		s.priorities = map[string]event.Priority{}
		for _, k := range slices.Sorted(maps.Keys(s.Priorities)) {
			pr, ok := event.ParsePriority(s.Priorities[k])
			if !ok || strings.TrimSpace(k) == "" {
				return fmt.Errorf("%s.priorities.%s: %q is not one of urgent, high, normal, low", at, k, s.Priorities[k])
			}
			s.priorities[statusKey(k)] = pr
		}
		p.Sources[name] = s
	}
	return nil
}

func mustPriority(s string) event.Priority {
	pr, _ := event.ParsePriority(s)
	return pr
}

func (p *Policy) validateDimensions() error {
	if len(p.Dimensions) == 0 {
		return fmt.Errorf("dimensions: is required")
	}
	dims := map[string]bool{}
	metrics := map[metric.ID]string{}
	for i, d := range p.Dimensions {
		at := fmt.Sprintf("dimensions[%d]", i)
		if !slices.Contains(metric.Dimensions, d.ID) {
			return fmt.Errorf("%s.id: %q is not one of %v", at, d.ID, metric.Dimensions)
		}
		if dims[d.ID] {
			return fmt.Errorf("%s.id: %q appears twice", at, d.ID)
		}
		dims[d.ID] = true
		if d.Weight <= 0 || math.IsInf(d.Weight, 0) || math.IsNaN(d.Weight) {
			return fmt.Errorf("%s.weight: must be positive", at)
		}
		if len(d.Metrics) == 0 {
			return fmt.Errorf("%s.metrics: needs at least one metric", at)
		}
		for j, m := range d.Metrics {
			if err := p.validateMetric(fmt.Sprintf("%s.metrics[%d]", at, j), m, metrics); err != nil {
				return err
			}
			metrics[m.ID] = d.ID
		}
	}
	return nil
}

func (p *Policy) validateMetric(at string, m Metric, seen map[metric.ID]string) error {
	def, ok := metric.Lookup(m.ID)
	if !ok {
		return fmt.Errorf("%s.id: unknown metric %q", at, m.ID)
	}
	if dim, dup := seen[m.ID]; dup {
		return fmt.Errorf("%s.id: %q is already scored in %s", at, m.ID, dim)
	}
	if m.Weight != nil && !(*m.Weight > 0) {
		return fmt.Errorf("%s.weight: must be positive", at)
	}
	if m.MinSample != nil && *m.MinSample < 0 {
		return fmt.Errorf("%s.min_sample: must not be negative", at)
	}
	if def.Bonus {
		if m.Target != nil || m.Floor != nil {
			return fmt.Errorf("%s: %s is a bonus metric: set bonus_points and max_bonus, not target or floor", at, m.ID)
		}
		if m.BonusPoints <= 0 {
			return fmt.Errorf("%s.bonus_points: must be positive", at)
		}
		if m.MaxBonus < 0 || m.MaxBonus > 100 {
			return fmt.Errorf("%s.max_bonus: %v is not in [0, 100]", at, m.MaxBonus)
		}
		return nil
	}
	if m.BonusPoints != 0 || m.MaxBonus != 0 {
		return fmt.Errorf("%s: bonus_points and max_bonus are only for bonus metrics", at)
	}
	if m.Target == nil {
		return fmt.Errorf("%s.target: is required", at)
	}
	if m.Floor == nil {
		return fmt.Errorf("%s.floor: is required", at)
	}
	t, f := *m.Target, *m.Floor
	if def.Lower && !(t < f) {
		return fmt.Errorf("%s.target: lower is better for %s, so the target (%v) must be below the floor (%v)", at, m.ID, t, f)
	}
	if !def.Lower && !(t > f) {
		return fmt.Errorf("%s.target: higher is better for %s, so the target (%v) must be above the floor (%v)", at, m.ID, t, f)
	}
	check := func(field string, v float64) error {
		switch {
		case def.Unit == "rate" && (v < 0 || v > 1):
			return fmt.Errorf("%s.%s: %v is a rate and must be between 0 and 1 (0.95, not 95)", at, field, v)
		case def.Unit == "points" && (v < 0 || v > 100):
			return fmt.Errorf("%s.%s: %v must be between 0 and 100", at, field, v)
		case v < 0:
			return fmt.Errorf("%s.%s: must not be negative", at, field)
		}
		return nil
	}
	if err := check("target", t); err != nil {
		return err
	}
	return check("floor", f)
}

func (p *Policy) validateCalendars() error {
	p.calendars = map[string]*calendar.Calendar{}
	if len(p.Calendars) == 0 {
		p.calendars["default"] = calendar.TwentyFourSeven()
	}
	names := make([]string, 0, len(p.Calendars))
	for name := range p.Calendars {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c, err := calendar.New(p.Calendars[name])
		if err != nil {
			return fmt.Errorf("calendars.%s.%w", name, err)
		}
		p.calendars[name] = c
	}
	if p.calendars["default"] == nil {
		return fmt.Errorf("calendars.default: is required (the calendar of teams not listed under teams)")
	}
	for team, t := range p.Teams {
		if t.Calendar == "" {
			return fmt.Errorf("teams.%s.calendar: is required", team)
		}
		if _, ok := p.calendars[t.Calendar]; !ok {
			return fmt.Errorf("teams.%s.calendar: %q is not defined under calendars", team, t.Calendar)
		}
	}
	return nil
}

// validateConsequences checks pass mark, grades and consequences through
// consequence.Rules, naming fields by their place in the policy file.
func (p *Policy) validateConsequences() error {
	err := p.Rules().Validate()
	if err == nil {
		return nil
	}
	msg := errcode.Message(err)
	if strings.HasPrefix(msg, "pass_mark") || strings.HasPrefix(msg, "grades") {
		return errors.New(msg)
	}
	return errors.New("consequences." + msg)
}

func (p *Policy) validateCheckIns() error {
	c := p.CheckIns
	if c.Enabled && len(c.Days) == 0 {
		return fmt.Errorf("check_ins.days: name at least one day when check-ins are enabled")
	}
	for i, d := range c.Days {
		if d < 1 || d > 28 {
			return fmt.Errorf("check_ins.days[%d]: %d is not a day from 1 to 28 (every month has it)", i, d)
		}
		if slices.Contains(c.Days[:i], d) {
			return fmt.Errorf("check_ins.days[%d]: %d appears twice", i, d)
		}
	}
	if c.MinTickets < 0 {
		return fmt.Errorf("check_ins.min_tickets: must not be negative")
	}
	if c.Enabled && (c.AtRiskWithin <= 0 || c.AtRiskWithin.D() > 7*24*time.Hour) {
		return fmt.Errorf("check_ins.at_risk_within: must be more than 0 and at most 7d")
	}
	return nil
}

func (p *Policy) validateQuality() error {
	q := p.Quality
	if !q.Enabled {
		return nil
	}
	switch {
	case q.Seed == "":
		return fmt.Errorf("quality.seed: is required (it fixes the monthly sample)")
	case q.PerEngineer < 1 || q.PerEngineer > 50:
		return fmt.Errorf("quality.per_engineer: %d is not from 1 to 50", q.PerEngineer)
	case !(q.InformativeShare >= 0 && q.InformativeShare <= 1):
		return fmt.Errorf("quality.informative_share: %v is not a share from 0 to 1", q.InformativeShare)
	case !(q.DoubleShare >= 0 && q.DoubleShare <= 1):
		return fmt.Errorf("quality.double_share: %v is not a share from 0 to 1", q.DoubleShare)
	case q.LowRating < 1 || q.LowRating > 5:
		return fmt.Errorf("quality.low_rating: %d is not a survey rating from 1 to 5", q.LowRating)
	case q.Reviewers != quality.ByLead && q.Reviewers != quality.ByPeer:
		return fmt.Errorf("quality.reviewers: %q is not lead or peer", q.Reviewers)
	case q.ReminderBefore < 0:
		return fmt.Errorf("quality.reminder_before: must not be negative")
	}
	return q.Rubric().Validate("quality")
}
