package report

import (
	"strings"

	"scorecard/shared/app/wording"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/scoring"
)

// The message catalog: every word a mail shows, in both languages. English
// metric definitions are metric.Defs' own (the one place they are written
// down); the Chinese ones are translations of the same text.

// messages is one language's catalog. Fields ending in F are fmt formats.
type messages struct {
	Lang string // the html lang attribute

	// Common.
	NA                 string
	PolicyVersionF     string // policy version
	FooterInsufficient string
	FooterAutomatic    string
	MonthF             func(year, month int) string

	// Team report.
	TeamSubjectF        string // team, month
	TeamTitleF          string // team
	TeamIntro           string
	TeamSummaryF        string // engineers, meet, below, insufficient
	TeamMeanF           string // mean composite
	TeamStreaksF        string // warnings, position adjustments
	FromHistory         string // a month scored from imported history
	EvidenceLink        string // the link to every ticket behind the card
	EvidenceShort       string // the same, beside an engineer in the team report
	ColEngineer         string
	ColComposite        string
	ColGrade            string
	ColChange           string
	ColMissed           string
	ColConsequences     string
	NoneMissed          string
	NewThisMonth        string
	InsufficientShort   string
	InsufficientTickets string // %d tickets
	OverrideF           string // by, reason
	OverrideNoBy        string // reason
	ComputedGradeF      string // computed grade
	ComputedInsuff      string
	HistogramTitle      string
	HistogramCaptionF   string // insufficient count
	HistogramCaption    string
	HistogramAlt        string
	TrendTitle          string
	TrendAlt            string
	TrendCaptionTeam    string
	TrendMean           string
	TrendPlusSD         string
	TrendMinusSD        string
	TrendPassMarkF      string // pass mark
	AttachmentNoteF     string // file name
	GapsTitle           string
	GapsIntroF          string // threshold
	ColAspect           string
	ColSelf             string
	ColLead             string
	ColGap              string
	Aspects             map[string]string

	// Engineer scorecard.
	CardSubjectF        string // month
	CardTitle           string
	CardGreetingF       string // name
	CardIntroF          string // month
	MeetsF              string // pass mark
	BelowF              string // pass mark
	InsufficientLong    string
	MetricsTitle        string
	ColMetric           string
	ColValue            string
	ColTarget           string
	ColPoints           string
	ColStatus           string
	SampleNoteF         string // n, scored value
	BonusTarget         string
	ImproveTitle        string
	ImproveNone         string
	ImproveInsufficient string
	YourValueF          string // value, target
	TicketsF            string // ticket ids
	MoreTicketsF        string // count
	MoreMetricsF        string // count
	ConsequencesTitle   string
	ConsequencesNone    string
	GradeOverriddenF    string // grade, reason, computed
	GradeOverriddenInsF string // grade, reason

	// Notice.
	WarningSubjectF    string // month, name
	AdjustmentSubjectF string // month, name
	WarningTitle       string
	AdjustmentTitle    string
	NoticeGreetingF    string // name
	WarningWhatF       string // month
	AdjustmentWhatF    string // month
	WhyTitle           string
	WhyStreakF         string // streak, months
	WhyThisMonthF      string // composite, grade
	WhyThisMonthInsuff string
	MissedTitle        string
	PlanTitle          string
	PlanNone           string
	NextTitle          string
	WarningNext        []string
	AdjustmentNext     []string

	// Consequence phrases (team table, scorecard, workbook).
	ConsInsufficient   string
	ConsMentoring      string
	ConsWarningF       string // streak, months
	ConsAdjustmentF    string // streak, months
	ConsTrainingF      string // metrics
	ConsTrainingNone   string
	ConsBonusF         string // amount, multiplier
	ConsPromotion      string
	ConsRecognitionF   string // rank
	ConsOtherF         string // kind
	ListSep            string // between items of a list in a sentence
	Colon, Comma       string // punctuation of the plain-text mails
	Statuses           map[string]string
	Dimensions         map[string]string
	MetricNames        map[metric.ID]string
	MetricDefinitions  map[metric.ID]string // nil: metric.Defs' English text
	UnitHoursF         string
	UnitPerWeekF       string
	WorkbookSummary    []string
	WorkbookMetrics    []string
	WorkbookTickets    []string
	WorkbookYes        string
	WorkbookNo         string
	WorkbookConsSep    string
	WorkbookOverrideBy string
}

