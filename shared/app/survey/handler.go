package survey

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
)

// Handler serves GET and POST /s/{token}: the survey form and its answer,
// and the unsubscribe confirmation and opt-out.
type Handler struct {
	Store   Store
	Key     []byte // the link-signing key
	Now     func() time.Time
	Log     *slog.Logger
	BaseURL string // where the pages are served ("https://feedback.example.com"): POSTs from any other Origin are refused
}

// page is what page.html shows.
type page struct {
	L       *messages
	Page    string // the kind of page, for tests and styling: form, answered, thanks, error, ...
	Title   string
	Heading string
	Alert   string
	Paras   []string
	Answer  *answerView
	Note    string
	Form    *formView
	Confirm *confirmView
	Other   *page // the same page in the other language, for pages that know no survey
}

type answerView struct{ Rating, Solved, Comment string }

type ratingOption struct {
	N       int
	Name    string
	Checked bool
}

type formView struct {
	Heading   string
	CSRF      string
	Ratings   []ratingOption
	Low, High string
	Yes, No   bool
	Comment   string
	Max       int
	Hint      string
	Submit    string
}

type confirmView struct{ CSRF, Button string }

// Handle is the Lambda entry point for API Gateway HTTP API (v2) events.
// It always answers with an HTML page; the error is for Lambda failures
// only and is always nil.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	headers := httpapi.Headers(req)
	lang := preferred(headers.Get("Accept-Language"))
	if h.Store == nil || len(h.Key) == 0 || h.Now == nil {
		h.log().Error("survey handler is not configured", "store", h.Store != nil, "key", len(h.Key) > 0, "clock", h.Now != nil)
		return h.fail(nil, lang, errcode.Errorf(errcode.Internal, "survey handler is not configured")), nil
	}
	method := req.RequestContext.HTTP.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		// Not an error of the domain: API Gateway routes only GET and POST
		// here. 405 is answered directly, outside the error table.
		resp := h.bilingual(http.StatusMethodNotAllowed, lang, "error", func(m *messages) (string, []string) {
			return m.MethodTitle, []string{m.MethodBody}
		})
		resp.Headers["Allow"] = "GET, POST"
		return resp, nil
	}
	tok := pathToken(req)
	now := h.Now()
	c, err := token.Parse(h.Key, tok, now)
	if err != nil {
		return h.fail(nil, lang, err), nil
	}
	switch c.Kind {
	case token.KindSurvey:
		return h.survey(ctx, req, headers, tok, c, now), nil
	case token.KindUnsubscribe:
		return h.unsubscribe(ctx, req, headers, tok, c, now, lang), nil
	}
	// A genuine link of another kind (an assessment link) is not for this
	// page: the same answer as a forged one.
	return h.fail(nil, lang, errcode.Errorf(errcode.NotFound, "link not found")), nil
}

// pathToken is the {token} path parameter, or the last segment of a raw
// path ending in "/s/<token>" (a stage prefix is allowed).
func pathToken(req events.APIGatewayV2HTTPRequest) string {
	if t := req.PathParameters["token"]; t != "" {
		return t
	}
	if i := strings.LastIndex(req.RawPath, "/s/"); i >= 0 {
		return req.RawPath[i+len("/s/"):]
	}
	return ""
}

