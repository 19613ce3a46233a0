package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// The mid-month check-in's mails: to an engineer below the pass mark so far
// or with tickets about to breach, the two or three metrics that move their
// composite most and what each needs by the month's end; to each lead, one
// page of where the team's month is heading.

// TopMetrics is how many metrics an engineer's check-in names.
const TopMetrics = 3

// checkInWords are the check-in mails' own words in one language.
type checkInWords struct {
	SubjectF, Title, SoFarF, BelowF, AboveF, NoGradeF      string
	HeadingWarningF, HeadingAdjustmentF, NotCounted, Hello string
	TopTitle, ColMetric, ColSoFar, ColTarget, ColNeeds     string
	AtRiskTitle, ColTicket, ColPriority, ColDue, ColLeft   string
	NeedsF, NeedsAllF, LowerF, LowerNoneF                  string
	HoursF, PointsF, CannotF, Secured                      string
	Tickets, Surveys                                       string
	Success                                                map[metric.ID]string
	LowerWhat                                              map[metric.ID]string
	TeamSubjectF, TeamTitle, TeamIntroF, TeamNotCounted    string
	ColEngineer, ColPace, ColOutlook, ColAtRisk, ColTold   string
	ToldNo, ToldAtRisk                                     string
	OutWarningF, OutAdjustmentF, OutBelowF, OutOnTrack     string
	OutFewF, OutLeave, OutMentoring, WellTitle, WellNone   string
	Ordinal                                                func(n int) string
	Priorities                                             map[string]string
}

var checkInEn = checkInWords{
	SubjectF: "Your month so far — %s (check-in %s)", Title: "Your month so far",
	SoFarF:             "As of %s, %s of the month has gone.",
	BelowF:             "At this pace your month ends at a composite of %s (grade %s), below the pass mark of %s.",
	AboveF:             "At this pace your month ends at a composite of %s (grade %s), at or above the pass mark of %s.",
	NoGradeF:           "At this pace your month ends at a composite of %s (%d tickets so far).",
	HeadingWarningF:    "Your last month was below standard too: if this month ends below %s, it is your %s month in a row and brings a warning with a training plan.",
	HeadingAdjustmentF: "If this month ends below %s, it is your %s month in a row below standard and brings a position adjustment.",
	NotCounted:         "Nothing here counts yet: the month is scored on the 1st, on all of it. This is where it is heading while it can still change. Until this month's lead assessment and training, knowledge and collaboration records are in, last month's stand in for them.",
	Hello:              "Hello %s,",
	TopTitle:           "Where your composite moves most",
	ColMetric:          "Metric", ColSoFar: "So far", ColTarget: "Target", ColNeeds: "By the month's end",
	AtRiskTitle: "Tickets about to breach their SLA", ColTicket: "Ticket", ColPriority: "Priority", ColDue: "Due", ColLeft: "Working time left",
	NeedsF:     "%d of the next %d %s %s",
	NeedsAllF:  "all of the next %d %s %s",
	LowerF:     "no more than %d %s in the next %d %s",
	LowerNoneF: "no %s in the next %d %s",
	HoursF:     "an average of at most %s over the next %d %s",
	PointsF:    "an average rating of at least %s of 5 on the next %d %s",
	CannotF:    "cannot reach %s this month; the most it can reach is %s",
	Secured:    "at target, whatever the rest of the month brings",
	Tickets:    "tickets", Surveys: "survey answers",
	Success: map[metric.ID]string{
		metric.ResolutionSLARate:     "resolved within their SLA",
		metric.CompletionRate:        "resolved",
		metric.ResolutionSuccessRate: "resolved without a reopen",
		metric.FirstResponse1hRate:   "first answered within the hour",
		metric.Complaint24hRate:      "complaints resolved within 24 h",
		metric.CSATSatisfiedRate:     "rating 4 or 5",
		metric.FollowupConfirmedRate: "confirming the problem solved",
	},
	LowerWhat:    map[metric.ID]string{metric.ComplaintRate: "complaints"},
	TeamSubjectF: "Check-in: %s — %s so far (%s)", TeamTitle: "Where the team's month is heading",
	TeamIntroF:     "As of %s, %s of the month has gone. The month so far is scored with the policy of the month-end run and projected to the month's end.",
	TeamNotCounted: "Check-ins never count toward consequences. Coach now: the engineers marked were mailed the metrics that move their composite most and what each needs. Until your assessment of this month and its records are in, last month's stand in; a month is projected to have sufficient data when its tickets so far, at their pace, reach the minimum by its end.",
	ColEngineer:    "Engineer", ColPace: "At this pace", ColOutlook: "Heading for", ColAtRisk: "At risk", ColTold: "Told",
	ToldNo:         "—",
	ToldAtRisk:     "its tickets at risk",
	OutWarningF:    "a warning: %s month below standard",
	OutAdjustmentF: "a position adjustment: %s month below standard",
	OutBelowF:      "below the pass mark (%s month)",
	OutOnTrack:     "on track",
	OutFewF:        "too few tickets so far (%d)",
	OutLeave:       "no tickets so far (on leave?)",
	OutMentoring:   "below the pass mark; mentoring, no warning (new hire)",
	WellTitle:      "Doing well", WellNone: "Nobody is at or above the pass mark yet.",
	Ordinal: func(n int) string {
		suffix := "th"
		switch {
		case n%100 >= 11 && n%100 <= 13:
		case n%10 == 1:
			suffix = "st"
		case n%10 == 2:
			suffix = "nd"
		case n%10 == 3:
			suffix = "rd"
		}
		return itoa(n) + suffix
	},
	Priorities: map[string]string{"urgent": "urgent", "high": "high", "normal": "normal", "low": "low"},
}