var en = &messages{
	Lang:               "en",
	NA:                 "—",
	PolicyVersionF:     "Policy version %s",
	FooterInsufficient: "A month with insufficient data (leave, too few tickets) is never counted as a failure: it neither counts toward nor resets a below-standard streak.",
	FooterAutomatic:    "This mail was generated automatically by Aftersales Scorecard.",
	MonthF: func(y, m int) string {
		return [...]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"}[m-1] + " " + itoa(y)
	},

	TeamSubjectF:        "Team report %s — %s",
	TeamTitleF:          "Team report: %s",
	TeamIntro:           "The month's results of your team, computed from the tickets, surveys and assessments under the policy below. The attached workbook has every metric with its inputs and the tickets behind each missed one.",
	TeamSummaryF:        "%d engineers: %d meet the standard, %d below, %d with insufficient data.",
	TeamMeanF:           " Team mean composite %s.",
	TeamStreaksF:        " Performance warnings: %d; position adjustments: %d.",
	EvidenceLink:        "Every ticket behind these numbers",
	EvidenceShort:       "evidence",
	FromHistory:         " This month ended before the scorecard was in use: it was scored from history imported from the ticketing system, to show what the plan would have said. Its consequences count toward later months; no notice was sent for it.",
	ColEngineer:         "Engineer",
	ColComposite:        "Composite",
	ColGrade:            "Grade",
	ColChange:           "Change",
	ColMissed:           "Missed metrics",
	ColConsequences:     "Consequences",
	NoneMissed:          "none",
	NewThisMonth:        "new",
	InsufficientShort:   "insufficient data",
	InsufficientTickets: "%d tickets",
	OverrideF:           "override by %s: %s",
	OverrideNoBy:        "override: %s",
	ComputedGradeF:      "computed %s",
	ComputedInsuff:      "computed: insufficient data",
	HistogramTitle:      "Score distribution by grade band",
	HistogramCaptionF:   "Engineers per grade band of the computed composite; %d with insufficient data are not shown.",
	HistogramCaption:    "Engineers per grade band of the computed composite.",
	HistogramAlt:        "Bar chart: engineers per grade band",
	TrendTitle:          "Composite, last six months",
	TrendAlt:            "Line chart: composite over the last six months",
	TrendCaptionTeam:    "Team mean and mean ± one standard deviation of the engineers' composites.",
	TrendMean:           "team mean",
	TrendPlusSD:         "mean + 1 SD",
	TrendMinusSD:        "mean − 1 SD",
	TrendPassMarkF:      "pass mark %s",
	AttachmentNoteF:     "Attached: %s (sheets Summary and Metrics).",
	GapsTitle:           "Self-assessment vs lead assessment",
	GapsIntroF:          "Gaps of %s points or more are highlighted.",
	ColAspect:           "Aspect",
	ColSelf:             "Self",
	ColLead:             "Lead",
	ColGap:              "Gap",
	Aspects: map[string]string{
		"attitude":        "Work attitude",
		"problem_solving": "Problem solving",
		"collaboration":   "Collaboration",
	},

	CardSubjectF:        "Your scorecard — %s",
	CardTitle:           "Your monthly scorecard",
	CardGreetingF:       "Hello %s,",
	CardIntroF:          "here is your result for %s: each metric against its target, what to improve, and what follows from it.",
	MeetsF:              "Meets the standard (pass mark %s)",
	BelowF:              "Below the standard (pass mark %s)",
	InsufficientLong:    "Insufficient data this month (leave or too few tickets). This is not a failure: the month neither counts toward nor resets a below-standard streak.",
	MetricsTitle:        "Metrics",
	ColMetric:           "Metric",
	ColValue:            "Value",
	ColTarget:           "Target",
	ColPoints:           "Points",
	ColStatus:           "Status",
	SampleNoteF:         "small sample (n = %d): scored as %s",
	BonusTarget:         "bonus",
	ImproveTitle:        "What to improve",
	ImproveNone:         "Every metric with data met its target. Well done.",
	ImproveInsufficient: "Nothing to judge this month: too little data.",
	YourValueF:          "Your value %s, target %s.",
	TicketsF:            "Tickets: %s",
	MoreTicketsF:        " and %d more",
	MoreMetricsF:        "+%d more",
	ConsequencesTitle:   "Consequences",
	ConsequencesNone:    "None this month.",
	GradeOverriddenF:    "Grade %s set by your manager: %s (computed grade %s).",
	GradeOverriddenInsF: "Grade %s set by your manager: %s (computed: insufficient data).",

	WarningSubjectF:    "Performance warning — %s — %s",
	AdjustmentSubjectF: "Position adjustment — %s — %s",
	WarningTitle:       "Performance warning",
	AdjustmentTitle:    "Position adjustment",
	NoticeGreetingF:    "Hello %s,",
	WarningWhatF:       "With the results of %s you receive a performance warning, with a training plan.",
	AdjustmentWhatF:    "With the results of %s a position adjustment has been flagged for HR, with a training plan.",
	WhyTitle:           "Why",
	WhyStreakF:         "Your composite has been below the standard for %d consecutive months: %s.",
	WhyThisMonthF:      "This month: composite %s, grade %s.",
	WhyThisMonthInsuff: "This month: insufficient data.",
	MissedTitle:        "Metrics below target",
	PlanTitle:          "Training plan",
	PlanNone:           "No single metric was below its target; your manager will agree the plan with you.",
	NextTitle:          "What happens next",
	WarningNext: []string{
		"Your manager will go through the training plan with you.",
		"A month that meets the standard ends the streak.",
		"If the streak goes on, a position adjustment is flagged for HR.",
		"Months with insufficient data (leave, too few tickets) neither count nor reset the streak.",
	},
	AdjustmentNext: []string{
		"HR and your manager will contact you about the position adjustment.",
		"The training plan continues; your manager will go through it with you.",
		"A month that meets the standard ends the streak.",
		"Months with insufficient data (leave, too few tickets) neither count nor reset the streak.",
	},

	ConsInsufficient: "insufficient data: not counted",
	ConsMentoring:    "mentoring (new hire, exempt)",
	ConsWarningF:     "performance warning (%d months: %s)",
	ConsAdjustmentF:  "position adjustment flagged for HR (%d months: %s)",
	ConsTrainingF:    "training plan: %s",
	ConsTrainingNone: "training plan",
	ConsBonusF:       "bonus %s (× %s)",
	ConsPromotion:    "promotion priority",
	ConsRecognitionF: "annual recognition, rank %d",
	ConsOtherF:       "%s",
	ListSep:          ", ",
	Colon:            ": ",
	Comma:            ", ",
	Statuses: map[string]string{
		scoring.Met:          "met",
		scoring.Missed:       "missed",
		scoring.Insufficient: "insufficient sample",
		scoring.NoData:       "no data",
		scoring.Bonus:        "bonus",
	},
	Dimensions: map[string]string{
		metric.CustomerSatisfaction: "Customer satisfaction",
		metric.ProblemResolution:    "Problem resolution",
		metric.ResponseTime:         "Response time",
		metric.ContinuousLearning:   "Continuous learning",
		metric.TeamCollaboration:    "Team collaboration",
	},
	MetricNames:  wording.MetricNamesEn,
	UnitHoursF:   "%s h",
	UnitPerWeekF: "%s / week",
	WorkbookSummary: []string{"Engineer ID", "Name", "Composite", "Grade", "Meets standard", "Change",
		"Consequences", "Policy version", "Effective grade", "Override", "Insufficient data", "Tickets"},
	WorkbookMetrics: []string{"Engineer ID", "Name", "Dimension", "Metric", "Metric ID", "Value", "Scored value",
		"Points", "Numerator", "Denominator", "n", "Target", "Floor", "Status", "Offending ticket IDs"},
	WorkbookTickets:    []string{"Engineer ID", "Name", "Metric", "Metric ID", "System", "Ticket"},
	WorkbookYes:        "yes",
	WorkbookNo:         "no",
	WorkbookConsSep:    "; ",
	WorkbookOverrideBy: "by %s: %s",
}

