package assessmentform

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
)

// Handler serves GET and POST /a/{token}: the assessment form and its
// submission.
type Handler struct {
	formkit.Config
	Store    assessment.Store
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
	r, answer := h.pages().Open(req, "/a/", h.Store != nil && h.Configured())
	if answer != nil {
		return *answer, nil
	}
	headers, lang, tok, method := r.Headers, r.Lang, r.Token, r.Method
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
	if err := a.Check(); err != nil {
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

func (h *Handler) submit(ctx context.Context, req events.APIGatewayV2HTTPRequest, headers http.Header, m *messages, a assessment.Assessment, tok string, now time.Time) events.APIGatewayV2HTTPResponse {
	if !httpapi.SameOrigin(h.BaseURL, headers) {
		return h.pages().Forbidden(m.Common, "origin", headers.Get("Origin"), "assessment", a.ID)
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
		return h.pages().Forbidden(m.Common, "csrf", "", "assessment", a.ID)
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
	h.Logger().Info("assessment submitted", "assessment", a.ID, "kind", string(a.Kind), "month", a.Month.String(), "engineers", len(answers), "changed", changed)
	p := page{L: m, Page: "thanks", Title: m.ThanksTitle, Heading: m.ThanksTitle, Paras: []string{m.ThanksBody, m.YourScores},
		Results: h.results(m, stored), Note: fmt.Sprintf(m.ThanksChangeF, m.When(a.Deadline, h.loc()))}
	if changed {
		p.Title, p.Heading, p.Paras[0] = m.ChangedTitle, m.ChangedTitle, m.ChangedBody
	}
	return h.render(http.StatusOK, p)
}

// formPage is the form: empty, or holding the answers submitted so far
// with a note that they can be changed until the deadline.
func (h *Handler) formPage(m *messages, a assessment.Assessment, tok string, now time.Time) page {
	title := fmt.Sprintf(m.TitleF, m.KindTitle[a.Kind], m.Month(a.Month))
	intro := fmt.Sprintf(m.IntroSelfF, m.Month(a.Month))
	if a.Kind == assessment.Lead {
		intro = fmt.Sprintf(m.IntroLeadF, m.engineers(len(a.Engineers)), m.Month(a.Month))
	}
	deadline := m.When(a.Deadline, h.loc())
	p := page{L: m, Page: "form", Title: title, Heading: title,
		Paras: []string{intro, fmt.Sprintf(m.DeadlineF, deadline)},
		Form:  &formView{CSRF: httpapi.CSRF(h.Key, tok), Hint: fmt.Sprintf(m.ScaleHintF, assessment.MaxComment), Submit: m.Submit}}
	if a.Submitted() {
		p.Page = "submitted"
		p.Paras = p.Paras[:1]
		p.Note = fmt.Sprintf(m.SubmittedF, m.When(a.SubmittedAt, h.loc()), deadline)
		p.Form.Submit = m.ChangeSubmit
	}
	names := legends(a.Engineers)
	for i, e := range a.Engineers {
		s, has := a.Answers[e.ID]
		sec := sectionView{Legend: names[i], Max: assessment.MaxComment}
		for _, f := range scoreFields {
			in := inputView{ID: fmt.Sprintf("e%d-%s", i, f), Name: inputName(f, e.ID), Label: m.fieldName(f)}
			if has {
				in.Value = formatScore(*score(&s, f))
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
func legends(es []assessment.Engineer) []string {
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
func (h *Handler) reject(m *messages, a assessment.Assessment, tok string, now time.Time, vals url.Values, err error) events.APIGatewayV2HTTPResponse {
	fe := formErrorOf(err)
	h.Logger().Info("assessment form rejected", "assessment", a.ID, "status", httpapi.Status(err), "reason", errcode.Message(err))
	p := h.formPage(m, a, tok, now)
	p.Page, p.Title = "invalid", m.BadTitle+" · "+p.Title
	if vals != nil {
		// What was typed, not what was stored: the form is sent again as
		// it was, fixed.
		for i, e := range a.Engineers {
			sec := &p.Form.Sections[i]
			for j, f := range scoreFields {
				sec.Scores[j].Value = errcode.Clip(vals.Get(inputName(f, e.ID)))
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
		return fmt.Sprintf(m.BadLongF, p.Length, assessment.MaxComment)
	case ProblemEncoding:
		return m.BadEncoding
	case ProblemRepeated:
		return m.BadRepeated
	}
	return m.BadNumber
}

// results lists the stored scores for the thank-you page.
func (h *Handler) results(m *messages, a assessment.Assessment) []resultView {
	names := legends(a.Engineers)
	var out []resultView
	for i, e := range a.Engineers {
		s, ok := a.Answers[e.ID]
		if !ok {
			continue
		}
		r := resultView{Name: names[i], Comment: s.Comment}
		for _, f := range scoreFields {
			r.Rows = append(r.Rows, [2]string{m.fieldName(f), formatScore(*score(&s, f))})
		}
		out = append(out, r)
	}
	return out
}

// closed is the 410 page of an assessment past its deadline.
func (h *Handler) closed(m *messages, a assessment.Assessment) events.APIGatewayV2HTTPResponse {
	h.Logger().Info("assessment page refused", "status", http.StatusGone, "assessment", a.ID, "reason", "closed")
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
		if a, err := h.Store.Assessment(ctx, c.Subject); err == nil && a.Check() == nil {
			return h.closed(catalog(a.Locale), a)
		}
	}
	h.Logger().Info("assessment page refused", "status", http.StatusGone, "reason", "link expired")
	return formkit.Bilingual(h.pages(), http.StatusGone, "closed", lang, en, zhCN, func(m *messages) formkit.Words {
		return formkit.Words{Lang: m.Lang, Title: m.ClosedTitle, Paras: []string{m.ClosedBody}}
	})
}

// readBody is the POSTed form (formkit.ReadForm), its problem named for
// the page.
func readBody(req events.APIGatewayV2HTTPRequest, headers http.Header, engineers int) ([]byte, error) {
	body, err := formkit.ReadForm(req, headers, MaxFormBytes(engineers))
	switch errcode.Code(err) {
	case "":
		return body, nil
	case errcode.TooLarge:
		return nil, formFault(errcode.TooLarge, FieldError{Problem: ProblemTooLarge})
	}
	return nil, formFault(errcode.Invalid, FieldError{Problem: ProblemUnreadable})
}

// fail answers err with its status from the one error table and a page in
// the assessment's language (m), or in both languages when no assessment
// is known (lang first). Every invalid link gets the same page.
func (h *Handler) fail(m *messages, lang string, err error) events.APIGatewayV2HTTPResponse {
	if m != nil {
		lang = m.Lang
	}
	return h.pages().Error(err, lang, m != nil, func(lang string) (formkit.Words, bool) {
		if m := catalog(lang); errcode.Code(err) == errcode.Gone {
			return formkit.Words{Title: m.ClosedTitle, Paras: []string{m.ClosedBody}}, true
		} else if errcode.Code(err) == errcode.Unavailable {
			return formkit.Words{Title: m.UnavailableTitle, Paras: []string{m.UnavailableBody}}, true
		}
		return formkit.Words{}, false
	})
}

func (h *Handler) render(status int, p page) events.APIGatewayV2HTTPResponse {
	return h.pages().Render(status, p.Page, p)
}

func (h *Handler) pages() formkit.Pages {
	return formkit.Pages{Name: "assessment", Templates: htmlTemplates, Log: h.Log}
}

func (h *Handler) loc() *time.Location {
	if h.Location == nil {
		return time.UTC
	}
	return h.Location
}