var checkInZhCN = checkInWords{
	SubjectF: "本月进度 — %s（%s 检查）", Title: "本月进度",
	SoFarF:             "截至 %s，本月已过去 %s。",
	BelowF:             "按目前的节奏，您本月的综合得分将为 %s（等级 %s），低于合格线 %s。",
	AboveF:             "按目前的节奏，您本月的综合得分将为 %s（等级 %s），达到合格线 %s。",
	NoGradeF:           "按目前的节奏，您本月的综合得分将为 %s（目前 %d 张工单）。",
	HeadingWarningF:    "您上个月也未达标：如果本月最终低于 %s，将是连续第 %s 个月未达标，并将收到警告和培训计划。",
	HeadingAdjustmentF: "如果本月最终低于 %s，将是连续第 %s 个月未达标，并将进行岗位调整。",
	NotCounted:         "以上数字尚不计入考核：本月将在下月 1 日按全月数据评分。现在还来得及改变。本月的组长评估及培训、知识、协作记录到来之前，暂以上月数据代替。",
	Hello:              "%s，您好：",
	TopTitle:           "对综合得分影响最大的指标",
	ColMetric:          "指标", ColSoFar: "目前", ColTarget: "目标", ColNeeds: "月底前需要",
	AtRiskTitle: "即将超出 SLA 的工单", ColTicket: "工单", ColPriority: "优先级", ColDue: "截止", ColLeft: "剩余工作时间",
	NeedsF:     "接下来 %[2]d %[3]s中有 %[1]d %[3]s%[4]s",
	NeedsAllF:  "接下来 %[1]d %[2]s须全部%[3]s",
	LowerF:     "接下来 %[3]d %[4]s中%[2]s不超过 %[1]d 张",
	LowerNoneF: "接下来 %[2]d %[3]s中不能再有%[1]s",
	HoursF:     "接下来 %[2]d %[3]s平均不超过 %[1]s",
	PointsF:    "接下来 %[2]d %[3]s平均评分至少 %[1]s 分（满分 5 分）",
	CannotF:    "本月已无法达到 %s；最多可达 %s",
	Secured:    "本月已稳定达标",
	Tickets:    "张工单", Surveys: "份评价",
	Success: map[metric.ID]string{
		metric.ResolutionSLARate:     "在 SLA 时限内解决",
		metric.CompletionRate:        "解决",
		metric.ResolutionSuccessRate: "解决且未重开",
		metric.FirstResponse1hRate:   "在 1 小时内首次回复",
		metric.Complaint24hRate:      "投诉在 24 小时内解决",
		metric.CSATSatisfiedRate:     "评分为 4 或 5",
		metric.FollowupConfirmedRate: "确认问题已解决",
	},
	LowerWhat:    map[metric.ID]string{metric.ComplaintRate: "投诉"},
	TeamSubjectF: "进度检查：%s — %s 至今（%s）", TeamTitle: "团队本月走势",
	TeamIntroF:     "截至 %s，本月已过去 %s。本月至今的数据按月底评分所用的同一政策计算，并推算至月底。",
	TeamNotCounted: "进度检查从不计入考核后果。请及时辅导：标注的工程师已收到对其综合得分影响最大的指标及各自所需。本月评估及记录到来之前暂以上月数据代替；按目前工单节奏月底可达最低工单数的，视为数据充足。",
	ColEngineer:    "工程师", ColPace: "按目前节奏", ColOutlook: "走势", ColAtRisk: "风险工单", ColTold: "已提醒",
	ToldNo:         "—",
	ToldAtRisk:     "风险工单",
	OutWarningF:    "将收到警告：连续第 %s 个月未达标",
	OutAdjustmentF: "将进行岗位调整：连续第 %s 个月未达标",
	OutBelowF:      "低于合格线（第 %s 个月）",
	OutOnTrack:     "正常",
	OutFewF:        "工单太少（%d 张）",
	OutLeave:       "本月尚无工单（休假？）",
	OutMentoring:   "低于合格线；新员工辅导期，不发警告",
	WellTitle:      "表现良好", WellNone: "目前还没有人达到合格线。",
	Ordinal:    itoa,
	Priorities: map[string]string{"urgent": "紧急", "high": "高", "normal": "普通", "low": "低"},
}

