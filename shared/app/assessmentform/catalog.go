package assessmentform

import (
	"fmt"
	"strconv"
	"time"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/month"
)

// messages is one language's words: the mail's and the pages'. Fields
// ending in F are fmt formats.
type messages struct {
	formkit.Common

	Dash  string // between an engineer's name and a field
	Month func(m month.Month) string
	// When is a deadline or submission time in a time zone: date, time of
	// day and the zone.
	When func(t time.Time, loc *time.Location) string

	// What is assessed.
	KindName       map[assessment.Kind]string // "self-assessment", "team assessment"
	KindTitle      map[assessment.Kind]string // "Self-assessment", "Team assessment"
	Attitude       string
	ProblemSolving string
	Collaboration  string
	Comment        string
	Optional       string
	OutOf          string // "/ 100" after each score input

	// Mail.
	SubjectF         map[assessment.Kind]string // month
	ReminderSubjectF map[assessment.Kind]string // month, deadline date
	GreetingF        string                     // name
	Greeting         string
	InviteSelfF      string // month
	InviteLeadF      string // month, number of engineers
	RemindSelfF      string // month
	RemindLeadF      string // month, number of engineers
	ReminderDone     string
	MailButton       map[assessment.Kind]string
	MailDeadlineF    string // when
	MailPersonal     string
	MailWhy          string

	// The form.
	TitleF        string // kind title, month
	IntroSelfF    string // month
	IntroLeadF    string // number of engineers, month
	DeadlineF     string // when
	ScaleHintF    string // max comment characters
	Submit        string
	ChangeSubmit  string
	SubmittedF    string // when submitted, deadline
	ThanksTitle   string
	ThanksBody    string
	ChangedTitle  string
	ChangedBody   string
	ThanksChangeF string // deadline
	YourScores    string
	NoComment     string

	// Problems (400, 413).
	BadTitle      string
	BadSummaryF   string // number of problems
	BadMissing    string
	BadNumber     string
	BadDecimals   string
	BadLongF      string // length, max
	BadEncoding   string
	BadRepeated   string
	BadUnreadable string
	BadTooLarge   string

	// Other pages.
	ClosedTitle     string
	ClosedF         string // kind name, month, deadline
	ClosedBody      string // when the assessment is not known
	UnavailableBody string
}