var zhCN = &messages{
	Lang:               "zh-CN",
	NA:                 "—",
	PolicyVersionF:     "考核政策版本 %s",
	FooterInsufficient: "数据不足的月份（休假、工单过少）绝不视为未达标：既不计入、也不中断连续未达标月数。",
	FooterAutomatic:    "本邮件由售后绩效考核系统自动生成。",
	MonthF: func(y, m int) string {
		return itoa(y) + "年" + itoa(m) + "月"
	},

	TeamSubjectF:        "团队绩效报告 %s — %s",
	TeamTitleF:          "团队绩效报告：%s",
	TeamIntro:           "以下是您团队本月的考核结果，依据下列考核政策，由工单、客户调查和评估数据计算得出。附件工作簿列出每项指标及其原始数据，以及每项未达标指标涉及的工单。",
	TeamSummaryF:        "共 %d 名工程师：%d 名达标，%d 名未达标，%d 名数据不足。",
	TeamMeanF:           "团队平均综合得分 %s。",
	TeamStreaksF:        "绩效警告 %d 人，岗位调整 %d 人。",
	EvidenceLink:        "查看这些数字背后的每一张工单",
	EvidenceShort:       "考核依据",
	FromHistory:         "本月结束于本系统启用之前：成绩根据从工单系统导入的历史数据计算，仅供了解考核方案的结果。其后果计入以后各月，但本月不发送任何通知。",
	ColEngineer:         "工程师",
	ColComposite:        "综合得分",
	ColGrade:            "等级",
	ColChange:           "较上月",
	ColMissed:           "未达标指标",
	ColConsequences:     "考核结果",
	NoneMissed:          "无",
	NewThisMonth:        "新",
	InsufficientShort:   "数据不足",
	InsufficientTickets: "%d 张工单",
	OverrideF:           "%s 调整：%s",
	OverrideNoBy:        "人工调整：%s",
	ComputedGradeF:      "计算等级 %s",
	ComputedInsuff:      "计算结果：数据不足",
	HistogramTitle:      "得分分布（按等级区间）",
	HistogramCaptionF:   "按计算综合得分所在等级区间统计的人数；%d 名数据不足的工程师未计入。",
	HistogramCaption:    "按计算综合得分所在等级区间统计的人数。",
	HistogramAlt:        "柱状图：各等级区间人数",
	TrendTitle:          "近六个月综合得分",
	TrendAlt:            "折线图：近六个月综合得分",
	TrendCaptionTeam:    "团队平均分及平均分 ± 一个标准差。",
	TrendMean:           "团队平均",
	TrendPlusSD:         "平均 + 1 标准差",
	TrendMinusSD:        "平均 − 1 标准差",
	TrendPassMarkF:      "达标线 %s",
	AttachmentNoteF:     "附件：%s（工作表 Summary 与 Metrics）。",
	GapsTitle:           "自评与主管评分对比",
	GapsIntroF:          "相差 %s 分及以上的已标出。",
	ColAspect:           "评估项",
	ColSelf:             "自评",
	ColLead:             "主管",
	ColGap:              "差距",
	Aspects: map[string]string{
		"attitude":        "工作态度",
		"problem_solving": "问题解决",
		"collaboration":   "团队协作",
	},

	CardSubjectF:        "您的绩效考核结果 — %s",
	CardTitle:           "月度绩效考核结果",
	CardGreetingF:       "%s，您好：",
	CardIntroF:          "以下是您%s的考核结果：每项指标与目标的对比、需要改进之处以及相应的考核结果。",
	MeetsF:              "达标（达标线 %s）",
	BelowF:              "未达标（达标线 %s）",
	InsufficientLong:    "本月数据不足（休假或工单过少）。这不视为未达标：本月既不计入、也不中断连续未达标月数。",
	MetricsTitle:        "考核指标",
	ColMetric:           "指标",
	ColValue:            "实际值",
	ColTarget:           "目标",
	ColPoints:           "得分",
	ColStatus:           "状态",
	SampleNoteF:         "样本较少（n = %d）：按 %s 计分",
	BonusTarget:         "加分项",
	ImproveTitle:        "需要改进",
	ImproveNone:         "所有有数据的指标均已达到目标，继续保持！",
	ImproveInsufficient: "本月数据太少，不作评判。",
	YourValueF:          "您的实际值 %s，目标 %s。",
	TicketsF:            "相关工单：%s",
	MoreTicketsF:        " 等另外 %d 张",
	MoreMetricsF:        "等另外 %d 项",
	ConsequencesTitle:   "考核结果",
	ConsequencesNone:    "本月无。",
	GradeOverriddenF:    "等级 %s 由主管调整：%s（计算等级 %s）。",
	GradeOverriddenInsF: "等级 %s 由主管调整：%s（计算结果：数据不足）。",

	WarningSubjectF:    "绩效警告 — %s — %s",
	AdjustmentSubjectF: "岗位调整 — %s — %s",
	WarningTitle:       "绩效警告",
	AdjustmentTitle:    "岗位调整",
	NoticeGreetingF:    "%s，您好：",
	WarningWhatF:       "根据%s的考核结果，您收到一次绩效警告，并附培训计划。",
	AdjustmentWhatF:    "根据%s的考核结果，已提请人力资源部进行岗位调整，并附培训计划。",
	WhyTitle:           "原因",
	WhyStreakF:         "您的综合得分已连续 %d 个月未达标：%s。",
	WhyThisMonthF:      "本月：综合得分 %s，等级 %s。",
	WhyThisMonthInsuff: "本月：数据不足。",
	MissedTitle:        "未达标指标",
	PlanTitle:          "培训计划",
	PlanNone:           "没有单项指标低于目标；主管将与您商定培训计划。",
	NextTitle:          "后续安排",
	WarningNext: []string{
		"主管将与您一起制定并落实培训计划。",
		"任一达标月份即结束连续未达标。",
		"如继续未达标，将提请人力资源部进行岗位调整。",
		"数据不足的月份（休假、工单过少）既不计入、也不中断连续未达标月数。",
	},
	AdjustmentNext: []string{
		"人力资源部和主管将就岗位调整与您联系。",
		"培训计划继续执行，主管将与您一起落实。",
		"任一达标月份即结束连续未达标。",
		"数据不足的月份（休假、工单过少）既不计入、也不中断连续未达标月数。",
	},

	ConsInsufficient: "数据不足：不计入",
	ConsMentoring:    "入职辅导期（免于考核后果）",
	ConsWarningF:     "绩效警告（连续 %d 个月：%s）",
	ConsAdjustmentF:  "已提请人力资源部岗位调整（连续 %d 个月：%s）",
	ConsTrainingF:    "培训计划：%s",
	ConsTrainingNone: "培训计划",
	ConsBonusF:       "奖金 %s（× %s）",
	ConsPromotion:    "晋升优先",
	ConsRecognitionF: "年度表彰，第 %d 名",
	ConsOtherF:       "%s",
	ListSep:          "、",
	Colon:            "：",
	Comma:            "，",
	Statuses: map[string]string{
		scoring.Met:          "达标",
		scoring.Missed:       "未达标",
		scoring.Insufficient: "样本不足",
		scoring.NoData:       "无数据",
		scoring.Bonus:        "加分",
	},
	Dimensions: map[string]string{
		metric.CustomerSatisfaction: "客户满意度",
		metric.ProblemResolution:    "问题解决",
		metric.ResponseTime:         "响应速度",
		metric.ContinuousLearning:   "持续学习",
		metric.TeamCollaboration:    "团队协作",
	},
	MetricNames: wording.MetricNamesZhCN,
	MetricDefinitions: map[metric.ID]string{
		metric.CSATScore:                  "客户调查评分的平均值，折算为 0–100（1–5 分的评分 r 折算为 (r−1)·25），按收到答复的月份统计",
		metric.CSATSatisfiedRate:          "客户调查评分为 4 分或 5 分的比例",
		metric.ComplaintRate:              "投诉工单数 / 处理工单数（当月最终解决并计入该工程师的工单）",
		metric.Complaint24hRate:           "创建后 24 个自然小时内解决的投诉 / 已解决的投诉",
		metric.RenewalRate:                "该工程师服务过的客户中，续约数 / 到期应续约数（导入数据）",
		metric.ResolutionSLARate:          "在其优先级 SLA 内解决的工单 / （已解决工单 + SLA 到期仍未解决的工单）",
		metric.AvgHandleHours:             "从创建到最终解决的平均时长，不计“等待客户回复”（pending）状态的时间",
		metric.CompletionRate:             "已解决工单 / 分配给该工程师且当月到期的工单",
		metric.ResolutionSuccessRate:      "当月首次解决、且在重开窗口（7 天）内未被重开的工单比例",
		metric.FollowupConfirmedRate:      "回访中回答“问题已解决：是”的数量 / 回答该问题的数量",
		metric.LeadProblemSolvingScore:    "主管对问题解决能力的评分（0–100）",
		metric.QualityReviewScore:         "抽检工单按政策评分表的质检平均分（0–100），每张工单取其各次评审的平均",
		metric.AvgFirstResponseHours:      "从创建到客服首次公开回复的平均时长",
		metric.FirstResponse1hRate:        "在 1 小时内得到首次回复的工单比例",
		metric.TrainingHours:              "当月参加培训的小时数",
		metric.TrainingCompletionRate:     "已完成的指派课程 / 指派课程",
		metric.KnowledgeScore:             "最近一次知识考核成绩（0–100）",
		metric.LeadCollaborationScore:     "主管对团队协作的评分（0–100）",
		metric.LeadAttitudeScore:          "主管对工作态度的评分（0–100）",
		metric.KnowledgeSharesPerWeek:     "每周知识分享（文章 / 讲座）次数",
		metric.SkillExchangeParticipation: "参加的技能交流场次 / 举办的场次",
		metric.CollaborationCases:         "记录的协作案例 + 在他人工单上写过内部备注的工单数",
	},
	UnitHoursF:   "%s 小时",
	UnitPerWeekF: "%s 次/周",
	WorkbookSummary: []string{"工程师编号", "姓名", "综合得分", "等级", "是否达标", "较上月",
		"考核结果", "政策版本", "最终等级", "人工调整", "数据不足", "工单数"},
	WorkbookMetrics: []string{"工程师编号", "姓名", "维度", "指标", "指标编号", "实际值", "计分值",
		"得分", "分子", "分母", "样本数", "目标", "下限", "状态", "相关工单"},
	WorkbookTickets:    []string{"工程师编号", "姓名", "指标", "指标编号", "系统", "工单"},
	WorkbookYes:        "是",
	WorkbookNo:         "否",
	WorkbookConsSep:    "；",
	WorkbookOverrideBy: "%s：%s",
}

