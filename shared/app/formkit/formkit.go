// Package formkit is what the signed-link pages share — the customer
// survey and the monthly assessments: the page and mail frame, the choice
// of language, reading a POSTed form, and answering with a page (the one
// error table's status, the log line, the fallback when a template fails).
// Each page's own words, fields and rules stay in its package.
package formkit

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/month"
)

// Languages of the mails and the pages.
const (
	LocaleZhCN = "zh-CN"
	LocaleEn   = "en"
)

// Canonical maps a language tag to one the pages are written in, or ""
// ("zh", "zh-Hans", "zh_CN" → "zh-CN"; "en-GB" → "en").
func Canonical(l string) string {
	l = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(l), "_", "-"))
	switch {
	case l == "zh" || strings.HasPrefix(l, "zh-"):
		return LocaleZhCN
	case l == "en" || strings.HasPrefix(l, "en-"):
		return LocaleEn
	}
	return ""
}

// Preferred is the language a browser asks for (Accept-Language, by
// q-value), English when it asks for neither of ours. Pages that know no
// recipient yet (an invalid link) use it.
func Preferred(acceptLanguage string) string {
	type tag struct {
		lang string
		q    float64
	}
	var tags []tag
	for _, part := range strings.Split(acceptLanguage, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if l := Canonical(name); l != "" && q > 0 {
			tags = append(tags, tag{l, q})
		}
	}
	sort.SliceStable(tags, func(a, b int) bool { return tags[a].q > tags[b].q })
	if len(tags) > 0 {
		return tags[0].lang
	}
	return LocaleEn
}

// Catalog picks a package's words for a locale: anything but Chinese is
// English.
func Catalog[M any](locale string, en, zhCN M) M {
	if Canonical(locale) == LocaleZhCN {
		return zhCN
	}
	return en
}

// Both orders the two languages for a page written in both: lang's first.
func Both[M any](lang string, en, zhCN M) (first, second M) {
	if lang == LocaleZhCN {
		return zhCN, en
	}
	return en, zhCN
}

// PathToken is the {token} path parameter, or what follows the last
// segment ("/s/", "/a/") of the raw path (a stage prefix is allowed).
func PathToken(req events.APIGatewayV2HTTPRequest, segment string) string {
	if t := req.PathParameters["token"]; t != "" {
		return t
	}
	if i := strings.LastIndex(req.RawPath, segment); i >= 0 {
		return req.RawPath[i+len(segment):]
	}
	return ""
}

// ReadForm is the POSTed form: urlencoded UTF-8 (or no type at all), plain
// or base64 as API Gateway delivers it, at most limit bytes. Its errors
// are errcode.Invalid (unreadable) or errcode.TooLarge, for the page to
// word.
func ReadForm(req events.APIGatewayV2HTTPRequest, headers http.Header, limit int) ([]byte, error) {
	if ct := headers.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, errcode.Errorf(errcode.Invalid, "form: content type %q is not application/x-www-form-urlencoded", errcode.Clip(ct))
		}
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			return nil, errcode.Errorf(errcode.Invalid, "form: charset %q is not UTF-8", errcode.Clip(cs))
		}
	}
	// Checked before decoding so that a huge body is never decoded.
	if len(req.Body) > limit*4/3+4 {
		return nil, errcode.Errorf(errcode.TooLarge, "form: over %d KB", limit>>10)
	}
	body, err := httpapi.Body(req)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "form: body is not valid base64")
	}
	return body, nil
}

// CleanComment is a typed comment as it is kept: line ends made "\n",
// control and invisible separator characters dropped, trimmed.
func CleanComment(c string) string {
	c = strings.ReplaceAll(c, "\r\n", "\n")
	c = strings.ReplaceAll(c, "\r", "\n")
	c = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff') {
			return -1
		}
		return r
	}, c)
	return strings.TrimSpace(c)
}

//go:embed templates
var kitFS embed.FS

// Templates parses a package's templates (patterns in fsys, *.html as
// HTML, the rest as text) after the kit's frame, which its pages and mails
// call.
func Templates(fsys fs.FS, html, text string) (*htmltemplate.Template, *texttemplate.Template) {
	h := htmltemplate.Must(htmltemplate.New("").ParseFS(kitFS, "templates/kit.html"))
	h = htmltemplate.Must(h.ParseFS(fsys, html))
	t := texttemplate.Must(texttemplate.New("").ParseFS(fsys, text))
	return h, t
}

// Config is what every signed-link page handler is given.
type Config struct {
	Key     []byte // the link-signing key
	Now     func() time.Time
	Log     *slog.Logger // slog.Default() when nil
	BaseURL string       // where the pages are served ("https://feedback.example.com"): POSTs from any other Origin are refused
}

// Configured reports whether the handler can serve: a key and a clock.
func (c Config) Configured() bool { return len(c.Key) > 0 && c.Now != nil }

