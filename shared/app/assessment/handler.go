package assessment

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

// Handler serves GET and POST /a/{token}: the assessment form and its
// submission.
type Handler struct {
	Store    Store
	Key      []byte // the link-signing key
	Now      func() time.Time
	Log      *slog.Logger
	BaseURL  string         // where the pages are served: POSTs from any other Origin are refused
	Location *time.Location // the policy's time zone, for the deadline shown; UTC when nil
}

// page is what page.html shows.
type page struct {
	L        *messages
	Page     string // the kind of page, for tests and styling: form, submitted, invalid, thanks, closed, error, forbidden
	Title    string
	Heading  string
	Alert    string
	Problems []problemView
	Paras    []string
	Note     string
	Form     *formView
	Results  []resultView
	Other    *page // the same page in the other language, for pages that know no assessment
}

type problemView struct{ Anchor, Text string }

type formView struct {
	CSRF     string
	Sections []sectionView
	Hint     string
	Submit   string
}

// sectionView is one engineer's fieldset.
type sectionView struct {
	Legend  string
	Scores  []inputView
	Comment inputView
	Max     int
}

type inputView struct {
	ID, Name, Label, Value, Error string
}

// resultView is one engineer's submitted scores.
type resultView struct {
	Name    string
	Rows    [][2]string // label, score
	Comment string
}

// Handle is the Lambda entry point for API Gateway HTTP API (v2) events.
// It always answers with an HTML page; the error is for Lambda failures
// only and is always nil.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	headers := httpapi.Headers(req)
	lang := preferred(headers.Get("Accept-Language"))
	if h.Store == nil || len(h.Key) == 0 || h.Now == nil {
		h.log().Error("assessment handler is not configured", "store", h.Store != nil, "key", len(h.Key) > 0, "clock", h.Now != nil)
		return h.fail(nil, lang, errcode.Errorf(errcode.Internal, "assessment handler is not configured")), nil
	}
	method := req.RequestContext.HTTP.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		// API Gateway routes only GET and POST here: 405 is answered
		// directly, outside the error table.
		resp := h.bilingual(http.StatusMethodNotAllowed, lang, "error", func(m *messages) (string, []string) {
			return m.MethodTitle, []string{m.MethodBody}
		})
		resp.Headers["Allow"] = "GET, POST"
		return resp, nil
	}
	tok := pathToken(req)
	now := h.Now()
	c, err := token.ParseKind(h.Key, tok, token.KindAssessment, now)
	if errcode.Code(err) == errcode.Gone {
		return h.expired(ctx, tok, lang), nil
	}
	if err != nil {
		return h.fail(nil, lang, err), nil
	}
	a, err := h.Store.Assessment(ctx, c.Subject)
	if err != nil {
		return h.fail(nil, lang, err), nil
	}
	if err := a.check(); err != nil {
		return h.fail(nil, lang, errcode.Wrap(errcode.Internal, err, "assessment cannot be shown")), nil
	}
	m := catalog(a.Locale)
	if !a.Open(now) {
		return h.closed(m, a), nil
	}
	if method != http.MethodPost {
		// A GET only shows: mail scanners open every link.
		return h.render(http.StatusOK, h.formPage(m, a, tok, now)), nil
	}
	return h.submit(ctx, req, headers, m, a, tok, now), nil
}

// pathToken is the {token} path parameter, or the last segment of a raw
// path ending in "/a/<token>" (a stage prefix is allowed).
func pathToken(req events.APIGatewayV2HTTPRequest) string {
	if t := req.PathParameters["token"]; t != "" {
		return t
	}
	if i := strings.LastIndex(req.RawPath, "/a/"); i >= 0 {
		return req.RawPath[i+len("/a/"):]
	}
	return ""
}