// catalog returns the messages of a locale as returned by Locale.
func catalog(locale string) *messages {
	if locale == directory.LocaleZhCN {
		return zhCN
	}
	return en
}

// Locale picks the language of a mail (wording.Locale).
func Locale(engineerLocale, policyDefault string) string {
	return wording.Locale(engineerLocale, policyDefault)
}

func (m *messages) metricName(id string) string {
	if n, ok := m.MetricNames[metric.ID(id)]; ok {
		return n
	}
	return id
}

func (m *messages) metricDefinition(id string) string {
	if d, ok := m.MetricDefinitions[metric.ID(id)]; ok {
		return d
	}
	if d, ok := metric.Lookup(metric.ID(id)); ok {
		return d.Definition
	}
	return ""
}

func (m *messages) dimensionName(id string) string {
	if n, ok := m.Dimensions[id]; ok {
		return n
	}
	return id
}

func (m *messages) status(s string) string {
	if n, ok := m.Statuses[s]; ok {
		return n
	}
	return s
}

func (m *messages) month(y, mo int) string {
	if mo < 1 || mo > 12 {
		return m.NA
	}
	return m.MonthF(y, mo)
}

// consequence is one consequence as a short phrase, capitalised.
func (m *messages) consequence(c consequence.Consequence) string {
	return capitalize(m.consequencePhrase(c))
}

func (m *messages) consequencePhrase(c consequence.Consequence) string {
	switch c.Kind {
	case consequence.InsufficientData:
		return m.ConsInsufficient
	case consequence.Mentoring:
		return m.ConsMentoring
	case consequence.Warning:
		return sprintf(m.ConsWarningF, c.Streak, strings.Join(c.Months, m.ListSep))
	case consequence.PositionAdjustment:
		return sprintf(m.ConsAdjustmentF, c.Streak, strings.Join(c.Months, m.ListSep))
	case consequence.TrainingPlan:
		if len(c.Metrics) == 0 {
			return m.ConsTrainingNone
		}
		return sprintf(m.ConsTrainingF, m.metricList(c.Metrics))
	case consequence.Bonus:
		return sprintf(m.ConsBonusF, money(c.Amount), trimNum(c.Multiplier))
	case consequence.PromotionPriority:
		return m.ConsPromotion
	case consequence.AnnualRecognition:
		return sprintf(m.ConsRecognitionF, c.Rank)
	}
	return sprintf(m.ConsOtherF, string(c.Kind))
}

func (m *messages) metricList(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = m.metricName(id)
	}
	return strings.Join(names, m.ListSep)
}