func (h *Handler) survey(ctx context.Context, req events.APIGatewayV2HTTPRequest, headers http.Header, tok string, c token.Claims, now time.Time) events.APIGatewayV2HTTPResponse {
	s, err := h.Store.Survey(ctx, c.Subject)
	if err != nil {
		return h.fail(nil, preferred(headers.Get("Accept-Language")), err)
	}
	m := catalog(s.Locale)
	if req.RequestContext.HTTP.Method != http.MethodPost {
		// A GET only shows: mail scanners open every link.
		return h.render(http.StatusOK, h.surveyPage(m, s, tok, c.Rating, now))
	}
	if !httpapi.SameOrigin(h.BaseURL, headers) {
		return h.forbidden(m, "origin", headers.Get("Origin"))
	}
	body, err := readBody(req, headers)
	if err != nil {
		return h.rejectForm(m, s, tok, c.Rating, now, nil, err)
	}
	vals, err := parseValues(body)
	if err != nil {
		return h.rejectForm(m, s, tok, c.Rating, now, nil, err)
	}
	if !httpapi.ValidCSRF(h.Key, tok, vals.Get(fieldCSRF)) {
		return h.forbidden(m, "csrf", "")
	}
	if !s.Changeable(now) {
		return h.fail(m, m.Lang, errcode.Errorf(errcode.Conflict, "already answered"))
	}
	a, err := answerFrom(vals)
	if err != nil {
		return h.rejectForm(m, s, tok, c.Rating, now, vals, err)
	}
	changed := s.Answer != nil
	stored, err := h.Store.Answer(ctx, s.ID, a, now)
	if err != nil {
		return h.fail(m, m.Lang, err)
	}
	h.log().Info("survey answered", "survey", s.ID, "rating", a.Rating, "solved", a.Solved != nil && *a.Solved, "changed", changed)
	p := page{L: m, Page: "thanks", Title: m.ThanksTitle, Heading: m.ThanksTitle, Paras: []string{m.ThanksBody}}
	if changed {
		p.Paras = []string{m.ChangedBody, m.ThanksBody}
	}
	if stored.Answer != nil {
		p.Answer = viewAnswer(m, *stored.Answer)
	}
	if stored.Changeable(now) {
		p.Note = m.ThanksChange
	}
	return h.render(http.StatusOK, p)
}

// surveyPage is the form, or the answer already given (with the form to
// change it while the change window is open).
func (h *Handler) surveyPage(m *messages, s Survey, tok string, rating int, now time.Time) page {
	if s.Answer == nil {
		return page{L: m, Page: "form", Title: m.FormTitle, Heading: m.FormTitle,
			Paras: []string{fmt.Sprintf(m.FormIntroF, s.TicketID)},
			Form:  h.form(m, tok, rating, nil, "", m.Submit)}
	}
	p := page{L: m, Page: "answered", Title: m.AnsweredTitle, Heading: m.AnsweredTitle,
		Paras: []string{m.AnsweredIntro}, Answer: viewAnswer(m, *s.Answer)}
	if !s.Changeable(now) {
		p.Note = m.ClosedNote
		return p
	}
	p.Note = fmt.Sprintf(m.ChangeLeftF, remaining(m, s.Answer.FirstAt.Add(ChangeWindow).Sub(now)))
	// The form holds the stored answer, not the rating of the link opened
	// (the same link opened again to look would otherwise offer a change
	// the customer did not mean): sending it unchanged changes nothing.
	p.Form = h.form(m, tok, s.Answer.Rating, s.Answer.Solved, s.Answer.Comment, m.ChangeSubmit)
	p.Form.Heading = m.ChangeTitle
	return p
}

func (h *Handler) form(m *messages, tok string, rating int, solved *bool, comment, submit string) *formView {
	f := &formView{
		CSRF: httpapi.CSRF(h.Key, tok), Low: m.Ratings[0], High: m.Ratings[4],
		Comment: comment, Max: MaxComment, Submit: submit,
		Hint: fmt.Sprintf(m.CommentHintF, MaxComment) + m.Sep + m.RequiredNote,
	}
	for n := 1; n <= 5; n++ {
		f.Ratings = append(f.Ratings, ratingOption{N: n, Name: m.Ratings[n-1], Checked: n == rating})
	}
	if solved != nil {
		f.Yes, f.No = *solved, !*solved
	}
	return f
}

