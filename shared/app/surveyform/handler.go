package surveyform

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
)

// Handler serves GET and POST /s/{token}: the survey form and its answer,
// and the unsubscribe confirmation and opt-out.
type Handler struct {
	formkit.Config
	Store survey.Store
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
	r, answer := h.pages().Open(req, "/s/", h.Store != nil && h.Configured())
	if answer != nil {
		return *answer, nil
	}
	headers, lang, tok := r.Headers, r.Lang, r.Token
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

func (h *Handler) survey(ctx context.Context, req events.APIGatewayV2HTTPRequest, headers http.Header, tok string, c token.Claims, now time.Time) events.APIGatewayV2HTTPResponse {
	s, err := h.Store.Survey(ctx, c.Subject)
	if err != nil {
		return h.fail(nil, formkit.Preferred(headers.Get("Accept-Language")), err)
	}
	m := catalog(s.Locale)
	if req.RequestContext.HTTP.Method != http.MethodPost {
		// A GET only shows: mail scanners open every link.
		return h.render(http.StatusOK, h.surveyPage(m, s, tok, c.Rating, now))
	}
	if !httpapi.SameOrigin(h.BaseURL, headers) {
		return h.pages().Forbidden(m.Common, "origin", headers.Get("Origin"))
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
		return h.pages().Forbidden(m.Common, "csrf", "")
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
	h.Logger().Info("survey answered", "survey", s.ID, "rating", a.Rating, "solved", a.Solved != nil && *a.Solved, "changed", changed)
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
func (h *Handler) surveyPage(m *messages, s survey.Survey, tok string, rating int, now time.Time) page {
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
	p.Note = fmt.Sprintf(m.ChangeLeftF, remaining(m, s.Answer.FirstAt.Add(survey.ChangeWindow).Sub(now)))
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
		Comment: comment, Max: survey.MaxComment, Submit: submit,
		Hint: fmt.Sprintf(m.CommentHintF, survey.MaxComment) + m.Sep + m.RequiredNote,
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
func (h *Handler) rejectForm(m *messages, s survey.Survey, tok string, rating int, now time.Time, vals url.Values, err error) events.APIGatewayV2HTTPResponse {
	if !s.Changeable(now) {
		return h.fail(m, m.Lang, errcode.Errorf(errcode.Conflict, "already answered"))
	}
	h.Logger().Info("survey form rejected", "survey", s.ID, "reason", errcode.Message(err))
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
		return fmt.Sprintf(m.BadLongF, p.n, survey.MaxComment)
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
		return h.pages().Forbidden(m.Common, "origin", headers.Get("Origin"))
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
		return h.pages().Forbidden(m.Common, "csrf", "")
	}
	if err := h.Store.OptOut(ctx, c.Subject, now); err != nil {
		return h.fail(m, m.Lang, err)
	}
	h.Logger().Info("survey opt-out")
	return h.render(http.StatusOK, page{L: m, Page: "unsubscribed", Title: m.UnsubDoneTitle, Heading: m.UnsubDoneTitle, Paras: []string{m.UnsubDoneBody}})
}

// readBody is the POSTed form (formkit.ReadForm), its problem named for
// the page.
func readBody(req events.APIGatewayV2HTTPRequest, headers http.Header) ([]byte, error) {
	body, err := formkit.ReadForm(req, headers, MaxForm)
	if err != nil {
		fe := formError{problem: problemUnreadable}
		if errcode.Code(err) == errcode.TooLarge {
			fe.problem = problemTooLarge
		}
		return nil, reject(errcode.Code(err), fe, "%s", errcode.Message(err))
	}
	return body, nil
}

// fail answers err with its status from the one error table and a page in
// the survey's language (m), or in both languages when no survey is known
// (lang first). Every invalid link gets the same page.
func (h *Handler) fail(m *messages, lang string, err error) events.APIGatewayV2HTTPResponse {
	if m != nil {
		lang = m.Lang
	}
	return h.pages().Error(err, lang, m != nil, func(lang string) (formkit.Words, bool) {
		m := catalog(lang)
		title, body := "", ""
		switch errcode.Code(err) {
		case errcode.Gone:
			title, body = m.GoneTitle, m.GoneBody
		case errcode.Conflict:
			title, body = m.AnsweredTitle, m.ConflictBody
		case errcode.Invalid, errcode.TooLarge:
			title, body = m.BadTitle, problemText(m, err)
		case errcode.Unavailable:
			title, body = m.UnavailableTitle, m.UnavailableBody
		}
		return formkit.Words{Title: title, Paras: []string{body}}, title != ""
	})
}

func (h *Handler) render(status int, p page) events.APIGatewayV2HTTPResponse {
	return h.pages().Render(status, p.Page, p)
}

func (h *Handler) pages() formkit.Pages {
	return formkit.Pages{Name: "survey", Templates: htmlTemplates, Log: h.Log}
}

func viewAnswer(m *messages, a survey.Answer) *answerView {
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
