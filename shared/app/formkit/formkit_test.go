package formkit_test

import (
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/errcode"
)

func TestPreferred(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", "en"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"},
		{"en-GB,en;q=0.9,zh-CN;q=0.8", "en"},
		{"fr-FR,zh-Hans;q=0.5", "zh-CN"},
		{"zh;q=0.2, en;q=0.9", "en"},
		{"zh_TW", "zh-CN"},
		{"de, fr", "en"},
		{"zh;q=0, en;q=0.1", "en"},
		{"zh;q=abc", "en"},
		{"zh;q=2", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			if got := formkit.Preferred(tc.header); got != tc.want {
				t.Errorf("Preferred(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestReadForm(t *testing.T) {
	tests := []struct {
		name   string
		ct     string
		body   string
		base64 bool
		code   string
	}{
		{"a urlencoded form", "application/x-www-form-urlencoded", "a=1", false, ""},
		{"no content type", "", "a=1", false, ""},
		{"UTF-8 named", "application/x-www-form-urlencoded; charset=UTF-8", "a=1", false, ""},
		{"base64 as API Gateway sends it", "", base64.StdEncoding.EncodeToString([]byte("a=1")), true, ""},
		{"JSON is unreadable", "application/json", `{"a":1}`, false, errcode.Invalid},
		{"another charset is unreadable", "application/x-www-form-urlencoded; charset=latin1", "a=1", false, errcode.Invalid},
		{"broken base64 is unreadable", "", "%%%", true, errcode.Invalid},
		{"over the limit is too large", "", strings.Repeat("x", 2000), false, errcode.TooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.ct != "" {
				h.Set("Content-Type", tc.ct)
			}
			body, err := formkit.ReadForm(events.APIGatewayV2HTTPRequest{Body: tc.body, IsBase64Encoded: tc.base64}, h, 1024)
			if errcode.Code(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if err == nil && string(body) != "a=1" {
				t.Errorf("body %q", body)
			}
		})
	}
}

func TestCleanComment(t *testing.T) {
	if got := formkit.CleanComment(" a\r\nb\rc\u2028\x00\td \ufeff"); got != "a\nb\nc\td" {
		t.Errorf("CleanComment = %q", got)
	}
}

// pages is a package's page set as small as the frame allows.
func pages(t *testing.T) formkit.Pages {
	t.Helper()
	fs := fstest.MapFS{
		"t/page.html": {Data: []byte(`{{define "css"}}main{max-width:1px}{{end}}{{template "page-top" .}}<p>{{.Body}}</p>{{template "page-end" .}}`)},
		"t/mail.txt":  {Data: []byte(`{{.}}`)},
	}
	html, _ := formkit.Templates(fs, "t/*.html", "t/*.txt")
	return formkit.Pages{Name: "test", Templates: html, Log: slog.New(slog.DiscardHandler)}
}

func TestErrorPages(t *testing.T) {
	own := func(lang string) (formkit.Words, bool) {
		return formkit.Words{Title: "Own " + lang, Paras: []string{"own words"}}, true
	}
	down := errcode.Wrap(errcode.Unavailable, errors.New("dial tcp 10.0.0.1"), "storage unavailable")
	tests := []struct {
		name       string
		err        error
		lang       string
		known      bool
		status     int
		has, hasNo []string
	}{
		{"a known reader gets their language only", down, "zh-CN", true, 503, []string{"Own zh-CN", `lang="zh-CN"`}, []string{"Own en"}},
		{"an unknown reader gets both, theirs first", down, "zh-CN", false, 503, []string{"Own zh-CN · Own en"}, nil},
		{"every invalid link gets the same page in both", errcode.Errorf(errcode.NotFound, "no"), "en", true, 404, []string{"Link not found", "链接无效"}, []string{"own words"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := pages(t).Error(tc.err, tc.lang, tc.known, own)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status == 503 && resp.Headers["Retry-After"] != "5" {
				t.Error("503 without Retry-After")
			}
			if strings.Contains(resp.Body, "10.0.0.1") {
				t.Error("the page shows the cause")
			}
			for _, s := range tc.has {
				if !strings.Contains(resp.Body, s) {
					t.Errorf("page lacks %q:\n%s", s, resp.Body)
				}
			}
			for _, s := range tc.hasNo {
				if strings.Contains(resp.Body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

func TestOpen(t *testing.T) {
	req := func(method, path string) events.APIGatewayV2HTTPRequest {
		r := events.APIGatewayV2HTTPRequest{RawPath: path, Headers: map[string]string{"accept-language": "zh-CN"}}
		r.RequestContext.HTTP.Method = method
		return r
	}
	t.Run("a page request reads its token and language", func(t *testing.T) {
		r, answer := pages(t).Open(req("GET", "/prod/s/TOKEN"), "/s/", true)
		if answer != nil || r.Token != "TOKEN" || r.Lang != "zh-CN" {
			t.Errorf("Open = %+v, %v", r, answer)
		}
	})
	t.Run("an unconfigured handler is 500", func(t *testing.T) {
		if _, answer := pages(t).Open(req("GET", "/s/TOKEN"), "/s/", false); answer == nil || answer.StatusCode != 500 {
			t.Errorf("answer %+v", answer)
		}
	})
	t.Run("a PUT is 405 with Allow", func(t *testing.T) {
		_, answer := pages(t).Open(req("PUT", "/s/TOKEN"), "/s/", true)
		if answer == nil || answer.StatusCode != 405 || answer.Headers["Allow"] != "GET, POST" {
			t.Errorf("answer %+v", answer)
		}
	})
}

func TestATemplateFaultIs500InBothLanguages(t *testing.T) {
	resp := pages(t).Render(200, "x", struct{}{}) // page.html reads fields struct{} lacks
	if resp.StatusCode != 500 || !strings.Contains(resp.Body, "出错了") || !strings.Contains(resp.Body, "Something went wrong") {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}
}
