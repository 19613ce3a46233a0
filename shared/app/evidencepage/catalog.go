package evidencepage

import (
	"fmt"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// messages are the page's words in one language.
type messages struct {
	formkit.Common
	TitleF, IntroF, SummaryF, Insufficient, CountF, FromHistory  string
	ColTicket, ColSaid, Missed, PeopleTitle                      string
	ExpiredTitle, ExpiredBody, UnavailableTitle, UnavailableBody string
	MonthF                                                       string // year, month
	OverrideF                                                    string // the grade the manager set

	FirstReplyF, HandledF, ComplaintF, NoComplaint, ComplaintInF  string
	WithinSLAF, BreachedSLAF, Completed, StillOpenF, NotReopenedF string
	ReopenedF, RatedF, Note, ReviewedF, FailedF                   string
	SolvedYes, SolvedNo                                           string

	// Disputes.
	DisputeLink, DisputesTitle, FormTitle, FormIntro, ReasonLabel, CommentLabel, Send string
	ReasonNotMine, ReasonDuplicate, ReasonUnreachable, ReasonSystem, ReasonOther      string
	StatusOpen, StatusAccepted, StatusRejected, AnswerLabel, LeadAssessment, LeadLink string
	WindowF, WindowClosed, LimitF, Opened, RefusedTitle                               string

	// The settle page.
	SettleTitleF, SettleIntroF, DisputedLabel, OpenTicket, CommentShort, NotCountedNow string
	DecisionLabel, AcceptLabel, RejectLabel, AnswerPrompt, SettleSend, DecidedF        string
	SettleRefusedTitle, SettleExpired                                                  string
}

var en = &messages{
	Common:       formkit.CommonEn,
	TitleF:       "Evidence: %s, %s",
	IntroF:       "Every ticket behind your ticket metrics this month, as the monthly run of %s counted it. Tickets that counted against you come first in each metric.",
	SummaryF:     "Composite %.1f, grade %s.",
	Insufficient: "Insufficient data this month: no composite.",
	CountF:       "%d tickets",
	FromHistory:  "This month was scored from history imported from the ticketing system, before the scorecard was in use.",
	ColTicket:    "Ticket", ColSaid: "What it counted", Missed: "counted against you", PeopleTitle: "From people: your lead's scores and your records",
	ExpiredTitle: "This link has expired", ExpiredBody: "Evidence links open for two months after the month they show. Ask your team lead for the month's figures.",
	UnavailableTitle: "Please try again in a moment", UnavailableBody: "The evidence could not be read just now.",
	MonthF:       "%[2]s %[1]d",
	OverrideF:    " Your manager set the grade to %s; the tickets below are what the computed grade stood on.",
	FirstReplyF:  "first reply after %.1f working hours",
	HandledF:     "handled in %.1f working hours",
	ComplaintF:   "a complaint",
	NoComplaint:  "no complaint",
	ComplaintInF: "complaint resolved %.1f h after it came in (target %.0f h)",
	WithinSLAF:   "resolved %.1f h after creation, within the %.0f h SLA",
	BreachedSLAF: "breached the %.0f h SLA by %.1f h",
	Completed:    "resolved in the month",
	StillOpenF:   "still unresolved %.1f h after creation, past its %.0f h SLA",
	NotReopenedF: "not reopened within %.0f days",
	ReopenedF:    "reopened %.1f days after it was resolved",
	RatedF:       "rated %d of 5",
	Note:         "a note on a colleague's ticket",
	ReviewedF:    "quality review: %.1f of 100",
	FailedF:      "failed: %s",
	SolvedYes:    "the customer confirmed it was solved",
	SolvedNo:     "the customer said it was not solved",

	DisputeLink: "dispute", DisputesTitle: "Your disputes", FormTitle: "Dispute this",
	FormIntro:   "Your lead reads your reason and comment beside the ticket's evidence and accepts or rejects it. Accepted, the ticket no longer counts in this metric for this month and the month is scored again.",
	ReasonLabel: "Reason", CommentLabel: "Comment (what your lead should know)", Send: "Send the dispute to my lead",
	ReasonNotMine: "Not mine (reassigned to me, worked by someone else)", ReasonDuplicate: "A duplicate of another ticket",
	ReasonUnreachable: "The customer could not be reached", ReasonSystem: "The ticketing system recorded it wrongly", ReasonOther: "Other (say why)",
	StatusOpen: "waiting for your lead", StatusAccepted: "accepted: taken out", StatusRejected: "rejected", AnswerLabel: "Answer",
	LeadAssessment: "your lead's assessment of the month", LeadLink: "dispute the lead's assessment",
	WindowF:      "You can dispute a ticket's place in a metric until %s (%d more this month).",
	WindowClosed: "The time to dispute this month has passed.",
	LimitF:       "You have opened the %d disputes a month allows.",
	Opened:       "Your dispute was sent to your lead. You will get a mail when it is settled.",
	RefusedTitle: "The dispute was not opened",

	SettleTitleF: "Dispute: %s, %s", SettleIntroF: "%s disputes this place in their month (opened %s). Accept to take it out of the metric for the month; the month is then scored again and any notice follows the new result.",
	DisputedLabel: "Disputed", OpenTicket: "open the ticket", CommentShort: "Comment", NotCountedNow: "no longer counted",
	DecisionLabel: "Your decision", AcceptLabel: "Accept: take it out of the metric", RejectLabel: "Reject: it stays (say why)",
	AnswerPrompt: "Your answer to the engineer", SettleSend: "Settle the dispute", DecidedF: "Settled: %s, %s.",
	SettleRefusedTitle: "The dispute was not settled",
	SettleExpired:      "Dispute links open for 30 days. Settle it with scorecard disputes settle.",
}

var zhCN = &messages{
	Common:       formkit.CommonZhCN,
	TitleF:       "考核依据：%s，%s",
	IntroF:       "本月计入您各项工单指标的每一张工单，依据 %s 的月度计算。每项指标中对您不利的工单排在前面。",
	SummaryF:     "综合得分 %.1f，等级 %s。",
	Insufficient: "本月数据不足：无综合得分。",
	CountF:       "%d 张工单",
	FromHistory:  "本月成绩根据本系统启用前从工单系统导入的历史数据计算。",
	ColTicket:    "工单", ColSaid: "计入内容", Missed: "对您不利", PeopleTitle: "来自人员的评分：组长评分与记录",
	ExpiredTitle: "链接已过期", ExpiredBody: "考核依据链接在所示月份结束后两个月内有效。请向您的组长索取该月的数据。",
	UnavailableTitle: "请稍后再试", UnavailableBody: "暂时无法读取考核依据。",
	MonthF:       "%d年%d月",
	OverrideF:    "您的经理已将等级调整为 %s；以下工单是计算等级的依据。",
	FirstReplyF:  "首次回复用时 %.1f 个工作小时",
	HandledF:     "处理用时 %.1f 个工作小时",
	ComplaintF:   "投诉工单",
	NoComplaint:  "非投诉",
	ComplaintInF: "投诉在 %.1f 小时后解决（目标 %.0f 小时）",
	WithinSLAF:   "创建后 %.1f 小时解决，在 %.0f 小时 SLA 之内",
	BreachedSLAF: "超出 %.0f 小时 SLA %.1f 小时",
	Completed:    "本月已解决",
	StillOpenF:   "创建后 %.1f 小时仍未解决，已超过 %.0f 小时 SLA",
	NotReopenedF: "%.0f 天内未重新打开",
	ReopenedF:    "解决后 %.1f 天重新打开",
	RatedF:       "评分 %d / 5",
	Note:         "在同事工单上的内部备注",
	ReviewedF:    "质检评分：%.1f 分（满分 100）",
	FailedF:      "不合格项：%s",
	SolvedYes:    "客户确认问题已解决",
	SolvedNo:     "客户表示问题未解决",

	DisputeLink: "申诉", DisputesTitle: "您的申诉", FormTitle: "申诉此项",
	FormIntro:   "组长会结合工单依据阅读您的理由和说明，并决定接受或驳回。接受后，该工单不再计入本月此项指标，本月成绩将重新计算。",
	ReasonLabel: "理由", CommentLabel: "说明（需要组长了解的情况）", Send: "提交给组长",
	ReasonNotMine: "不是我的工单（被转派给我或由他人处理）", ReasonDuplicate: "与另一工单重复",
	ReasonUnreachable: "无法联系到客户", ReasonSystem: "工单系统记录有误", ReasonOther: "其他（请说明）",
	StatusOpen: "等待组长处理", StatusAccepted: "已接受：不再计入", StatusRejected: "已驳回", AnswerLabel: "答复",
	LeadAssessment: "组长对本月的评估", LeadLink: "申诉组长评估",
	WindowF:      "您可在 %s 之前对工单的计入提出申诉（本月还可提出 %d 次）。",
	WindowClosed: "本月的申诉期已结束。",
	LimitF:       "您已提出本月允许的 %d 次申诉。",
	Opened:       "您的申诉已发送给组长。处理后您会收到邮件。",
	RefusedTitle: "申诉未能提交",

	SettleTitleF: "申诉：%s，%s", SettleIntroF: "%s 对本月此项计入提出申诉（提交于 %s）。接受后，该项不再计入本月指标，本月成绩重新计算，相关通知按新结果发出。",
	DisputedLabel: "申诉内容", OpenTicket: "打开工单", CommentShort: "说明", NotCountedNow: "已不再计入",
	DecisionLabel: "您的决定", AcceptLabel: "接受：不再计入该指标", RejectLabel: "驳回：保持计入（请说明理由）",
	AnswerPrompt: "给工程师的答复", SettleSend: "提交决定", DecidedF: "已处理：%s，%s。",
	SettleRefusedTitle: "申诉未能处理",
	SettleExpired:      "申诉处理链接有效期为 30 天。请使用 scorecard disputes settle 处理。",
}

func catalog(locale string) *messages { return formkit.Catalog(locale, en, zhCN) }

func (l *messages) month(m month.Month) string {
	if l == en {
		return fmt.Sprintf(l.MonthF, m.Year, m.Month.String())
	}
	return fmt.Sprintf(l.MonthF, m.Year, int(m.Month))
}

// said is what a contribution counted, in words, from its stored figures.
func (l *messages) said(c metric.Contribution) string {
	switch c.Metric {
	case metric.AvgFirstResponseHours, metric.FirstResponse1hRate:
		return fmt.Sprintf(l.FirstReplyF, c.Hours)
	case metric.AvgHandleHours:
		return fmt.Sprintf(l.HandledF, c.Hours)
	case metric.ComplaintRate:
		if c.Num > 0 {
			return l.ComplaintF
		}
		return l.NoComplaint
	case metric.Complaint24hRate:
		return fmt.Sprintf(l.ComplaintInF, c.Hours, c.Limit)
	case metric.ResolutionSLARate:
		if c.Num > 0 {
			return fmt.Sprintf(l.WithinSLAF, c.Hours, c.Limit)
		}
		return fmt.Sprintf(l.BreachedSLAF, c.Limit, max(0, c.Hours-c.Limit))
	case metric.CompletionRate:
		if c.Num > 0 {
			return l.Completed
		}
		return fmt.Sprintf(l.StillOpenF, c.Hours, c.Limit)
	case metric.ResolutionSuccessRate:
		if c.Num > 0 {
			return fmt.Sprintf(l.NotReopenedF, c.Limit/24)
		}
		return fmt.Sprintf(l.ReopenedF, c.Hours/24)
	case metric.CSATScore, metric.CSATSatisfiedRate:
		return fmt.Sprintf(l.RatedF, c.Rating)
	case metric.FollowupConfirmedRate:
		if c.Num > 0 {
			return l.SolvedYes
		}
		return l.SolvedNo
	case metric.CollaborationCases:
		return l.Note
	case metric.QualityReviewScore:
		return fmt.Sprintf(l.ReviewedF, c.Num)
	}
	return fmt.Sprintf("%g / %g", c.Num, c.Den)
}
