package assessmentform_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/app/token"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
)

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

func mailLinks(html string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(html, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

func TestInvitation(t *testing.T) {
	tests := []struct {
		name     string
		a        assessment.Assessment
		reminder bool
		subject  string
		lang     string
		has      []string // in both the HTML and the text
		hasNot   []string
	}{
		{
			name: "a lead's invitation in English", a: lead("en"),
			subject: "Team assessment for October 2026: please rate your engineers", lang: `lang="en"`,
			has: []string{"Hello Zhou Min,", "It is time for the month-end team assessment for October 2026.", "each of your 3 engineers on attitude, problem solving and collaboration from 0 to 100",
				"Li Wei", "Chen Jie", "Wang Fang", "Assess your team", "The form is open until Friday 30 October 2026, 18:00 (Asia/Shanghai, UTC+8).", "do not forward"},
			hasNot: []string{"reminder", "Already submitted"},
		},
		{
			name: "a lead's reminder in English", a: lead("en"), reminder: true,
			subject: "Reminder: the team assessment for October 2026 closes on 30 October", lang: `lang="en"`,
			has: []string{"A reminder: the team assessment for October 2026 closes soon.", "Wang Fang", "Already submitted? Then nothing more is needed", "Friday 30 October 2026, 18:00"},
		},
		{
			name: "a self-assessment invitation in English", a: self("en"),
			subject: "Your self-assessment for October 2026", lang: `lang="en"`,
			has:    []string{"Hello Li Wei,", "your month-end self-assessment for October 2026", "rate your own attitude, problem solving and collaboration", "Assess yourself", "18:00 (Asia/Shanghai, UTC+8)"},
			hasNot: []string{"Chen Jie", "Already submitted"},
		},
		{
			name: "a self-assessment reminder in English", a: self("en"), reminder: true,
			subject: "Reminder: your self-assessment for October 2026 closes on 30 October", lang: `lang="en"`,
			has: []string{"A reminder: your self-assessment for October 2026 closes soon.", "Already submitted?"},
		},
		{
			name: "a lead's invitation in Chinese", a: lead("zh-CN"),
			subject: "请完成2026年10月的主管评估", lang: `lang="zh-CN"`,
			has: []string{"周敏，您好：", "2026年10月的月末主管评估已开始。", "3名工程师", "李伟", "陈杰", "王芳", "开始评估团队", "表单开放至2026年10月30日（星期五）18:00（北京时间），截止后将关闭。", "请勿转发"},
		},
		{
			name: "a lead's reminder in Chinese", a: lead("zh-CN"), reminder: true,
			subject: "提醒：2026年10月的主管评估将于10月30日截止", lang: `lang="zh-CN"`,
			has: []string{"提醒：2026年10月的主管评估即将截止。", "王芳", "如果您已经提交，则无需其他操作"},
		},
		{
			name: "a self-assessment invitation in Chinese", a: self("zh-CN"),
			subject: "请完成2026年10月的自我评估", lang: `lang="zh-CN"`,
			has: []string{"李伟，您好：", "2026年10月的月末自我评估已开始。", "开始自我评估"}, hasNot: []string{"陈杰"},
		},
		{
			name: "a self-assessment reminder in Chinese", a: self("zh-CN"), reminder: true,
			subject: "提醒：2026年10月的自我评估将于10月30日截止", lang: `lang="zh-CN"`,
			has: []string{"提醒：2026年10月的自我评估即将截止。"},
		},
		{
			name: "an unknown locale falls back to English", a: func() assessment.Assessment { a := lead("fr-FR"); return a }(),
			subject: "Team assessment for October 2026: please rate your engineers", lang: `lang="en"`,
		},
		{
			name: "a Chinese variant is Chinese", a: func() assessment.Assessment { a := self("zh-CN"); a.Locale = "zh_Hans"; return a }(),
			subject: "请完成2026年10月的自我评估", lang: `lang="zh-CN"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := assessmentform.Invitation(key, base+"/", tc.a, shanghai, tc.reminder)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tc.subject {
				t.Errorf("subject %q, want %q", m.Subject, tc.subject)
			}
			if !strings.Contains(m.HTML, tc.lang) {
				t.Errorf("HTML lacks %s", tc.lang)
			}
			for _, s := range tc.has {
				if !strings.Contains(html.UnescapeString(m.HTML), s) {
					t.Errorf("HTML lacks %q", s)
				}
				if !strings.Contains(m.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tc.hasNot {
				if strings.Contains(m.HTML, s) || strings.Contains(m.Text, s) {
					t.Errorf("mail has %q", s)
				}
			}
			for _, bad := range []string{"<script", "<style", "<img", "<link", "src=", "ZgotmplZ", "{{", tc.a.AssessorKey} {
				if strings.Contains(m.HTML, bad) {
					t.Errorf("HTML has %q", bad)
				}
			}
			links := mailLinks(m.HTML)
			if len(links) != 1 {
				t.Fatalf("%d links, want 1: %q", len(links), links)
			}
			l := links[0]
			if !strings.HasPrefix(l, base+"/a/") || strings.Contains(l, "//a/") {
				t.Fatalf("link %q is not base/a/token", l)
			}
			if !strings.Contains(m.Text, l) {
				t.Error("the text alternative lacks the link")
			}
			c, err := token.ParseKind(key, strings.TrimPrefix(l, base+"/a/"), token.KindAssessment, now)
			if err != nil {
				t.Fatalf("link: %v", err)
			}
			want := token.Claims{Kind: token.KindAssessment, Subject: tc.a.ID, Expires: deadline.UTC()}
			if diff := cmp.Diff(want, c, cmpopts.IgnoreFields(token.Claims{}, "Nonce")); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			if _, err := token.ParseKind(key, strings.TrimPrefix(l, base+"/a/"), token.KindAssessment, deadline); errcode.Code(err) != errcode.Gone {
				t.Errorf("the link still works at the deadline: %v", err)
			}
		})
	}
}

// Every mail carries a fresh link: a reminder does not repeat the
// invitation's token.
func TestEveryMailHasAFreshLink(t *testing.T) {
	a, _ := assessmentform.Invitation(key, base, lead("en"), shanghai, false)
	b, _ := assessmentform.Invitation(key, base, lead("en"), shanghai, true)
	if mailLinks(a.HTML)[0] == mailLinks(b.HTML)[0] {
		t.Error("two mails share a link")
	}
}

func TestInvitationGreetsWithoutAName(t *testing.T) {
	a := lead("en")
	a.AssessorName = " "
	m, err := assessmentform.Invitation(key, base, a, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.HTML, ">Hello,</p>") || !strings.HasPrefix(m.Text, "Hello,\n") {
		t.Errorf("greeting:\n%s", m.Text)
	}
	if !strings.Contains(m.Text, "Friday 30 October 2026, 10:00 (UTC)") {
		t.Errorf("without a time zone the deadline should be in UTC:\n%s", m.Text)
	}
}

func TestInvitationEscapes(t *testing.T) {
	a := lead("en")
	a.AssessorName = `<b onclick="x">Bob</b>`
	a.Engineers[1].Name = `Eve"><script>alert(1)</script>`
	m, err := assessmentform.Invitation(key, base, a, shanghai, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script") || strings.Contains(m.HTML, "<b ") {
		t.Errorf("HTML is not escaped:\n%s", m.HTML)
	}
}

func TestInvitationRefusesWhatCannotBeLinked(t *testing.T) {
	tests := []struct {
		name string
		edit func(*assessment.Assessment, *string, *[]byte)
		code string
	}{
		{"no id", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.ID = "" }, errcode.Invalid},
		{"an unknown kind", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Kind = "peer" }, errcode.Invalid},
		{"no month", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Month.Year, a.Month.Month = 0, 0 }, errcode.Invalid},
		{"no deadline", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Deadline = time.Time{} }, errcode.Invalid},
		{"no engineers", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Engineers = nil }, errcode.Invalid},
		{"a self-assessment of two", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Kind = assessment.Self }, errcode.Invalid},
		{"an engineer without id", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Engineers[1].ID = "" }, errcode.Invalid},
		{"an engineer twice", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.Engineers[2].ID = a.Engineers[0].ID }, errcode.Invalid},
		{"a relative base", func(_ *assessment.Assessment, b *string, _ *[]byte) { *b = "/a" }, errcode.Invalid},
		{"a base of another scheme", func(_ *assessment.Assessment, b *string, _ *[]byte) { *b = "javascript:alert(1)" }, errcode.Invalid},
		{"an id too long for a token", func(a *assessment.Assessment, _ *string, _ *[]byte) { a.ID = strings.Repeat("x", 300) }, errcode.Invalid},
		{"a deadline before 1970", func(a *assessment.Assessment, _ *string, _ *[]byte) {
			a.Deadline = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)
		}, errcode.Invalid},
		{"no key", func(_ *assessment.Assessment, _ *string, k *[]byte) { *k = nil }, errcode.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b, k := lead("en"), base, key
			tc.edit(&a, &b, &k)
			if _, err := assessmentform.Invitation(k, b, a, shanghai, false); errcode.Code(err) != tc.code {
				t.Errorf("error %v, want %s", err, tc.code)
			}
		})
	}
}