func (h *Handler) submit(ctx context.Context, req events.APIGatewayV2HTTPRequest, headers http.Header, m *messages, a Assessment, tok string, now time.Time) events.APIGatewayV2HTTPResponse {
	if !httpapi.SameOrigin(h.BaseURL, headers) {
		return h.forbidden(m, a, "origin", headers.Get("Origin"))
	}
	body, err := readBody(req, headers, len(a.Engineers))
	if err != nil {
		return h.reject(m, a, tok, now, nil, err)
	}
	vals, err := parseValues(body, a.Engineers)
	if err != nil {
		return h.reject(m, a, tok, now, nil, err)
	}
	if !httpapi.ValidCSRF(h.Key, tok, vals.Get(fieldCSRF)) {
		return h.forbidden(m, a, "csrf", "")
	}
	answers, err := scoresFrom(vals, a.Engineers)
	if err != nil {
		return h.reject(m, a, tok, now, vals, err)
	}
	changed := a.Submitted()
	stored, err := h.Store.Submit(ctx, a.ID, answers, now)
	if errcode.Code(err) == errcode.Gone {
		// The deadline passed while the form was being sent.
		return h.closed(m, a)
	}
	if err != nil {
		return h.fail(m, m.Lang, err)
	}
	h.log().Info("assessment submitted", "assessment", a.ID, "kind", string(a.Kind), "month", a.Month.String(), "engineers", len(answers), "changed", changed)
	p := page{L: m, Page: "thanks", Title: m.ThanksTitle, Heading: m.ThanksTitle, Paras: []string{m.ThanksBody, m.YourScores},
		Results: h.results(m, stored), Note: fmt.Sprintf(m.ThanksChangeF, m.When(a.Deadline, h.loc()))}
	if changed {
		p.Title, p.Heading, p.Paras[0] = m.ChangedTitle, m.ChangedTitle, m.ChangedBody
	}
	return h.render(http.StatusOK, p)
}

// formPage is the form: empty, or holding the answers submitted so far
// with a note that they can be changed until the deadline.
func (h *Handler) formPage(m *messages, a Assessment, tok string, now time.Time) page {
	title := fmt.Sprintf(m.TitleF, m.KindTitle[a.Kind], m.Month(a.Month))
	intro := fmt.Sprintf(m.IntroSelfF, m.Month(a.Month))
	if a.Kind == Lead {
		intro = fmt.Sprintf(m.IntroLeadF, m.engineers(len(a.Engineers)), m.Month(a.Month))
	}
	deadline := m.When(a.Deadline, h.loc())
	p := page{L: m, Page: "form", Title: title, Heading: title,
		Paras: []string{intro, fmt.Sprintf(m.DeadlineF, deadline)},
		Form:  &formView{CSRF: httpapi.CSRF(h.Key, tok), Hint: fmt.Sprintf(m.ScaleHintF, MaxComment), Submit: m.Submit}}
	if a.Submitted() {
		p.Page = "submitted"
		p.Paras = p.Paras[:1]
		p.Note = fmt.Sprintf(m.SubmittedF, m.When(a.SubmittedAt, h.loc()), deadline)
		p.Form.Submit = m.ChangeSubmit
	}
	names := legends(a.Engineers)
	for i, e := range a.Engineers {
		s, has := a.Answers[e.ID]
		sec := sectionView{Legend: names[i], Max: MaxComment}
		for _, f := range scoreFields {
			in := inputView{ID: fmt.Sprintf("e%d-%s", i, f), Name: inputName(f, e.ID), Label: m.fieldName(f)}
			if has {
				in.Value = formatScore(*s.score(f))
			}
			sec.Scores = append(sec.Scores, in)
		}
		sec.Comment = inputView{ID: fmt.Sprintf("e%d-%s", i, FieldComment), Name: inputName(FieldComment, e.ID), Label: m.Comment, Value: s.Comment}
		p.Form.Sections = append(p.Form.Sections, sec)
	}
	return p
}

