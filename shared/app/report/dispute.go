package report

import (
	"cmp"
	"strings"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/scoring"
)

// The mails of a dispute: to the lead when it is opened, to the engineer
// when it is settled, and a notice withdrawn when a settled dispute took
// away the warning or position adjustment already mailed.

type disputeView struct {
	L             *messages
	Subject       string
	Title         string
	Subtitle      string
	Greeting      string
	Paras         []string
	Rows          [][2]string
	Link          string
	LinkText      string
	PolicyVersion string
}

// disputeWords are a dispute mail's own words in one language.
type disputeWords struct {
	OpenedSubjectF, OpenedTitle, OpenedF, OpenedLink                    string // name, month
	SettledSubjectF, AcceptedTitle, RejectedTitle, AcceptedF, RejectedF string
	NowF, EvidenceLink                                                  string
	WithdrawnSubjectF, WithdrawnTitle, WithdrawnF                       string
	What, Reason, Comment, Answer, LeadAssessment, Hello                string
	Reasons                                                             map[dispute.Reason]string
}

var disputeEn = disputeWords{
	OpenedSubjectF: "Dispute to settle — %s — %s", OpenedTitle: "A dispute waits for you",
	OpenedF:         "%s disputes a place in their %s figures. Open the dispute to see the ticket's evidence, then accept it (the ticket no longer counts in that metric for the month, which is scored again) or reject it with your reason. Their warnings and position adjustments wait for your answer.",
	OpenedLink:      "Settle the dispute",
	SettledSubjectF: "Your dispute was %s — %s", AcceptedTitle: "Your dispute was accepted", RejectedTitle: "Your dispute was rejected",
	AcceptedF: "Your lead accepted your dispute: it no longer counts in your %s figures, and the month was scored again.",
	RejectedF: "Your lead rejected your dispute for %s; it still counts.",
	NowF:      "Your month now: composite %s, grade %s.", EvidenceLink: "Open your evidence",
	WithdrawnSubjectF: "Notice withdrawn — %s — %s", WithdrawnTitle: "The notice is withdrawn",
	WithdrawnF: "After a dispute was accepted, %s's %s no longer calls for the %s mailed earlier. It is withdrawn and does not count.",
	What:       "Disputed", Reason: "Reason", Comment: "Comment", Answer: "Answer", LeadAssessment: "the lead's assessment of the month", Hello: "Hello,",
	Reasons: map[dispute.Reason]string{dispute.NotMine: "not theirs", dispute.Duplicate: "a duplicate", dispute.Unreachable: "customer unreachable",
		dispute.SystemError: "recorded wrongly by the system", dispute.Other: "other"},
}

var disputeZhCN = disputeWords{
	OpenedSubjectF: "待处理申诉 — %s — %s", OpenedTitle: "有一项申诉等待您处理",
	OpenedF:         "%s 对 %s 的考核计入提出申诉。请打开申诉查看工单依据，然后接受（该工单不再计入该指标，本月重新计算）或说明理由后驳回。在您答复之前，其警告与岗位调整通知将暂缓发出。",
	OpenedLink:      "处理申诉",
	SettledSubjectF: "您的申诉已%s — %s", AcceptedTitle: "您的申诉已被接受", RejectedTitle: "您的申诉已被驳回",
	AcceptedF: "组长接受了您的申诉：该项不再计入您 %s 的考核，本月已重新计算。",
	RejectedF: "组长驳回了您对 %s 的申诉；该项仍然计入。",
	NowF:      "本月现在：综合得分 %s，等级 %s。", EvidenceLink: "查看考核依据",
	WithdrawnSubjectF: "通知撤回 — %s — %s", WithdrawnTitle: "通知已撤回",
	WithdrawnF: "申诉被接受后，%s 在 %s 的成绩不再构成此前发出的%s。该通知撤回，不再计入。",
	What:       "申诉内容", Reason: "理由", Comment: "说明", Answer: "答复", LeadAssessment: "组长对本月的评估", Hello: "您好：",
	Reasons: map[dispute.Reason]string{dispute.NotMine: "不是本人的工单", dispute.Duplicate: "重复工单", dispute.Unreachable: "无法联系客户",
		dispute.SystemError: "系统记录有误", dispute.Other: "其他"},
}

func disputeCatalog(m *messages) disputeWords {
	if m.Lang == zhCN.Lang {
		return disputeZhCN
	}
	return disputeEn
}

func (m *messages) place(w disputeWords, d dispute.Dispute) string {
	if d.Metric == dispute.LeadAssessment {
		return w.LeadAssessment
	}
	return m.metricName(string(d.Metric)) + " · " + d.Source + " " + d.TicketID
}

// DisputeOpened is the mail to the lead (the arbiter) with the link that
// settles the dispute.
func DisputeOpened(d dispute.Dispute, e directory.Engineer, locale, link string) (Mail, error) {
	m := catalog(Locale(locale, ""))
	w := disputeCatalog(m)
	who := cmp.Or(strings.TrimSpace(e.Name), d.EngineerID)
	mon := m.month(d.Month.Year, int(d.Month.Month))
	v := disputeView{L: m, Subject: sprintf(w.OpenedSubjectF, who, mon), Title: w.OpenedTitle, Subtitle: who + " · " + mon,
		Greeting: w.Hello, Paras: []string{sprintf(w.OpenedF, who, mon)}, Link: link, LinkText: w.OpenedLink,
		Rows: [][2]string{{w.What, m.place(w, d)}, {w.Reason, w.Reasons[d.Reason]}}}
	if d.Comment != "" {
		v.Rows = append(v.Rows, [2]string{w.Comment, d.Comment})
	}
	return renderDispute(v)
}