// utcOffset writes a zone's offset at t: "UTC", "UTC+8", "UTC+5:30".
func utcOffset(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// zoneName is the IANA name of loc with its offset at t, or just the
// offset for UTC and unnamed zones.
func zoneName(t time.Time, loc *time.Location) string {
	off := utcOffset(t)
	switch name := loc.String(); name {
	case "", "UTC", "Local":
		return off
	default:
		return name + ", " + off
	}
}

// beijing are the names Go gives China's one time zone.
var beijing = map[string]bool{"Asia/Shanghai": true, "Asia/Chongqing": true, "Asia/Chungking": true, "Asia/Harbin": true, "PRC": true}

var en = &messages{
	Common: formkit.CommonEn,
	Dash:   " – ",
	Month:  func(m month.Month) string { return m.Month.String() + " " + strconv.Itoa(m.Year) },
	When: func(t time.Time, loc *time.Location) string {
		t = t.In(loc)
		return t.Format("Monday 2 January 2006, 15:04") + " (" + zoneName(t, loc) + ")"
	},

	KindName:       map[assessment.Kind]string{assessment.Self: "self-assessment", assessment.Lead: "team assessment"},
	KindTitle:      map[assessment.Kind]string{assessment.Self: "Self-assessment", assessment.Lead: "Team assessment"},
	Attitude:       "Attitude",
	ProblemSolving: "Problem solving",
	Collaboration:  "Collaboration",
	Comment:        "Comment",
	Optional:       "(optional)",
	OutOf:          "/ 100",

	SubjectF:         map[assessment.Kind]string{assessment.Self: "Your self-assessment for %s", assessment.Lead: "Team assessment for %s: please rate your engineers"},
	ReminderSubjectF: map[assessment.Kind]string{assessment.Self: "Reminder: your self-assessment for %s closes on %s", assessment.Lead: "Reminder: the team assessment for %s closes on %s"},
	GreetingF:        "Hello %s,",
	Greeting:         "Hello,",
	InviteSelfF:      "It is time for your month-end self-assessment for %s. Please rate your own attitude, problem solving and collaboration from 0 to 100, and add a comment if you like.",
	InviteLeadF:      "It is time for the month-end team assessment for %s. Please rate each of your %s on attitude, problem solving and collaboration from 0 to 100, and add a comment if you like:",
	RemindSelfF:      "A reminder: your self-assessment for %s closes soon. Please rate your own attitude, problem solving and collaboration from 0 to 100.",
	RemindLeadF:      "A reminder: the team assessment for %s closes soon. Please rate each of your %s on attitude, problem solving and collaboration from 0 to 100:",
	ReminderDone:     "Already submitted? Then nothing more is needed; the link shows your answers, and you can change them until the deadline.",
	MailButton:       map[assessment.Kind]string{assessment.Self: "Assess yourself", assessment.Lead: "Assess your team"},
	MailDeadlineF:    "The form is open until %s. After that it is closed.",
	MailPersonal:     "This link is personal: please do not forward this mail.",
	MailWhy:          "You receive this mail because you take part in the monthly performance review (Aftersales Scorecard).",

	TitleF:        "%s · %s",
	IntroSelfF:    "Rate yourself for %s from 0 to 100 on attitude, problem solving and collaboration.",
	IntroLeadF:    "Rate each of your %s for %s from 0 to 100 on attitude, problem solving and collaboration.",
	DeadlineF:     "The form closes on %s.",
	ScaleHintF:    "Scores from 0 to 100, whole numbers or one decimal place (87.5). Every score is required; comments (up to %d characters) are optional.",
	Submit:        "Submit assessment",
	ChangeSubmit:  "Save changes",
	SubmittedF:    "You submitted this assessment on %s. You can change it until %s.",
	ThanksTitle:   "Thank you!",
	ThanksBody:    "Your assessment has been recorded.",
	ChangedTitle:  "Changes saved",
	ChangedBody:   "Your assessment has been updated.",
	ThanksChangeF: "You can change it until %s by opening the link in your mail again.",
	YourScores:    "What you submitted:",
	NoComment:     "—",

	BadTitle:      "Please check the form",
	BadSummaryF:   "Nothing has been saved yet. %s:",
	BadMissing:    "Enter a score from 0 to 100.",
	BadNumber:     "Enter a number from 0 to 100.",
	BadDecimals:   "Use at most one decimal place.",
	BadLongF:      "The comment is %d characters long; please shorten it to at most %d.",
	BadEncoding:   "The comment contains text we cannot read; please type it again.",
	BadRepeated:   "The form was sent with this field twice; please send it again.",
	BadUnreadable: "We could not read the form. Please send it again.",
	BadTooLarge:   "The form is too large. Please shorten your comments.",

	ClosedTitle:     "The assessment is closed",
	ClosedF:         "The %s for %s closed on %s. Scores can no longer be submitted or changed; answers submitted before the deadline have been kept.",
	ClosedBody:      "The deadline of this assessment has passed. Scores can no longer be submitted or changed; answers submitted before the deadline have been kept.",
	UnavailableBody: "We cannot load or save the assessment right now. Please try again in a few minutes; nothing you typed has been saved.",
}

var zhCN = &messages{
	Common: formkit.CommonZhCN,
	Dash:   " – ",
	Month:  func(m month.Month) string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Month)) },
	When: func(t time.Time, loc *time.Location) string {
		t = t.In(loc)
		zone := zoneName(t, loc)
		if beijing[loc.String()] {
			zone = "北京时间"
		}
		weekday := [...]string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()]
		return fmt.Sprintf("%d年%d月%d日（星期%s）%s（%s）", t.Year(), t.Month(), t.Day(), weekday, t.Format("15:04"), zone)
	},

	KindName:       map[assessment.Kind]string{assessment.Self: "自我评估", assessment.Lead: "主管评估"},
	KindTitle:      map[assessment.Kind]string{assessment.Self: "自我评估", assessment.Lead: "主管评估"},
	Attitude:       "工作态度",
	ProblemSolving: "问题解决能力",
	Collaboration:  "团队协作",
	Comment:        "评语",
	Optional:       "（选填）",
	OutOf:          "/ 100",

	SubjectF:         map[assessment.Kind]string{assessment.Self: "请完成%s的自我评估", assessment.Lead: "请完成%s的主管评估"},
	ReminderSubjectF: map[assessment.Kind]string{assessment.Self: "提醒：%s的自我评估将于%s截止", assessment.Lead: "提醒：%s的主管评估将于%s截止"},
	GreetingF:        "%s，您好：",
	Greeting:         "您好：",
	InviteSelfF:      "%s的月末自我评估已开始。请为自己的工作态度、问题解决能力和团队协作分别打分（0–100），并可填写评语。",
	InviteLeadF:      "%s的月末主管评估已开始。请为您团队的%s的工作态度、问题解决能力和团队协作分别打分（0–100），并可填写评语：",
	RemindSelfF:      "提醒：%s的自我评估即将截止。请为自己的工作态度、问题解决能力和团队协作分别打分（0–100）。",
	RemindLeadF:      "提醒：%s的主管评估即将截止。请为您团队的%s的工作态度、问题解决能力和团队协作分别打分（0–100）：",
	ReminderDone:     "如果您已经提交，则无需其他操作；打开链接可以查看您的评分，截止前仍可修改。",
	MailButton:       map[assessment.Kind]string{assessment.Self: "开始自我评估", assessment.Lead: "开始评估团队"},
	MailDeadlineF:    "表单开放至%s，截止后将关闭。",
	MailPersonal:     "此链接仅供您本人使用，请勿转发此邮件。",
	MailWhy:          "您收到此邮件，是因为您参与每月绩效考评（售后服务记分卡）。",

	TitleF:        "%[2]s%[1]s",
	IntroSelfF:    "请为自己%s的工作态度、问题解决能力和团队协作分别打分（0–100）。",
	IntroLeadF:    "请为您团队的%s在%s的工作态度、问题解决能力和团队协作分别打分（0–100）。",
	DeadlineF:     "表单将于%s关闭。",
	ScaleHintF:    "分数为 0 到 100，可填写整数或一位小数（如 87.5）。所有分数均为必填；评语选填，最多 %d 个字。",
	Submit:        "提交评估",
	ChangeSubmit:  "保存修改",
	SubmittedF:    "您已于%s提交此评估。在%s之前仍可修改。",
	ThanksTitle:   "感谢您！",
	ThanksBody:    "您的评估已提交。",
	ChangedTitle:  "修改已保存",
	ChangedBody:   "您的评估已更新。",
	ThanksChangeF: "如需修改，请在%s之前再次打开邮件中的链接。",
	YourScores:    "您提交的评分：",
	NoComment:     "—",

	BadTitle:      "请检查表单",
	BadSummaryF:   "尚未保存任何内容。%s：",
	BadMissing:    "请填写 0 到 100 的分数。",
	BadNumber:     "请输入 0 到 100 之间的数字。",
	BadDecimals:   "最多保留一位小数。",
	BadLongF:      "评语有 %d 个字，请缩短到 %d 个字以内。",
	BadEncoding:   "评语中有无法识别的文字，请重新输入。",
	BadRepeated:   "表单中此字段重复，请重新提交。",
	BadUnreadable: "无法读取表单，请重新提交。",
	BadTooLarge:   "表单内容过长，请缩短评语。",

	ClosedTitle:     "评估已截止",
	ClosedF:         "%[2]s的%[1]s已于%[3]s截止，无法再提交或修改评分；截止前提交的评分已保存。",
	ClosedBody:      "此评估已过截止时间，无法再提交或修改评分；截止前提交的评分已保存。",
	UnavailableBody: "目前无法读取或保存评估，请几分钟后再试；您填写的内容尚未保存。",
}

// engineers words a number of engineers: "3 engineers", "3 名工程师".
func (m *messages) engineers(n int) string {
	if m == zhCN {
		return strconv.Itoa(n) + "名工程师"
	}
	if n == 1 {
		return "1 engineer"
	}
	return strconv.Itoa(n) + " engineers"
}

// problems words a number of problems: "3 fields need attention".
func (m *messages) problems(n int) string {
	if m == zhCN {
		return strconv.Itoa(n) + "处需要修改"
	}
	if n == 1 {
		return "1 field needs attention"
	}
	return strconv.Itoa(n) + " fields need attention"
}

// fieldName is a field's label.
func (m *messages) fieldName(field string) string {
	switch field {
	case FieldAttitude:
		return m.Attitude
	case FieldProblemSolving:
		return m.ProblemSolving
	case FieldCollaboration:
		return m.Collaboration
	}
	return m.Comment
}

// date is a deadline's date alone, for a mail subject.
func (m *messages) date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if m == zhCN {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return t.Format("2 January")
}

// catalog is the messages for a locale; anything but Chinese is English.
func catalog(locale string) *messages { return formkit.Catalog(locale, en, zhCN) }