// rejectForm answers a form that cannot be stored: 400 (or 413) with the
// form again, the problem named and what the customer typed kept. After the
// change window it is "already answered" instead: fixing the form would
// not help.
func (h *Handler) rejectForm(m *messages, s Survey, tok string, rating int, now time.Time, vals url.Values, err error) events.APIGatewayV2HTTPResponse {
	if !s.Changeable(now) {
		return h.fail(m, m.Lang, errcode.Errorf(errcode.Conflict, "already answered"))
	}
	h.log().Info("survey form rejected", "survey", s.ID, "reason", errcode.Message(err))
	p := h.surveyPage(m, s, tok, rating, now)
	p.Page, p.Title, p.Alert = "invalid", m.BadTitle, problemText(m, err)
	if vals != nil {
		if r := vals.Get(fieldRating); len(r) == 1 && r[0] >= '1' && r[0] <= '5' {
			for i := range p.Form.Ratings {
				p.Form.Ratings[i].Checked = p.Form.Ratings[i].N == int(r[0]-'0')
			}
		}
		p.Form.Yes, p.Form.No = vals.Get(fieldSolved) == "yes", vals.Get(fieldSolved) == "no"
		p.Form.Comment = vals.Get(fieldComment)
	}
	return h.render(httpapi.Status(err), p)
}

func problemText(m *messages, err error) string {
	p := problemOf(err)
	if p == nil {
		return m.BadUnreadable
	}
	switch p.problem {
	case problemRating:
		return m.BadRating
	case problemSolved:
		return m.BadSolved
	case problemRepeated:
		return m.BadRepeated
	case problemEncoding:
		return m.BadEncoding
	case problemLong:
		return fmt.Sprintf(m.BadLongF, p.n, MaxComment)
	case problemTooLarge:
		return m.BadTooLarge
	}
	return m.BadUnreadable
}

func (h *Handler) unsubscribe(ctx context.Context, req events.APIGatewayV2HTTPRequest, headers http.Header, tok string, c token.Claims, now time.Time, lang string) events.APIGatewayV2HTTPResponse {
	m := catalog(lang)
	if req.RequestContext.HTTP.Method != http.MethodPost {
		return h.render(http.StatusOK, page{L: m, Page: "unsubscribe", Title: m.UnsubTitle, Heading: m.UnsubTitle,
			Paras: []string{m.UnsubBody}, Confirm: &confirmView{CSRF: httpapi.CSRF(h.Key, tok), Button: m.UnsubButton}})
	}
	if !httpapi.SameOrigin(h.BaseURL, headers) {
		return h.forbidden(m, "origin", headers.Get("Origin"))
	}
	body, err := readBody(req, headers)
	if err != nil {
		return h.fail(m, m.Lang, err)
	}
	vals, err := parseValues(body)
	if err != nil {
		return h.fail(m, m.Lang, err)
	}
	if !httpapi.ValidCSRF(h.Key, tok, vals.Get(fieldCSRF)) {
		return h.forbidden(m, "csrf", "")
	}
	if err := h.Store.OptOut(ctx, c.Subject, now); err != nil {
		return h.fail(m, m.Lang, err)
	}
	h.log().Info("survey opt-out")
	return h.render(http.StatusOK, page{L: m, Page: "unsubscribed", Title: m.UnsubDoneTitle, Heading: m.UnsubDoneTitle, Paras: []string{m.UnsubDoneBody}})
}

// readBody is the POSTed form: urlencoded (or no type at all), plain or
// base64 as API Gateway delivers it.
func readBody(req events.APIGatewayV2HTTPRequest, headers http.Header) ([]byte, error) {
	if ct := headers.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, reject(errcode.Invalid, formError{problem: problemUnreadable}, "form: content type %q is not application/x-www-form-urlencoded", clip(ct))
		}
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			return nil, reject(errcode.Invalid, formError{problem: problemUnreadable}, "form: charset %q is not UTF-8", clip(cs))
		}
	}
	// Checked before decoding so that a huge body is never decoded.
	if len(req.Body) > MaxForm*4/3+4 {
		return nil, reject(errcode.TooLarge, formError{problem: problemTooLarge}, "form: over %d KB", MaxForm>>10)
	}
	body, err := httpapi.Body(req)
	if err != nil {
		return nil, reject(errcode.Invalid, formError{problem: problemUnreadable}, "form: body is not valid base64")
	}
	return body, nil
}