func checkInCatalog(m *messages) checkInWords {
	if m.Lang == zhCN.Lang {
		return checkInZhCN
	}
	return checkInEn
}

// Needs is what an outlook needs by the month's end, in one sentence of
// the language of locale: "18 of the next 20 tickets resolved without a
// reopen", "cannot reach 95.0 % this month; the most it can reach is
// 91.0 %".
func Needs(o checkin.Outlook, locale string) string {
	m := catalog(locale)
	return needs(m, checkInCatalog(m), o)
}

func needs(m *messages, w checkInWords, o checkin.Outlook) string {
	id := string(o.Metric)
	def, _ := metric.Lookup(o.Metric)
	unit := w.Tickets
	if def.Sample == metric.SampleSurveys {
		unit = w.Surveys
	}
	switch o.State {
	case checkin.Secured:
		return w.Secured
	case checkin.Cannot:
		return sprintf(w.CannotF, m.unit(def.Unit, o.Target), m.value(id, &o.Best))
	}
	switch {
	case o.Mean && def.Unit == "points":
		return sprintf(w.PointsF, one(1+o.NeedMean/25), o.Rest, unit)
	case o.Mean:
		return sprintf(w.HoursF, sprintf(m.UnitHoursF, one(o.NeedMean)), o.Rest, unit)
	case o.Lower:
		what := cmp.Or(w.LowerWhat[o.Metric], m.metricName(id))
		if o.Need == 0 {
			return sprintf(w.LowerNoneF, what, o.Rest, unit)
		}
		return sprintf(w.LowerF, o.Need, what, o.Rest, unit)
	}
	what := cmp.Or(w.Success[o.Metric], m.metricName(id))
	if o.Need == o.Rest {
		return sprintf(w.NeedsAllF, o.Rest, unit, what)
	}
	return sprintf(w.NeedsF, o.Need, o.Rest, unit, what)
}

// mailCell is a check-in table cell, linked when Link is set.
type mailCell struct{ Text, Link string }

// checkInView is both check-in mails.
type checkInView struct {
	L             *messages
	Subject       string
	Title         string
	Subtitle      string
	Greeting      string
	Paras         []string
	Alert         string
	Tables        []checkInTable
	Well          string
	WellTitle     string
	Notes         []string
	PolicyVersion string
}

type checkInTable struct {
	Title string
	Head  []string
	Rows  [][]mailCell
}