// MonthLink reads a link of kind whose subject is a month and parts−1
// more fields joined by "/": errcode.NotFound for a link of another kind
// or shape, Gone once it expired.
func (c Config) MonthLink(tok, kind string, parts int) (month.Month, []string, error) {
	claims, err := token.ParseKind(c.Key, tok, kind, c.Now())
	if err != nil {
		return month.Month{}, nil, err
	}
	fields := strings.Split(claims.Subject, "/")
	m, merr := month.Parse(fields[0])
	if merr != nil || len(fields) != parts {
		return month.Month{}, nil, errcode.Errorf(errcode.NotFound, "link not found")
	}
	return m, fields[1:], nil
}

// Logger is Log, or slog.Default().
func (c Config) Logger() *slog.Logger {
	if c.Log == nil {
		return slog.Default()
	}
	return c.Log
}

// Pages answers with a package's page.html.
type Pages struct {
	Name      string // "survey", "assessment": in log lines
	Templates *htmltemplate.Template
	Log       *slog.Logger // slog.Default() when nil
}

func (p Pages) log() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

// Render executes page.html with data. A template that fails is a bug
// nothing the reader can do about: 500 with a short page in both
// languages.
func (p Pages) Render(status int, kind string, data any) events.APIGatewayV2HTTPResponse {
	return p.render(status, kind, "page.html", data)
}

func (p Pages) render(status int, kind, name string, data any) events.APIGatewayV2HTTPResponse {
	var b bytes.Buffer
	if err := p.Templates.ExecuteTemplate(&b, name, data); err != nil {
		p.log().Error("render "+p.Name+" page", "page", kind, "err", err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString("<!DOCTYPE html><title>Error</title><p>Something went wrong. 出错了。</p>")
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: httpapi.PageHeaders(), Body: b.String()}
}

// Refused logs a page answered with err and gives its status from the one
// error table: faults as errors, the reader's mistakes as information
// (never the error's internals).
func (p Pages) Refused(err error) int {
	status := httpapi.Status(err)
	if status >= 500 {
		p.log().Error(p.Name+" page failed", "status", status, "err", err)
	} else {
		p.log().Info(p.Name+" page refused", "status", status, "reason", errcode.Message(err))
	}
	return status
}

// Request is a page request as the kit reads it.
type Request struct {
	Headers http.Header
	Method  string
	Lang    string // the language the browser prefers, for pages that know no reader yet
	Token   string // the link's token: the path's last segment
}

// Open reads a request to a page under segment ("/s/", "/a/"). It answers
// at once (answer non-nil) when the handler is not configured (500) or the
// method is not one the pages take (405).
func (p Pages) Open(req events.APIGatewayV2HTTPRequest, segment string, configured bool) (r Request, answer *events.APIGatewayV2HTTPResponse) {
	r = Request{Headers: httpapi.Headers(req), Method: req.RequestContext.HTTP.Method}
	r.Lang = Preferred(r.Headers.Get("Accept-Language"))
	switch {
	case !configured:
		p.log().Error(p.Name + " handler is not configured")
		resp := p.Error(errcode.Errorf(errcode.Internal, "%s handler is not configured", p.Name), r.Lang, false,
			func(string) (Words, bool) { return Words{}, false })
		return r, &resp
	case r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost:
		resp := p.MethodNotAllowed(r.Lang)
		return r, &resp
	}
	r.Token = PathToken(req, segment)
	return r, nil
}

// MailFrame is what the kit's mail frame shows: the subject (the HTML
// title) and the greeting.
type MailFrame struct {
	Subject  string
	Greeting string
}

// Greet greets the recipient by name with greetingF ("Dear %s,") when the
// name is known, else plainly (greeting).
func Greet(name, greeting, greetingF string) string {
	if name = strings.TrimSpace(name); name != "" {
		return fmt.Sprintf(greetingF, name)
	}
	return greeting
}

// Mails renders a package's mail.html and mail.txt.
type Mails struct {
	Name string // "survey": in errors
	HTML *htmltemplate.Template
	Text *texttemplate.Template
}

// Render renders the mail with data, its subject the frame's.
func (m Mails) Render(f MailFrame, data any) (mail.Mail, error) {
	var hb, tb bytes.Buffer
	if err := m.HTML.ExecuteTemplate(&hb, "mail.html", data); err != nil {
		return mail.Mail{}, errcode.Wrap(errcode.Internal, err, "render "+m.Name+" mail")
	}
	if err := m.Text.ExecuteTemplate(&tb, "mail.txt", data); err != nil {
		return mail.Mail{}, errcode.Wrap(errcode.Internal, err, "render "+m.Name+" mail")
	}
	return mail.Mail{Subject: f.Subject, HTML: hb.String(), Text: tb.String()}, nil
}