// forbidden is the answer to a POST that did not come from our form: 403,
// answered here and not through the error table, whose codes describe the
// domain (401 would ask for credentials the customer does not have).
func (h *Handler) forbidden(m *messages, why, detail string) events.APIGatewayV2HTTPResponse {
	h.log().Info("survey form refused", "status", http.StatusForbidden, "check", why, "origin", clip(detail))
	return h.render(http.StatusForbidden, page{L: m, Page: "forbidden", Title: m.ForbiddenTitle, Heading: m.ForbiddenTitle, Paras: []string{m.ForbiddenBody}})
}

// fail answers err with its status from the one error table and a page in
// the survey's language (m), or in both languages when no survey is known
// (lang first). Every invalid link gets the same page.
func (h *Handler) fail(m *messages, lang string, err error) events.APIGatewayV2HTTPResponse {
	status := httpapi.Status(err)
	if status >= 500 {
		h.log().Error("survey page failed", "status", status, "err", err)
	} else {
		h.log().Info("survey page refused", "status", status, "reason", errcode.Message(err))
	}
	words := func(m *messages) (string, []string) {
		switch errcode.Code(err) {
		case errcode.NotFound:
			return m.NotFoundTitle, []string{m.NotFoundBody}
		case errcode.Gone:
			return m.GoneTitle, []string{m.GoneBody}
		case errcode.Conflict:
			return m.AnsweredTitle, []string{m.ConflictBody}
		case errcode.Invalid, errcode.TooLarge:
			return m.BadTitle, []string{problemText(m, err)}
		case errcode.Unavailable:
			return m.UnavailableTitle, []string{m.UnavailableBody}
		}
		return m.InternalTitle, []string{m.InternalBody}
	}
	var resp events.APIGatewayV2HTTPResponse
	if m == nil || errcode.Code(err) == errcode.NotFound {
		resp = h.bilingual(status, lang, "error", words)
	} else {
		title, paras := words(m)
		resp = h.render(status, page{L: m, Page: "error", Title: title, Heading: title, Paras: paras})
	}
	if status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = "5"
	}
	return resp
}

// bilingual renders a page in lang with the other language below it.
func (h *Handler) bilingual(status int, lang, kind string, words func(*messages) (string, []string)) events.APIGatewayV2HTTPResponse {
	first, second := en, zhCN
	if lang == LocaleZhCN {
		first, second = zhCN, en
	}
	t1, p1 := words(first)
	t2, p2 := words(second)
	return h.render(status, page{L: first, Page: kind, Title: t1 + " · " + t2, Heading: t1, Paras: p1,
		Other: &page{L: second, Heading: t2, Paras: p2}})
}

func (h *Handler) render(status int, p page) events.APIGatewayV2HTTPResponse {
	var b bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&b, "page.html", p); err != nil {
		// A template bug: nothing the customer can do.
		h.log().Error("render survey page", "page", p.Page, "err", err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString("<!DOCTYPE html><title>Error</title><p>Something went wrong. 出错了。</p>")
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: httpapi.PageHeaders(), Body: b.String()}
}

func viewAnswer(m *messages, a Answer) *answerView {
	v := &answerView{Solved: m.None, Comment: a.Comment}
	if a.Rating >= 1 && a.Rating <= 5 {
		v.Rating = fmt.Sprintf("%d – %s", a.Rating, m.Ratings[a.Rating-1])
	} else {
		v.Rating = m.None
	}
	if a.Solved != nil {
		v.Solved = m.No
		if *a.Solved {
			v.Solved = m.Yes
		}
	}
	return v
}

// remaining words a duration for "you can change it for another …":
// whole hours rounded up, minutes under an hour.
func remaining(m *messages, d time.Duration) string {
	if d >= time.Hour {
		return m.Hours(int((d + time.Hour - 1) / time.Hour))
	}
	return m.Minutes(max(1, int((d+time.Minute-1)/time.Minute)))
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