// CheckInMail is the mail to one engineer of a check-in.
func CheckInMail(ci checkin.CheckIn, e checkin.Engineer, who directory.Engineer, locale string, p *policy.Policy) (Mail, error) {
	m := catalog(Locale(cmp.Or(locale, who.Locale), p.Locale))
	w := checkInCatalog(m)
	loc := p.Location()
	name := cmp.Or(strings.TrimSpace(who.Name), e.EngineerID)
	mon := m.month(ci.Month.Year, int(ci.Month.Month))
	day := ci.AsOf.In(loc)
	v := checkInView{L: m, Title: w.Title, Subtitle: name + " · " + mon + " · " + day.Format("2006-01-02 15:04"),
		Subject:       sprintf(w.SubjectF, mon, day.Format("2006-01-02")),
		Greeting:      sprintf(w.Hello, name),
		PolicyVersion: sprintf(m.PolicyVersionF, ci.PolicyVersion)}
	v.Paras = append(v.Paras, sprintf(w.SoFarF, day.Format("2006-01-02 15:04"), percent(ci.Gone)))
	switch {
	case e.Composite == nil:
	case e.Grade == "":
		v.Paras = append(v.Paras, sprintf(w.NoGradeF, one(*e.Composite), e.Tickets))
	case e.Below:
		v.Paras = append(v.Paras, sprintf(w.BelowF, one(*e.Composite), e.Grade, trimNum(ci.PassMark)))
	default:
		v.Paras = append(v.Paras, sprintf(w.AboveF, one(*e.Composite), e.Grade, trimNum(ci.PassMark)))
	}
	switch e.Heading {
	case consequence.Warning:
		v.Alert = sprintf(w.HeadingWarningF, trimNum(ci.PassMark), w.Ordinal(e.Streak))
	case consequence.PositionAdjustment:
		v.Alert = sprintf(w.HeadingAdjustmentF, trimNum(ci.PassMark), w.Ordinal(e.Streak))
	}
	if top := e.Top(TopMetrics); len(top) > 0 {
		t := checkInTable{Title: w.TopTitle, Head: []string{w.ColMetric, w.ColSoFar, w.ColTarget, w.ColNeeds}}
		for _, o := range top {
			id := string(o.Metric)
			t.Rows = append(t.Rows, []mailCell{{Text: m.metricName(id)}, {Text: m.value(id, &o.Value)}, {Text: m.target(id, &o.Target)}, {Text: needs(m, w, o)}})
		}
		v.Tables = append(v.Tables, t)
	}
	if len(e.AtRisk) > 0 {
		v.Tables = append(v.Tables, atRiskTable(m, w, e.AtRisk, p))
	}
	v.Notes = []string{w.NotCounted}
	return renderCheckIn(v)
}

func atRiskTable(m *messages, w checkInWords, list []checkin.AtRisk, p *policy.Policy) checkInTable {
	t := checkInTable{Title: w.AtRiskTitle, Head: []string{w.ColTicket, w.ColPriority, w.ColDue, w.ColLeft}}
	for _, r := range list {
		t.Rows = append(t.Rows, []mailCell{
			{Text: r.Source + " " + r.TicketID, Link: p.TicketURL(r.Source, r.TicketID)},
			{Text: cmp.Or(w.Priorities[string(r.Priority)], string(r.Priority))},
			{Text: r.Deadline.In(p.Location()).Format("01-02 15:04")},
			{Text: sprintf(m.UnitHoursF, one(r.Left.Hours()))},
		})
	}
	return t
}

// CheckInTeam is a lead's check-in: their team's engineers so far.
type CheckInTeam struct {
	Name, ManagerEmail, Locale string
	CheckIn                    checkin.CheckIn
	Engineers                  []checkin.Engineer // the team's, as projected
	Directory                  map[string]directory.Engineer
	Policy                     *policy.Policy
	// Told: engineers mailed by this check-in (by id).
	Told map[string]bool
}

// outlookRank orders the lead's table: who needs attention first.
func outlookRank(e checkin.Engineer) int {
	switch {
	case e.Heading == consequence.PositionAdjustment:
		return 0
	case e.Heading == consequence.Warning:
		return 1
	case e.Below && e.Quiet == "":
		return 2
	case len(e.AtRisk) > 0 && e.Quiet == "":
		return 3
	case e.Quiet == checkin.QuietOnTrack:
		return 4
	case e.Quiet == checkin.QuietFewTickets:
		return 5
	}
	return 6
}

