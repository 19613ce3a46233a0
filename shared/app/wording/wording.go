// Package wording holds the words every mail and page of the product shares
// in its two languages — the metrics' names, and which language a reader
// gets — without the report's chart and workbook libraries, so that the
// evidence page can name metrics as the scorecard does.
package wording

import (
	"strings"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
)

// MetricNamesEn and MetricNamesZhCN are the metrics' names.
var (
	MetricNamesEn = map[metric.ID]string{
		metric.CSATScore:                  "CSAT score",
		metric.CSATSatisfiedRate:          "Satisfied customers (4–5)",
		metric.ComplaintRate:              "Complaint rate",
		metric.Complaint24hRate:           "Complaints resolved within 24 h",
		metric.RenewalRate:                "Renewal rate",
		metric.ResolutionSLARate:          "Resolved within SLA",
		metric.AvgHandleHours:             "Average handle time",
		metric.CompletionRate:             "Completion rate",
		metric.ResolutionSuccessRate:      "Resolution success (not reopened)",
		metric.FollowupConfirmedRate:      "Confirmed solved by customer",
		metric.LeadProblemSolvingScore:    "Problem solving (lead)",
		metric.QualityReviewScore:         "Ticket quality (reviews)",
		metric.AvgFirstResponseHours:      "Average first response",
		metric.FirstResponse1hRate:        "First response within 1 h",
		metric.TrainingHours:              "Training hours",
		metric.TrainingCompletionRate:     "Training completion",
		metric.KnowledgeScore:             "Knowledge assessment",
		metric.LeadCollaborationScore:     "Collaboration (lead)",
		metric.LeadAttitudeScore:          "Work attitude (lead)",
		metric.KnowledgeSharesPerWeek:     "Knowledge shares per week",
		metric.SkillExchangeParticipation: "Skill-exchange participation",
		metric.CollaborationCases:         "Collaboration cases (bonus)",
	}
	MetricNamesZhCN = map[metric.ID]string{
		metric.CSATScore:                  "客户满意度评分",
		metric.CSATSatisfiedRate:          "满意率（4–5 分）",
		metric.ComplaintRate:              "投诉率",
		metric.Complaint24hRate:           "投诉 24 小时解决率",
		metric.RenewalRate:                "续约率",
		metric.ResolutionSLARate:          "SLA 内解决率",
		metric.AvgHandleHours:             "平均处理时长",
		metric.CompletionRate:             "工单完成率",
		metric.ResolutionSuccessRate:      "解决成功率（未重开）",
		metric.FollowupConfirmedRate:      "回访确认解决率",
		metric.LeadProblemSolvingScore:    "问题解决能力（主管评分）",
		metric.QualityReviewScore:         "工单质量（质检评分）",
		metric.AvgFirstResponseHours:      "平均首次响应时长",
		metric.FirstResponse1hRate:        "1 小时内首次响应率",
		metric.TrainingHours:              "培训时长",
		metric.TrainingCompletionRate:     "培训完成率",
		metric.KnowledgeScore:             "知识考核成绩",
		metric.LeadCollaborationScore:     "团队协作（主管评分）",
		metric.LeadAttitudeScore:          "工作态度（主管评分）",
		metric.KnowledgeSharesPerWeek:     "每周知识分享次数",
		metric.SkillExchangeParticipation: "技能交流参与率",
		metric.CollaborationCases:         "协作案例（加分）",
	}
)

// MetricName is a metric's name in a language Locale gave; its id if it
// has none.
func MetricName(locale string, id metric.ID) string {
	names := MetricNamesEn
	if locale == directory.LocaleZhCN {
		names = MetricNamesZhCN
	}
	if n, ok := names[id]; ok {
		return n
	}
	return string(id)
}

// Locale picks the language of a mail: the engineer's (or manager's) own
// locale when it is one the mails are written in, else the policy's default,
// else English. Matching is case-insensitive and takes the language's
// variants ("zh", "zh-Hans", "zh_CN" → "zh-CN"; "en-GB" → "en").
func Locale(engineerLocale, policyDefault string) string {
	for _, l := range []string{engineerLocale, policyDefault} {
		if c := canonical(l); c != "" {
			return c
		}
	}
	return directory.LocaleEn
}

func canonical(l string) string {
	l = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(l), "_", "-"))
	switch {
	case l == "zh" || strings.HasPrefix(l, "zh-"):
		return directory.LocaleZhCN
	case l == "en" || strings.HasPrefix(l, "en-"):
		return directory.LocaleEn
	}
	return ""
}