// DisputeSettled is the mail to the engineer: accepted (with the month as
// it now stands) or rejected, with the lead's answer.
func DisputeSettled(d dispute.Dispute, c scoring.Card, e directory.Engineer, locale, evidence string) (Mail, error) {
	m := catalog(Locale(cmp.Or(locale, e.Locale), ""))
	w := disputeCatalog(m)
	who := cmp.Or(strings.TrimSpace(e.Name), d.EngineerID)
	mon := m.month(d.Month.Year, int(d.Month.Month))
	v := disputeView{L: m, Subtitle: who + " · " + mon, Greeting: sprintf(m.NoticeGreetingF, who), Link: evidence, LinkText: w.EvidenceLink,
		Rows: [][2]string{{w.What, m.place(w, d)}, {w.Reason, w.Reasons[d.Reason]}}, PolicyVersion: sprintf(m.PolicyVersionF, cmp.Or(c.PolicyVersion, m.NA))}
	if d.Status == dispute.Accepted {
		v.Subject, v.Title = sprintf(w.SettledSubjectF, statusWord(m, d.Status), mon), w.AcceptedTitle
		v.Paras = []string{sprintf(w.AcceptedF, mon)}
		if c.Composite != nil && !c.InsufficientData {
			v.Paras = append(v.Paras, sprintf(w.NowF, one(*c.Composite), cmp.Or(c.Grade, m.NA)))
		}
	} else {
		v.Subject, v.Title = sprintf(w.SettledSubjectF, statusWord(m, d.Status), mon), w.RejectedTitle
		v.Paras = []string{sprintf(w.RejectedF, mon)}
	}
	if d.Answer != "" {
		v.Rows = append(v.Rows, [2]string{w.Answer, d.Answer})
	}
	return renderDispute(v)
}

func statusWord(m *messages, s dispute.Status) string {
	switch {
	case m.Lang == zhCN.Lang && s == dispute.Accepted:
		return "被接受"
	case m.Lang == zhCN.Lang:
		return "被驳回"
	}
	return string(s)
}

// NoticeWithdrawn tells the engineer and their manager that a warning or
// position adjustment mailed for c's month no longer stands.
func NoticeWithdrawn(c scoring.Card, kind consequence.Kind, e directory.Engineer, locale string) (Mail, error) {
	m := catalog(Locale(cmp.Or(locale, e.Locale), ""))
	w := disputeCatalog(m)
	who := cmp.Or(strings.TrimSpace(e.Name), c.EngineerID)
	mon := m.month(c.Month.Year, int(c.Month.Month))
	what := m.WarningTitle
	if kind == consequence.PositionAdjustment {
		what = m.AdjustmentTitle
	}
	v := disputeView{L: m, Subject: sprintf(w.WithdrawnSubjectF, mon, who), Title: w.WithdrawnTitle, Subtitle: who + " · " + mon,
		Greeting: sprintf(m.NoticeGreetingF, who), Paras: []string{sprintf(w.WithdrawnF, who, mon, what)},
		PolicyVersion: sprintf(m.PolicyVersionF, cmp.Or(c.PolicyVersion, m.NA))}
	return renderDispute(v)
}

func renderDispute(v disputeView) (Mail, error) {
	if v.PolicyVersion == "" {
		v.PolicyVersion = sprintf(v.L.PolicyVersionF, v.L.NA)
	}
	html, text, err := render("dispute", v)
	if err != nil {
		return Mail{}, err
	}
	return Mail{Subject: v.Subject, HTML: html, Text: text}, nil
}

// pendingView is the team report's section on what waits for disputes.
type pendingView struct {
	Title, Intro string
	Rows         [][2]string
}

var pendingEn = struct{ Title, HeldF, Open, Since string }{
	Title: "Waiting for disputes",
	HeldF: "These warnings and position adjustments are mailed once the engineers' dispute window closes (%s) and no dispute of theirs is open; a dispute you accept can change or withdraw them.",
	Open:  "Open dispute", Since: "opened",
}

var pendingZhCN = struct{ Title, HeldF, Open, Since string }{
	Title: "等待申诉处理",
	HeldF: "以下警告与岗位调整将在申诉期结束（%s）且本人无未处理申诉后发出；您接受的申诉可能改变或撤回它们。",
	Open:  "未处理申诉", Since: "提交于",
}

// pending lists the team's held notices and open disputes; nil for none.
func pending(m *messages, t Team) *pendingView {
	if len(t.Held) == 0 && len(t.Disputes) == 0 {
		return nil
	}
	w, dw := pendingEn, disputeCatalog(m)
	if m.Lang == zhCN.Lang {
		w = pendingZhCN
	}
	name := func(id string) string {
		if e, ok := t.Engineers[id]; ok && strings.TrimSpace(e.Name) != "" {
			return e.Name
		}
		return id
	}
	v := &pendingView{Title: w.Title, Intro: sprintf(w.HeldF, cmp.Or(t.HeldUntil, m.NA))}
	for _, c := range t.Cards {
		for _, k := range t.Held[c.EngineerID] {
			what := m.WarningTitle
			if k == consequence.PositionAdjustment {
				what = m.AdjustmentTitle
			}
			v.Rows = append(v.Rows, [2]string{name(c.EngineerID), what})
		}
	}
	for _, d := range t.Disputes {
		v.Rows = append(v.Rows, [2]string{name(d.EngineerID), w.Open + ": " + m.place(dw, d) + " (" + d.Month.String() + ", " + w.Since + " " + d.OpenedAt.Format("2006-01-02") + ")"})
	}
	return v
}
