package report

import (
	"cmp"
	"strings"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

type noticeView struct {
	L             *messages
	Subject       string
	Title         string
	Subtitle      string
	Greeting      string
	What          string
	WhatStyle     string // a style name
	Why           bullets
	Missed        []improveItem
	Plan          []improveItem
	Next          bullets
	PolicyVersion string
}

// Notice renders the separate notice of a performance warning or a position
// adjustment, for the engineer and their manager: what it is, why (the
// streak's months, this month's missed metrics, the training plan) and what
// happens next. Any other kind of consequence is an errcode.Invalid error.
// locale "" means the engineer's; there is no policy default here, so then
// English.
func Notice(c scoring.Card, q consequence.Consequence, e directory.Engineer, locale string, p *policy.Policy) (Mail, error) {
	if q.Kind != consequence.Warning && q.Kind != consequence.PositionAdjustment {
		return Mail{}, invalid("notice for %s: a notice is for a warning or a position adjustment, not %q", c.EngineerID, q.Kind)
	}
	if c.Month.IsZero() {
		return Mail{}, invalid("notice for %s: no month", c.EngineerID)
	}
	m := catalog(Locale(cmp.Or(locale, e.Locale), ""))
	mon := m.month(c.Month.Year, int(c.Month.Month))
	who := cmp.Or(strings.TrimSpace(e.Name), c.EngineerID)
	v := noticeView{
		L:             m,
		Subtitle:      who + " · " + mon,
		Greeting:      sprintf(m.NoticeGreetingF, who),
		PolicyVersion: sprintf(m.PolicyVersionF, cmp.Or(c.PolicyVersion, m.NA)),
	}
	if q.Kind == consequence.Warning {
		v.Subject = sprintf(m.WarningSubjectF, mon, who)
		v.Title, v.What, v.WhatStyle = m.WarningTitle, sprintf(m.WarningWhatF, mon), "callout"
		v.Next = m.WarningNext
	} else {
		v.Subject = sprintf(m.AdjustmentSubjectF, mon, who)
		v.Title, v.What, v.WhatStyle = m.AdjustmentTitle, sprintf(m.AdjustmentWhatF, mon), "alert"
		v.Next = m.AdjustmentNext
	}

	months := make([]string, len(q.Months))
	for i, s := range q.Months {
		months[i] = s
		if pm, err := month.Parse(s); err == nil {
			months[i] = m.month(pm.Year, int(pm.Month))
		}
	}
	streak := q.Streak
	if streak == 0 {
		streak = len(q.Months)
	}
	v.Why = append(v.Why, sprintf(m.WhyStreakF, streak, strings.Join(months, m.ListSep)))
	if c.InsufficientData || c.Composite == nil {
		v.Why = append(v.Why, m.WhyThisMonthInsuff)
	} else {
		grade := c.Grade
		if c.Override != nil {
			grade = c.Override.Grade
		}
		v.Why = append(v.Why, sprintf(m.WhyThisMonthF, one(*c.Composite), cmp.Or(grade, m.NA)))
	}
	for _, id := range worstFirst(c) {
		r := c.Metrics[metric.ID(id)]
		item := improveItem{
			Name:   m.metricName(id),
			Values: sprintf(m.YourValueF, m.value(id, r.Value), m.target(id, r.Target)),
		}
		var link func(source, id string) string
		if p != nil {
			link = p.TicketURL
		}
		item.Tickets, item.TicketsHTML = tickets(m, r, link)
		v.Missed = append(v.Missed, item)
	}
	for _, id := range planMetrics(c, q) {
		v.Plan = append(v.Plan, improveItem{Name: m.metricName(id), Definition: m.metricDefinition(id)})
	}

	html, text, err := render("notice", v)
	if err != nil {
		return Mail{}, err
	}
	return Mail{Subject: v.Subject, HTML: html, Text: text}, nil
}

// planMetrics are the training plan's metrics: the card's training plan
// consequence, else the notice's own list, else this month's missed ones.
func planMetrics(c scoring.Card, q consequence.Consequence) []string {
	for _, x := range c.Consequences {
		if x.Kind == consequence.TrainingPlan && len(x.Metrics) > 0 {
			return x.Metrics
		}
	}
	if len(q.Metrics) > 0 {
		return q.Metrics
	}
	return c.MissedMetrics
}