// legends are the engineers' names as the form shows them: the id is
// added where a name is missing or shared, so that no two sections look
// alike.
func legends(es []Engineer) []string {
	count := map[string]int{}
	for _, e := range es {
		count[strings.TrimSpace(e.Name)]++
	}
	out := make([]string, len(es))
	for i, e := range es {
		name := strings.TrimSpace(e.Name)
		switch {
		case name == "":
			out[i] = e.ID
		case count[name] > 1:
			out[i] = name + " (" + e.ID + ")"
		default:
			out[i] = name
		}
	}
	return out
}

// reject answers a form that cannot be stored: 400 (or 413) with the form
// again, each problem named beside its field and listed above the form,
// and what was typed kept. Nothing is stored.
func (h *Handler) reject(m *messages, a Assessment, tok string, now time.Time, vals url.Values, err error) events.APIGatewayV2HTTPResponse {
	fe := formErrorOf(err)
	h.log().Info("assessment form rejected", "assessment", a.ID, "status", httpapi.Status(err), "reason", errcode.Message(err))
	p := h.formPage(m, a, tok, now)
	p.Page, p.Title = "invalid", m.BadTitle+" · "+p.Title
	if vals != nil {
		// What was typed, not what was stored: the form is sent again as
		// it was, fixed.
		for i, e := range a.Engineers {
			sec := &p.Form.Sections[i]
			for j, f := range scoreFields {
				sec.Scores[j].Value = clip(vals.Get(inputName(f, e.ID)))
			}
			sec.Comment.Value = vals.Get(inputName(FieldComment, e.ID))
		}
	}
	if fe == nil || fe.Problems[0].Engineer == "" {
		p.Alert = m.BadUnreadable
		if errcode.Code(err) == errcode.TooLarge {
			p.Alert = m.BadTooLarge
		}
		return h.render(httpapi.Status(err), p)
	}
	names := legends(a.Engineers)
	index := make(map[string]int, len(a.Engineers))
	for i, e := range a.Engineers {
		index[e.ID] = i
	}
	p.Alert = fmt.Sprintf(m.BadSummaryF, m.problems(len(fe.Problems)))
	for _, prob := range fe.Problems {
		i := index[prob.Engineer]
		text := problemText(m, prob)
		in := &p.Form.Sections[i].Comment
		if prob.Field != FieldComment {
			for j, f := range scoreFields {
				if f == prob.Field {
					in = &p.Form.Sections[i].Scores[j]
				}
			}
		}
		in.Error = text
		p.Problems = append(p.Problems, problemView{Anchor: in.ID, Text: names[i] + m.Dash + m.fieldName(prob.Field) + m.Colon + text})
	}
	return h.render(http.StatusBadRequest, p)
}

func problemText(m *messages, p FieldError) string {
	switch p.Problem {
	case ProblemMissing:
		return m.BadMissing
	case ProblemDecimals:
		return m.BadDecimals
	case ProblemLong:
		return fmt.Sprintf(m.BadLongF, p.Length, MaxComment)
	case ProblemEncoding:
		return m.BadEncoding
	case ProblemRepeated:
		return m.BadRepeated
	}
	return m.BadNumber
}

// results lists the stored scores for the thank-you page.
func (h *Handler) results(m *messages, a Assessment) []resultView {
	names := legends(a.Engineers)
	var out []resultView
	for i, e := range a.Engineers {
		s, ok := a.Answers[e.ID]
		if !ok {
			continue
		}
		r := resultView{Name: names[i], Comment: s.Comment}
		for _, f := range scoreFields {
			r.Rows = append(r.Rows, [2]string{m.fieldName(f), formatScore(*s.score(f))})
		}
		out = append(out, r)
	}
	return out
}

// closed is the 410 page of an assessment past its deadline.
func (h *Handler) closed(m *messages, a Assessment) events.APIGatewayV2HTTPResponse {
	h.log().Info("assessment page refused", "status", http.StatusGone, "assessment", a.ID, "reason", "closed")
	return h.render(http.StatusGone, page{L: m, Page: "closed", Title: m.ClosedTitle, Heading: m.ClosedTitle,
		Paras: []string{fmt.Sprintf(m.ClosedF, m.KindName[a.Kind], m.Month(a.Month), m.When(a.Deadline, h.loc()))}})
}

