package surveyform_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/app/surveyform"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
)

func TestMail(t *testing.T) {
	tests := []struct {
		name, locale, subject, lang string
		has                         []string
	}{
		{"English", "en", "How did we do? Your ticket 48213", `lang="en"`, []string{"Hello Ann Lee,", "Your ticket 48213 has been resolved.", "1 = Very dissatisfied", "5 = Very satisfied", "These links work until 2 November 2026.", ">Unsubscribe</a>"}},
		{"Chinese", "zh-CN", "您对我们的服务满意吗？（工单 48213）", `lang="zh-CN"`, []string{"张敏，您好：", "您的工单 48213 已解决。", "1 = 非常不满意", "以上链接有效期至 2026年11月2日。", ">退订</a>"}},
		{"a Chinese variant is Chinese", "zh-Hans", "您对我们的服务满意吗？（工单 48213）", `lang="zh-CN"`, nil},
		{"an unknown locale falls back to English", "fr-FR", "How did we do? Your ticket 48213", `lang="en"`, nil},
		{"no locale is English", "", "How did we do? Your ticket 48213", `lang="en"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sample(tc.locale)
			m, err := surveyform.Mail(key, base+"/", s)
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
				if !strings.Contains(m.HTML, s) {
					t.Errorf("HTML lacks %q", s)
				}
			}
			for _, bad := range []string{"<script", "<style", "<img", "<link", "src=", "ZgotmplZ", "{{"} {
				if strings.Contains(m.HTML, bad) {
					t.Errorf("HTML has %q", bad)
				}
			}
			links := mailLinks(t, m.HTML)
			if len(links) != 6 {
				t.Fatalf("%d links, want 6", len(links))
			}
			for i, l := range links {
				if !strings.HasPrefix(l, base+"/s/") || strings.Contains(l, "//s/") {
					t.Fatalf("link %q is not base/s/token", l)
				}
				if !strings.Contains(m.Text, l) {
					t.Errorf("the text alternative lacks link %d", i+1)
				}
				c, err := token.Parse(key, strings.TrimPrefix(l, base+"/s/"), now)
				if err != nil {
					t.Fatalf("link %d: %v", i+1, err)
				}
				want := token.Claims{Kind: token.KindSurvey, Subject: s.ID, Rating: i + 1, Expires: s.ExpiresAt}
				if i == 5 {
					want = token.Claims{Kind: token.KindUnsubscribe, Subject: s.CustomerKey, Expires: s.ExpiresAt}
				}
				if diff := cmp.Diff(want, c, cmpopts.IgnoreFields(token.Claims{}, "Nonce")); diff != "" {
					t.Errorf("link %d claims (-want +got):\n%s", i+1, diff)
				}
			}
			if !strings.Contains(m.Text, "48213") {
				t.Errorf("the text alternative does not name the ticket:\n%s", m.Text)
			}
		})
	}
}

func TestMailGreetsWithoutAName(t *testing.T) {
	s := sample("en")
	s.CustomerName = "  "
	m, err := surveyform.Mail(key, base, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.HTML, ">Hello,</p>") || !strings.HasPrefix(m.Text, "Hello,\n") {
		t.Errorf("greeting:\n%s", m.Text)
	}
}

func TestMailEscapes(t *testing.T) {
	s := sample("en")
	s.CustomerName = `<b onclick="x">Bob</b>`
	s.TicketID = `T-1"><script>`
	m, err := surveyform.Mail(key, base, s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script") || strings.Contains(m.HTML, "<b ") {
		t.Errorf("HTML is not escaped:\n%s", m.HTML)
	}
}

func TestMailRefusesWhatCannotBeLinked(t *testing.T) {
	tests := []struct {
		name string
		edit func(*survey.Survey, *string, *[]byte)
		code string
	}{
		{"no survey id", func(s *survey.Survey, _ *string, _ *[]byte) { s.ID = "" }, errcode.Invalid},
		{"no customer key", func(s *survey.Survey, _ *string, _ *[]byte) { s.CustomerKey = "" }, errcode.Invalid},
		{"no expiry", func(s *survey.Survey, _ *string, _ *[]byte) { s.ExpiresAt = time.Time{} }, errcode.Invalid},
		{"a relative base", func(_ *survey.Survey, b *string, _ *[]byte) { *b = "/s" }, errcode.Invalid},
		{"a base of another scheme", func(_ *survey.Survey, b *string, _ *[]byte) { *b = "javascript:alert(1)" }, errcode.Invalid},
		{"a survey id too long for a token", func(s *survey.Survey, _ *string, _ *[]byte) { s.ID = strings.Repeat("x", 300) }, errcode.Invalid},
		{"no key", func(_ *survey.Survey, _ *string, k *[]byte) { *k = nil }, errcode.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, b, k := sample("en"), base, key
			tc.edit(&s, &b, &k)
			if _, err := surveyform.Mail(k, b, s); errcode.Code(err) != tc.code {
				t.Errorf("error %v, want %s", err, tc.code)
			}
		})
	}
}
