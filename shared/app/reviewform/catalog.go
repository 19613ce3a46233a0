package reviewform

import (
	"fmt"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/month"
)

// messages are the page's words in one language.
type messages struct {
	formkit.Common
	TitleF, IntroF, MonthF, OpenTicket, TimelineTitle, RubricTitle, RubricIntro string
	CriticalNote, CommentLabel, Send, DoneF, FailedF, RefusedTitle              string
	Customer, System, CreatedF, AssignedF, PublicReply, InternalReply           string
	InternalNote, StatusF, PriorityF, RatedF, Failed                            string
	ExpiredTitle, ExpiredBody, UnavailableTitle, UnavailableBody                string
}

var en = &messages{
	Common:        formkit.CommonEn,
	TitleF:        "Quality review: %s (%s)",
	IntroF:        "A ticket %s resolved in %s, drawn for review. Read its timeline, open it in its system if you need the conversation, and rate each category: 0 fails it; a critical category failed scores the whole review 0. Your review counts in the engineer's ticket quality for the month and is shown to them with your comments.",
	MonthF:        "%[2]s %[1]d",
	OpenTicket:    "open the ticket",
	TimelineTitle: "Timeline", RubricTitle: "Rubric",
	RubricIntro:  "Rate each category from 0 (failed) to the top of the scale.",
	CriticalNote: "critical: failed, the review scores 0",
	CommentLabel: "Comment", Send: "Submit the review",
	DoneF:        "Reviewed: %.1f of 100.",
	FailedF:      "Failed: %s.",
	RefusedTitle: "The review was not taken",
	Customer:     "customer", System: "system",
	CreatedF: "created (priority %s)", AssignedF: "assigned to %s",
	PublicReply: "public reply", InternalReply: "internal reply", InternalNote: "internal note",
	StatusF: "status: %s", PriorityF: "priority: %s", RatedF: "survey: rated %d of 5", Failed: "failed",
	ExpiredTitle: "This link has expired", ExpiredBody: "Review links open for 30 days. Ask your manager for a new one.",
	UnavailableTitle: "Please try again in a moment", UnavailableBody: "The review could not be read or stored just now.",
}

var zhCN = &messages{
	Common:        formkit.CommonZhCN,
	TitleF:        "工单质检：%s（%s）",
	IntroF:        "%s 在 %s 解决的一张工单被抽中质检。请阅读时间线，需要时在工单系统中打开查看对话，并为每个类别评分：0 分即不合格；关键类别不合格则整份评审为 0 分。您的评审计入该工程师本月的工单质量，并连同您的说明向其展示。",
	MonthF:        "%[1]d年%[2]d月",
	OpenTicket:    "打开工单",
	TimelineTitle: "时间线", RubricTitle: "评分表",
	RubricIntro:  "每个类别从 0（不合格）到满分评分。",
	CriticalNote: "关键项：不合格则本次评审为 0 分",
	CommentLabel: "说明", Send: "提交评审",
	DoneF:        "已评审：%.1f 分（满分 100）。",
	FailedF:      "不合格项：%s。",
	RefusedTitle: "评审未被接受",
	Customer:     "客户", System: "系统",
	CreatedF: "创建（优先级 %s）", AssignedF: "分配给 %s",
	PublicReply: "公开回复", InternalReply: "内部回复", InternalNote: "内部备注",
	StatusF: "状态：%s", PriorityF: "优先级：%s", RatedF: "满意度调查：%d 分（满分 5 分）", Failed: "不合格",
	ExpiredTitle: "链接已过期", ExpiredBody: "质检链接 30 天内有效。请联系您的主管获取新链接。",
	UnavailableTitle: "请稍后再试", UnavailableBody: "暂时无法读取或保存评审。",
}

func catalog(locale string) *messages { return formkit.Catalog(locale, en, zhCN) }

func (l *messages) month(m month.Month) string {
	if l == en {
		return fmt.Sprintf(l.MonthF, m.Year, m.Month.String())
	}
	return fmt.Sprintf(l.MonthF, m.Year, int(m.Month))
}