// expired answers a genuine link whose expiry — the deadline — has passed:
// the closed page, in the assessment's language when the store still
// knows it, else in both.
func (h *Handler) expired(ctx context.Context, tok, lang string) events.APIGatewayV2HTTPResponse {
	// Parsed again ignoring the expiry (the zero time is before any): the
	// MAC was checked already, so this only reads the subject.
	if c, err := token.ParseKind(h.Key, tok, token.KindAssessment, time.Time{}); err == nil {
		if a, err := h.Store.Assessment(ctx, c.Subject); err == nil && a.check() == nil {
			return h.closed(catalog(a.Locale), a)
		}
	}
	h.log().Info("assessment page refused", "status", http.StatusGone, "reason", "link expired")
	return h.bilingual(http.StatusGone, lang, "closed", func(m *messages) (string, []string) {
		return m.ClosedTitle, []string{m.ClosedBody}
	})
}

// readBody is the POSTed form: urlencoded (or no type at all), plain or
// base64 as API Gateway delivers it.
func readBody(req events.APIGatewayV2HTTPRequest, headers http.Header, engineers int) ([]byte, error) {
	if ct := headers.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, formFault(errcode.Invalid, FieldError{Problem: ProblemUnreadable})
		}
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			return nil, formFault(errcode.Invalid, FieldError{Problem: ProblemUnreadable})
		}
	}
	// Checked before decoding so that a huge body is never decoded.
	if len(req.Body) > MaxFormBytes(engineers)*4/3+4 {
		return nil, formFault(errcode.TooLarge, FieldError{Problem: ProblemTooLarge})
	}
	body, err := httpapi.Body(req)
	if err != nil {
		return nil, formFault(errcode.Invalid, FieldError{Problem: ProblemUnreadable})
	}
	return body, nil
}

// forbidden is the answer to a POST that did not come from our form: 403,
// answered here and not through the error table, whose codes describe the
// domain (401 would ask for credentials the assessor does not have).
func (h *Handler) forbidden(m *messages, a Assessment, why, detail string) events.APIGatewayV2HTTPResponse {
	h.log().Info("assessment form refused", "status", http.StatusForbidden, "assessment", a.ID, "check", why, "origin", clip(detail))
	return h.render(http.StatusForbidden, page{L: m, Page: "forbidden", Title: m.ForbiddenTitle, Heading: m.ForbiddenTitle, Paras: []string{m.ForbiddenBody}})
}

// fail answers err with its status from the one error table and a page in
// the assessment's language (m), or in both languages when no assessment
// is known (lang first). Every invalid link gets the same page.
func (h *Handler) fail(m *messages, lang string, err error) events.APIGatewayV2HTTPResponse {
	status := httpapi.Status(err)
	if status >= 500 {
		h.log().Error("assessment page failed", "status", status, "err", err)
	} else {
		h.log().Info("assessment page refused", "status", status, "reason", errcode.Message(err))
	}
	words := func(m *messages) (string, []string) {
		switch errcode.Code(err) {
		case errcode.NotFound:
			return m.NotFoundTitle, []string{m.NotFoundBody}
		case errcode.Gone:
			return m.ClosedTitle, []string{m.ClosedBody}
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
		// A template bug: nothing the assessor can do.
		h.log().Error("render assessment page", "page", p.Page, "err", err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString("<!DOCTYPE html><title>Error</title><p>Something went wrong. 出错了。</p>")
	}
	headers := httpapi.PageHeaders()
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: headers, Body: b.String()}
}

func (h *Handler) loc() *time.Location {
	if h.Location == nil {
		return time.UTC
	}
	return h.Location
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}