// CheckInTeamMail is a lead's one page of where the team's month is heading:
// who is heading for a warning or a position adjustment (with the streak),
// who is below the pass mark, who is doing well, and what each was told.
func CheckInTeamMail(t CheckInTeam) (Mail, error) {
	p := t.Policy
	m := catalog(Locale(t.Locale, p.Locale))
	w := checkInCatalog(m)
	ci := t.CheckIn
	mon := m.month(ci.Month.Year, int(ci.Month.Month))
	day := ci.AsOf.In(p.Location())
	v := checkInView{L: m, Title: w.TeamTitle, Subtitle: t.Name + " · " + mon + " · " + day.Format("2006-01-02 15:04"),
		Subject:       sprintf(w.TeamSubjectF, t.Name, mon, day.Format("2006-01-02")),
		PolicyVersion: sprintf(m.PolicyVersionF, ci.PolicyVersion), WellTitle: w.WellTitle}
	v.Paras = []string{sprintf(w.TeamIntroF, day.Format("2006-01-02 15:04"), percent(ci.Gone))}
	engs := slices.Clone(t.Engineers)
	slices.SortStableFunc(engs, func(a, b checkin.Engineer) int {
		return cmp.Or(cmp.Compare(outlookRank(a), outlookRank(b)), cmp.Compare(score(a), score(b)), cmp.Compare(a.EngineerID, b.EngineerID))
	})
	tab := checkInTable{Head: []string{w.ColEngineer, w.ColPace, w.ColOutlook, w.ColAtRisk, w.ColTold}}
	var well []string
	for _, e := range engs {
		comp := m.NA
		if e.Composite != nil {
			comp = one(*e.Composite)
			if e.Grade != "" {
				comp += " (" + e.Grade + ")"
			}
		}
		told := w.ToldNo
		if t.Told[e.EngineerID] {
			var names []string
			for _, o := range e.Top(TopMetrics) {
				names = append(names, m.metricName(string(o.Metric)))
			}
			told = strings.Join(names, m.Comma)
			if told == "" {
				told = w.ToldAtRisk
			}
		}
		risk := ""
		if n := len(e.AtRisk); n > 0 {
			risk = itoa(n)
		}
		tab.Rows = append(tab.Rows, []mailCell{{Text: name(t.Directory, e.EngineerID)}, {Text: comp}, {Text: outlook(w, e)}, {Text: risk}, {Text: told}})
		if !e.Below && e.Composite != nil && e.Tickets >= ci.MinTickets && e.Tickets > 0 {
			well = append(well, name(t.Directory, e.EngineerID)+" ("+one(*e.Composite)+")")
		}
	}
	v.Tables = []checkInTable{tab}
	v.Well = w.WellNone
	if len(well) > 0 {
		v.Well = strings.Join(well, m.Comma)
	}
	v.Notes = []string{w.TeamNotCounted}
	return renderCheckIn(v)
}

// score sorts higher composites first within a rank.
func score(e checkin.Engineer) float64 {
	if e.Composite == nil {
		return math.Inf(1)
	}
	return -*e.Composite
}

func outlook(w checkInWords, e checkin.Engineer) string {
	switch {
	case e.Heading == consequence.PositionAdjustment:
		return sprintf(w.OutAdjustmentF, w.Ordinal(e.Streak))
	case e.Heading == consequence.Warning:
		return sprintf(w.OutWarningF, w.Ordinal(e.Streak))
	case e.Quiet == checkin.QuietOnLeave:
		return w.OutLeave
	case e.Quiet == checkin.QuietFewTickets:
		return sprintf(w.OutFewF, e.Tickets)
	case e.Below && e.Exempt:
		return w.OutMentoring
	case e.Below:
		return sprintf(w.OutBelowF, w.Ordinal(e.StreakBefore+1))
	}
	return w.OutOnTrack
}

// percent formats a share as a whole percentage: "52 %".
func percent(f float64) string { return fmt.Sprintf("%.0f %%", 100*f) }

func renderCheckIn(v checkInView) (Mail, error) {
	html, text, err := render("checkin", v)
	if err != nil {
		return Mail{}, err
	}
	return Mail{Subject: v.Subject, HTML: html, Text: text}, nil
}

