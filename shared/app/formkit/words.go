package formkit

import (
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/core/errcode"
)

// Common are the words every signed-link page says alike, in one
// language. A page's own catalog embeds them, so its templates read
// .L.Lang, .L.Colon and the rest as its own.
type Common struct {
	Lang  string // the html lang attribute
	Colon string
	Sep   string // between two sentences: " " in English, nothing in Chinese

	ForbiddenTitle   string // a POST that did not come from our form (403)
	ForbiddenBody    string
	NotFoundTitle    string // an invalid link (404)
	NotFoundBody     string
	UnavailableTitle string // storage down (503); the body says what was not saved
	InternalTitle    string
	InternalBody     string
	MethodTitle      string // a method the pages do not take (405)
	MethodBody       string
}

// CommonEn and CommonZhCN are the Common words in English and Chinese.
var (
	CommonEn = Common{
		Lang: LocaleEn, Colon: ": ", Sep: " ",
		ForbiddenTitle:   "Please send the form again",
		ForbiddenBody:    "For your security we could not accept this form. Please open the link in your mail and send the form from that page.",
		NotFoundTitle:    "Link not found",
		NotFoundBody:     "This link is not valid. Please use the link in the most recent mail we sent you.",
		UnavailableTitle: "Please try again in a moment",
		InternalTitle:    "Something went wrong",
		InternalBody:     "We could not show this page. Please try again later.",
		MethodTitle:      "Not supported",
		MethodBody:       "This page can only be opened or submitted as a form.",
	}
	CommonZhCN = Common{
		Lang: LocaleZhCN, Colon: "：", Sep: "",
		ForbiddenTitle:   "请重新提交表单",
		ForbiddenBody:    "为了您的安全，我们无法接受此次提交。请打开邮件中的链接，并在该页面上提交表单。",
		NotFoundTitle:    "链接无效",
		NotFoundBody:     "此链接无效。请使用我们最近发送给您的邮件中的链接。",
		UnavailableTitle: "请稍后再试",
		InternalTitle:    "出错了",
		InternalBody:     "无法显示此页面，请稍后再试。",
		MethodTitle:      "不支持的请求",
		MethodBody:       "此页面只能打开或以表单提交。",
	}
)

// Words are a simple page's title and paragraphs in one language.
type Words struct {
	Lang  string
	Title string
	Paras []string
}

// simple is what the kit's simple.html shows: page-top's fields and the
// paragraphs, and the page again in the other language.
type simple struct {
	L       struct{ Lang string }
	Page    string
	Title   string
	Heading string
	Paras   []string
	Other   *simple
}

func simplePage(kind string, w Words) *simple {
	p := &simple{Page: kind, Title: w.Title, Heading: w.Title, Paras: w.Paras}
	p.L.Lang = w.Lang
	return p
}

// Simple answers with a page of a heading and paragraphs.
func (p Pages) Simple(status int, kind string, w Words) events.APIGatewayV2HTTPResponse {
	return p.render(status, kind, "simple.html", simplePage(kind, w))
}

// Bilingual answers with a page written in both languages, lang's first
// and the other below it; words gives the page in one language (en or
// zhCN, a package's catalogs).
func Bilingual[M any](p Pages, status int, kind, lang string, en, zhCN M, words func(M) Words) events.APIGatewayV2HTTPResponse {
	a, b := Both(lang, en, zhCN)
	first, second := words(a), words(b)
	page := simplePage(kind, first)
	page.Title = first.Title + " · " + second.Title
	page.Other = simplePage(kind, second)
	return p.render(status, kind, "simple.html", page)
}

// MethodNotAllowed answers a method the pages do not take, in both
// languages: API Gateway routes only GET and POST here, so it is answered
// directly, outside the error table.
func (p Pages) MethodNotAllowed(lang string) events.APIGatewayV2HTTPResponse {
	resp := Bilingual(p, http.StatusMethodNotAllowed, "error", lang, CommonEn, CommonZhCN, func(c Common) Words {
		return Words{Lang: c.Lang, Title: c.MethodTitle, Paras: []string{c.MethodBody}}
	})
	resp.Headers["Allow"] = "GET, POST"
	return resp
}

// Error answers err with its status from the one error table and words
// saying it: in lang when the page knows its reader (known), else — and
// for every invalid link alike — in both languages, lang first. own gives
// a page's own words for err in one language; ok false leaves the common
// ones (an invalid link, a fault).
func (p Pages) Error(err error, lang string, known bool, own func(lang string) (w Words, ok bool)) events.APIGatewayV2HTTPResponse {
	status := p.Refused(err)
	words := func(lang string) Words {
		if w, ok := own(lang); ok && errcode.Code(err) != errcode.NotFound {
			w.Lang = lang
			return w
		}
		c := Catalog(lang, CommonEn, CommonZhCN)
		if errcode.Code(err) == errcode.NotFound {
			return Words{Lang: c.Lang, Title: c.NotFoundTitle, Paras: []string{c.NotFoundBody}}
		}
		return Words{Lang: c.Lang, Title: c.InternalTitle, Paras: []string{c.InternalBody}}
	}
	var resp events.APIGatewayV2HTTPResponse
	if !known || errcode.Code(err) == errcode.NotFound {
		resp = Bilingual(p, status, "error", lang, LocaleEn, LocaleZhCN, words)
	} else {
		resp = p.Simple(status, "error", words(lang))
	}
	if status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = "5"
	}
	return resp
}

// Forbidden answers a POST that did not come from our form: 403, answered
// here and not through the error table, whose codes describe the domain
// (401 would ask for credentials the reader does not have). check names
// what failed ("origin", "csrf"); attrs add to the log line.
func (p Pages) Forbidden(c Common, check, origin string, attrs ...any) events.APIGatewayV2HTTPResponse {
	p.log().Info(p.Name+" form refused", append([]any{"status", http.StatusForbidden, "check", check, "origin", errcode.Clip(origin)}, attrs...)...)
	return p.Simple(http.StatusForbidden, "forbidden", Words{Lang: c.Lang, Title: c.ForbiddenTitle, Paras: []string{c.ForbiddenBody}})
}

// LinkWords are a linked page's words for the two errors a link meets:
// it expired, or the store is not answering.
type LinkWords struct {
	ExpiredTitle, Expired, UnavailableTitle, Unavailable string
}

// LinkError answers err for a page opened by a link (Error, not knowing
// the reader): an expired link and a store that is not answering in the
// page's own words, the rest in the common ones.
func (p Pages) LinkError(err error, lang string, words func(lang string) LinkWords) events.APIGatewayV2HTTPResponse {
	return p.Error(err, lang, false, func(lang string) (Words, bool) {
		w := words(lang)
		switch errcode.Code(err) {
		case errcode.Gone:
			return Words{Title: w.ExpiredTitle, Paras: []string{w.Expired}}, true
		case errcode.Unavailable:
			return Words{Title: w.UnavailableTitle, Paras: []string{w.Unavailable}}, true
		}
		return Words{}, false
	})
}

// LinkRefusal answers a request the page refuses: a link not found or a
// fault as LinkError does, the reader's mistakes (403, 409, 400) as a page
// titled title in lang with the error's message.
func (p Pages) LinkRefusal(err error, lang, kind, title string, words func(lang string) LinkWords) events.APIGatewayV2HTTPResponse {
	if code := errcode.Code(err); code == errcode.NotFound || httpapi.Status(err) >= 500 {
		return p.LinkError(err, lang, words)
	}
	return p.Simple(p.Refused(err), kind, Words{Lang: lang, Title: title, Paras: []string{errcode.Message(err)}})
}
