package surveyform

import (
	"fmt"
	"strconv"
	"time"

	"scorecard/shared/app/formkit"
)

// messages is one language's words: the mail's and the pages'. Fields
// ending in F are fmt formats.
type messages struct {
	formkit.Common

	Ratings [5]string
	Date    func(t time.Time) string
	Hours   func(n int) string // "23 hours"
	Minutes func(n int) string

	// Mail.
	SubjectF     string // ticket id
	GreetingF    string // name
	Greeting     string
	MailIntroF   string // ticket id
	MailTap      string
	MailExpiresF string // date
	MailWhy      string
	MailUnsub    string
	MailUnsubCTA string
	ScaleEndsF   string // lowest, highest (text mail)

	// The form.
	FormTitle     string
	FormIntroF    string // ticket id
	RatingLegend  string
	SolvedLegend  string
	Yes, No       string
	Optional      string
	CommentLabel  string
	CommentHintF  string // max characters
	Submit        string
	ChangeSubmit  string
	ChangeTitle   string
	RequiredNote  string
	ChangeLeftF   string // "23 hours"
	AnsweredTitle string
	AnsweredIntro string
	YourRating    string
	YourSolved    string
	YourComment   string
	None          string
	ClosedNote    string
	ThanksTitle   string
	ThanksBody    string
	ThanksChange  string
	ChangedBody   string

	// Problems with a submitted form (400).
	BadTitle        string
	BadRating       string
	BadSolved       string
	BadRepeated     string
	BadEncoding     string
	BadLongF        string // length, max
	BadUnreadable   string
	BadTooLarge     string
	ConflictBody    string
	GoneTitle       string
	GoneBody        string
	UnavailableBody string

	// Unsubscribe.
	UnsubTitle     string
	UnsubBody      string
	UnsubButton    string
	UnsubDoneTitle string
	UnsubDoneBody  string
}

var en = &messages{
	Common:  formkit.CommonEn,
	Ratings: [5]string{"Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"},
	Date:    func(t time.Time) string { return t.Format("2 January 2006") },
	Hours: func(n int) string {
		if n == 1 {
			return "1 hour"
		}
		return strconv.Itoa(n) + " hours"
	},
	Minutes: func(n int) string {
		if n == 1 {
			return "1 minute"
		}
		return strconv.Itoa(n) + " minutes"
	},

	SubjectF:     "How did we do? Your ticket %s",
	GreetingF:    "Hello %s,",
	Greeting:     "Hello,",
	MailIntroF:   "Your ticket %s has been resolved. How satisfied are you with the support you received?",
	MailTap:      "Choose a rating: you can tell us whether your problem was solved and add a comment on the next page.",
	MailExpiresF: "These links work until %s.",
	MailWhy:      "You receive this mail because you contacted our support.",
	MailUnsub:    "No more surveys?",
	MailUnsubCTA: "Unsubscribe",
	ScaleEndsF:   "1 = %s, 5 = %s",

	FormTitle:     "How did we do?",
	FormIntroF:    "About your support ticket %s.",
	RatingLegend:  "How satisfied are you with the support you received?",
	SolvedLegend:  "Was your problem solved?",
	Yes:           "Yes",
	No:            "No",
	Optional:      "(optional)",
	CommentLabel:  "Anything else you would like to tell us?",
	CommentHintF:  "Up to %d characters.",
	Submit:        "Send my answer",
	ChangeSubmit:  "Change my answer",
	ChangeTitle:   "Change your answer",
	RequiredNote:  "Only the rating is required.",
	ChangeLeftF:   "You can change your answer for another %s.",
	AnsweredTitle: "You have already answered",
	AnsweredIntro: "Thank you. This is the answer we received:",
	YourRating:    "Rating",
	YourSolved:    "Problem solved",
	YourComment:   "Comment",
	None:          "—",
	ClosedNote:    "An answer can be changed for 24 hours after it was first given; this one can no longer be changed.",
	ThanksTitle:   "Thank you!",
	ThanksBody:    "Your answer has been recorded. It helps us improve our support.",
	ThanksChange:  "Changed your mind? Open the same link again within 24 hours to change your answer.",
	ChangedBody:   "Your answer has been changed.",

	BadTitle:        "Please check your answer",
	BadRating:       "Please choose a rating from 1 to 5.",
	BadSolved:       "Please answer “Was your problem solved?” with Yes or No, or leave it out.",
	BadRepeated:     "The form was sent with a field twice. Please send it again.",
	BadEncoding:     "Your comment contains text we cannot read. Please type it again.",
	BadLongF:        "Your comment is %d characters long. Please shorten it to at most %d characters.",
	BadUnreadable:   "We could not read the form. Please send it again.",
	BadTooLarge:     "The form is too large. Please shorten your comment.",
	ConflictBody:    "Your answer can no longer be changed: an answer can be changed for 24 hours after it was first given.",
	GoneTitle:       "This link has expired",
	GoneBody:        "Survey links work for a limited time, and this one has expired. Thank you for your interest.",
	UnavailableBody: "We cannot load or save your answer right now. Please try again in a few minutes.",

	UnsubTitle:     "Unsubscribe from surveys",
	UnsubBody:      "Do you want to stop receiving satisfaction surveys about your support tickets? Other mail about your tickets is not affected.",
	UnsubButton:    "Unsubscribe",
	UnsubDoneTitle: "You are unsubscribed",
	UnsubDoneBody:  "You will not receive any more satisfaction surveys from us.",
}