// CheckInText is a check-in as the CLI prints it: every engineer's month
// so far, what they were or would be told, in English.
func CheckInText(ci checkin.CheckIn, engineers map[string]directory.Engineer, p *policy.Policy) string {
	m := en
	w := checkInEn
	var b strings.Builder
	loc := p.Location()
	fmt.Fprintf(&b, "%s check-in as of %s (%s): %s of the month gone; policy %s\n", ci.Month, ci.AsOf.In(loc).Format("2006-01-02 15:04"), loc, percent(ci.Gone), ci.PolicyVersion)
	for _, e := range ci.Engineers {
		comp := m.NA
		if e.Composite != nil {
			comp = one(*e.Composite)
		}
		told := "not mailed: " + e.Quiet
		if e.Mail {
			told = "mailed"
		}
		fmt.Fprintf(&b, "\n%s %s (%s): at this pace composite %s %s, %d tickets so far; %s; %s\n", e.EngineerID, name(engineers, e.EngineerID), cmp.Or(e.Team, m.NA), comp, e.Grade, e.Tickets, outlook(w, e), told)
		for _, o := range e.Outlooks {
			id := string(o.Metric)
			fmt.Fprintf(&b, "  %-26s %9s  target %-9s  %s  [+%.2f]\n", id, m.value(id, &o.Value), m.target(id, &o.Target), needs(m, w, o), o.Gain)
		}
		for _, r := range e.AtRisk {
			fmt.Fprintf(&b, "  at risk: %s %s (%s) due %s, %s working time left %s\n", r.Source, r.TicketID, r.Priority, r.Deadline.In(loc).Format("2006-01-02 15:04"), r.Left.Round(time.Minute), p.TicketURL(r.Source, r.TicketID))
		}
	}
	return b.String()
}

// ReviewItem is one sampled ticket in a reviewer's mail.
type ReviewItem struct {
	Engineer, Source, TicketID, Link, Drawn string
}

// ReviewsRequested is the mail to a reviewer with their sampled tickets of
// month m, a link to each ticket's review form, due by due; as a reminder,
// the tickets still to review.
func ReviewsRequested(mo month.Month, items []ReviewItem, locale string, p *policy.Policy, due time.Time, reminder bool) (Mail, error) {
	m := catalog(Locale(locale, p.Locale))
	mon := m.month(mo.Year, int(mo.Month))
	by := due.Add(-time.Second).In(p.Location()).Format("2006-01-02")
	en := m.Lang != zhCN.Lang
	v := checkInView{L: m, PolicyVersion: sprintf(m.PolicyVersionF, p.Version)}
	t := checkInTable{}
	switch {
	case en && reminder:
		v.Subject, v.Title, v.Subtitle = sprintf("Reminder: %d tickets to review by %s — %s", len(items), by, mon), "Tickets still to review", mon
		v.Paras = []string{sprintf("These %d tickets of %s are still waiting for your review, due by the end of %s, when the month's warnings go out.", len(items), mon, by)}
	case en:
		v.Subject, v.Title, v.Subtitle = sprintf("Tickets to review — %s (%d)", mon, len(items)), "Tickets to review", mon
		v.Paras = []string{sprintf("These %d tickets of %s were drawn for quality review: some for a low rating, a reopen, a complaint or a breached SLA, the others at random. Open each, read its timeline and rate it against the rubric by the end of %s; your reviews count in the engineers' ticket quality for the month.", len(items), mon, by)}
	case reminder:
		v.Subject, v.Title, v.Subtitle = sprintf("提醒：%s 前还有 %d 张工单待质检 — %s", by, len(items), mon), "仍待质检的工单", mon
		v.Paras = []string{sprintf("以下 %d 张 %s 的工单仍在等待您的评审，请在 %s 结束前完成（届时将发出本月的警告通知）。", len(items), mon, by)}
	default:
		v.Subject, v.Title, v.Subtitle = sprintf("待质检工单 — %s（%d 张）", mon, len(items)), "待质检工单", mon
		v.Paras = []string{sprintf("以下 %d 张 %s 的工单被抽中质检：部分因低评分、重开、投诉或超出 SLA，其余为随机抽取。请在 %s 结束前逐张打开、阅读时间线并按评分表评分；您的评审计入工程师本月的工单质量。", len(items), mon, by)}
	}
	t.Head = []string{"Engineer", "Ticket", "Drawn"}
	if !en {
		t.Head = []string{"工程师", "工单", "抽取原因"}
	}
	for _, it := range items {
		drawn := it.Drawn
		if !en {
			drawn = map[string]string{"informative": "有问题迹象", "random": "随机"}[it.Drawn]
		}
		t.Rows = append(t.Rows, []mailCell{{Text: it.Engineer}, {Text: it.Source + " " + it.TicketID, Link: it.Link}, {Text: drawn}})
	}
	v.Tables = []checkInTable{t}
	return renderCheckIn(v)
}