var zhCN = &messages{
	Common:  formkit.CommonZhCN,
	Ratings: [5]string{"非常不满意", "不满意", "一般", "满意", "非常满意"},
	Date:    func(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) },
	Hours:   func(n int) string { return strconv.Itoa(n) + " 小时" },
	Minutes: func(n int) string { return strconv.Itoa(n) + " 分钟" },

	SubjectF:     "您对我们的服务满意吗？（工单 %s）",
	GreetingF:    "%s，您好：",
	Greeting:     "您好：",
	MailIntroF:   "您的工单 %s 已解决。您对本次获得的支持满意吗？",
	MailTap:      "请点击一个评分。在下一页，您还可以告诉我们问题是否已解决，并补充留言。",
	MailExpiresF: "以上链接有效期至 %s。",
	MailWhy:      "您收到此邮件，是因为您曾联系我们的客服。",
	MailUnsub:    "不想再收到调查？",
	MailUnsubCTA: "退订",
	ScaleEndsF:   "1 = %s，5 = %s",

	FormTitle:     "您对我们的服务满意吗？",
	FormIntroF:    "关于您的支持工单 %s。",
	RatingLegend:  "您对本次获得的支持满意吗？",
	SolvedLegend:  "您的问题解决了吗？",
	Yes:           "已解决",
	No:            "未解决",
	Optional:      "（选填）",
	CommentLabel:  "还有什么想告诉我们的吗？",
	CommentHintF:  "最多 %d 个字。",
	Submit:        "提交",
	ChangeSubmit:  "修改回答",
	ChangeTitle:   "修改您的回答",
	RequiredNote:  "只有评分为必填项。",
	ChangeLeftF:   "您还可以在 %s内修改回答。",
	AnsweredTitle: "您已回答过此调查",
	AnsweredIntro: "感谢您的反馈。我们收到的回答如下：",
	YourRating:    "评分",
	YourSolved:    "问题是否解决",
	YourComment:   "留言",
	None:          "—",
	ClosedNote:    "回答在首次提交后 24 小时内可以修改，此回答已无法修改。",
	ThanksTitle:   "感谢您的反馈！",
	ThanksBody:    "您的回答已记录，这将帮助我们改进服务。",
	ThanksChange:  "如需修改，请在 24 小时内再次打开同一链接。",
	ChangedBody:   "您的回答已修改。",

	BadTitle:        "请检查您的回答",
	BadRating:       "请选择 1 到 5 的评分。",
	BadSolved:       "“您的问题解决了吗？”请选择“已解决”或“未解决”，也可以不填。",
	BadRepeated:     "表单中有重复的字段，请重新提交。",
	BadEncoding:     "您的留言中有无法识别的文字，请重新输入。",
	BadLongF:        "您的留言有 %d 个字，请缩短到 %d 个字以内。",
	BadUnreadable:   "无法读取表单，请重新提交。",
	BadTooLarge:     "表单内容过长，请缩短留言。",
	ConflictBody:    "您的回答已无法修改：回答在首次提交后 24 小时内可以修改。",
	GoneTitle:       "链接已过期",
	GoneBody:        "调查链接仅在一段时间内有效，此链接已过期。感谢您的关注。",
	UnavailableBody: "目前无法读取或保存您的回答，请几分钟后再试。",

	UnsubTitle:     "退订满意度调查",
	UnsubBody:      "您确定不再接收关于支持工单的满意度调查吗？与工单相关的其他邮件不受影响。",
	UnsubButton:    "退订",
	UnsubDoneTitle: "您已退订",
	UnsubDoneBody:  "您将不会再收到我们的满意度调查。",
}

// catalog is the messages for a locale; anything but Chinese is English.
func catalog(locale string) *messages { return formkit.Catalog(locale, en, zhCN) }
