// Package reviewform is the quality review page (GET/POST /q/{token} on
// the forms function): one sampled ticket for one reviewer, mailed by the
// monthly function's follow-up once the month's sample is drawn. It shows
// the ticket's timeline from its stored events (created, assignments,
// replies with their author and time, internal notes, status changes, the
// survey answer), a link to the ticket in its system, and the policy's
// rubric with a comment per category; it takes the review once.
package reviewform

import (
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/ticket"
)

// Store is what the page reads and writes.
type Store interface {
	ReviewAssignments(ctx context.Context, m month.Month) ([]quality.Assignment, error)
	Reviews(ctx context.Context, m month.Month) ([]quality.Review, error)
	PutReview(ctx context.Context, r quality.Review) error
	Ticket(ctx context.Context, source, id string) (ticket.State, []event.Event, error)
	Engineers(ctx context.Context) ([]directory.Engineer, error)
}

// Lifetime is how long a review link opens after it was mailed.
const Lifetime = 30 * 24 * time.Hour

// Link is reviewer's page for one sampled ticket of month m.
func Link(key []byte, base string, m month.Month, a quality.Assignment, reviewer string, expires time.Time) (string, error) {
	subject := strings.Join([]string{m.String(), a.EngineerID, ticketHash(a.Source, a.TicketID), reviewerHash(reviewer)}, "/")
	tok, err := token.Sign(key, token.Claims{Kind: token.KindReview, Subject: subject, Expires: expires})
	if err != nil {
		return "", err
	}
	return strings.TrimRight(base, "/") + "/q/" + tok, nil
}

func ticketHash(source, id string) string {
	sum := sha256.Sum256([]byte("ticket|" + source + "\x00" + id))
	return hex.EncodeToString(sum[:9])
}

func reviewerHash(addr string) string {
	sum := sha256.Sum256([]byte("reviewer|" + strings.ToLower(strings.TrimSpace(addr))))
	return hex.EncodeToString(sum[:9])
}

//go:embed templates/page.html
var files embed.FS

var templates, _ = formkit.Templates(files, "templates/page.html", "templates/page.html")

// maxForm bounds a review's form body: ratings and a comment per category.
const maxForm = 64 << 10

// Handler serves GET/POST /q/{token}.
type Handler struct {
	formkit.Config
	Store     Store
	Rubric    quality.Rubric
	Location  *time.Location
	TicketURL func(source, ticketID string) string
}

type category struct {
	ID, Label string
	Critical  bool
	Options   []int
	Rating    string // the review's, once submitted
	Comment   string
}

type line struct{ At, Who, What string }

type page struct {
	L                    *messages
	Page, Title, Heading string
	Intro, Ticket, URL   string
	Timeline             []line
	Categories           []category
	CSRF                 string
	Done                 string
	Failed               string
	Paras                []string
	Other                *page // the kit's second-language block (none here)
}

// Handle is the Lambda entry point.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	pages := formkit.Pages{Name: "review", Templates: templates, Log: h.Log}
	r, answer := pages.Open(req, "/q/", h.Store != nil && h.Configured())
	if answer != nil {
		return *answer, nil
	}
	l := catalog(r.Lang)
	m, parts, err := h.MonthLink(r.Token, token.KindReview, 4)
	if err != nil {
		return h.fail(pages, r.Lang, err), nil
	}
	a, reviewer, e, err := h.load(ctx, m, parts[0], parts[1], parts[2])
	if err != nil {
		return h.refuse(pages, l, err), nil
	}
	done, err := h.reviewed(ctx, m, a, reviewer)
	if err != nil {
		return h.fail(pages, r.Lang, err), nil
	}
	if r.Method == http.MethodPost {
		if !httpapi.SameOrigin(h.BaseURL, r.Headers) {
			return pages.Forbidden(l.Common, "origin", r.Headers.Get("Origin"), "ticket", a.TicketID), nil
		}
		body, err := formkit.ReadForm(req, r.Headers, maxForm)
		if err != nil {
			return h.refuse(pages, l, err), nil
		}
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return h.refuse(pages, l, errcode.Errorf(errcode.Invalid, "form: unreadable")), nil
		}
		if !httpapi.ValidCSRF(h.Key, r.Token, vals.Get("csrf")) {
			return pages.Forbidden(l.Common, "csrf", "", "ticket", a.TicketID), nil
		}
		if done != nil {
			return h.refuse(pages, l, errcode.Errorf(errcode.Conflict, "this ticket was already reviewed by you")), nil
		}
		rv, err := h.review(vals, m, a, reviewer, e)
		if err == nil {
			err = h.Store.PutReview(ctx, rv)
		}
		if err != nil {
			return h.refuse(pages, l, err), nil
		}
		h.Logger().Info("quality review", "month", m.String(), "engineer", a.EngineerID, "source", a.Source, "score", rv.Score, "failed", len(rv.Failed))
		done = &rv
	}
	p, err := h.build(ctx, l, m, a, e, done, r.Token)
	if err != nil {
		return h.fail(pages, r.Lang, err), nil
	}
	return pages.Render(http.StatusOK, p.Page, p), nil
}

// load finds the link's assignment and reviewer; the reviewer is never
// the engineer.
func (h *Handler) load(ctx context.Context, m month.Month, engineerID, tHash, rHash string) (quality.Assignment, string, directory.Engineer, error) {
	as, err := h.Store.ReviewAssignments(ctx, m)
	if err != nil {
		return quality.Assignment{}, "", directory.Engineer{}, err
	}
	for _, a := range as {
		if a.EngineerID != engineerID || ticketHash(a.Source, a.TicketID) != tHash {
			continue
		}
		for _, who := range a.Reviewers {
			if reviewerHash(who) != rHash {
				continue
			}
			engs, err := h.Store.Engineers(ctx)
			if err != nil {
				return a, "", directory.Engineer{}, err
			}
			var e directory.Engineer
			if j := slices.IndexFunc(engs, func(x directory.Engineer) bool { return x.ID == engineerID }); j >= 0 {
				e = engs[j]
			}
			if strings.EqualFold(e.Email, who) {
				return a, "", e, errcode.Errorf(errcode.Forbidden, "nobody reviews their own ticket")
			}
			return a, who, e, nil
		}
	}
	return quality.Assignment{}, "", directory.Engineer{}, errcode.Errorf(errcode.NotFound, "link not found")
}

// reviewed is the reviewer's review of the ticket, if they gave one.
func (h *Handler) reviewed(ctx context.Context, m month.Month, a quality.Assignment, reviewer string) (*quality.Review, error) {
	rs, err := h.Store.Reviews(ctx, m)
	if err != nil {
		return nil, err
	}
	for _, x := range rs {
		if x.EngineerID == a.EngineerID && x.Source == a.Source && x.TicketID == a.TicketID && x.Reviewer == reviewer {
			return &x, nil
		}
	}
	return nil, nil
}

// review reads the form: a rating of every category from 0 to the scale,
// a comment on each (optional), scored by the rubric.
func (h *Handler) review(vals url.Values, m month.Month, a quality.Assignment, reviewer string, e directory.Engineer) (quality.Review, error) {
	rv := quality.Review{Month: m, EngineerID: a.EngineerID, Team: e.Team, Source: a.Source, TicketID: a.TicketID, Reviewer: reviewer,
		Ratings: quality.Ratings{}, Comments: map[string]string{}, At: h.Now()}
	for _, c := range h.Rubric.Categories {
		raw := vals["r_"+c.ID]
		if len(raw) != 1 {
			return rv, errcode.Errorf(errcode.Invalid, "%s: rate it from 0 to %d", c.ID, h.Rubric.Scale)
		}
		v, err := strconv.Atoi(raw[0])
		if err != nil {
			return rv, errcode.Errorf(errcode.Invalid, "%s: %q is not a rating from 0 to %d", c.ID, raw[0], h.Rubric.Scale)
		}
		rv.Ratings[c.ID] = v
		if cm := formkit.CleanComment(vals.Get("c_" + c.ID)); cm != "" {
			rv.Comments[c.ID] = cm
		}
	}
	score, failed, err := h.Rubric.Score(rv.Ratings)
	if err != nil {
		return rv, err
	}
	rv.Score, rv.Failed = score, failed
	return rv, nil
}

func (h *Handler) build(ctx context.Context, l *messages, m month.Month, a quality.Assignment, e directory.Engineer, done *quality.Review, tok string) (page, error) {
	loc := cmp.Or(h.Location, time.UTC)
	who := cmp.Or(strings.TrimSpace(e.Name), a.EngineerID)
	p := page{L: l, Page: "review", Title: fmt.Sprintf(l.TitleF, a.Source+" "+a.TicketID, who), Intro: fmt.Sprintf(l.IntroF, who, l.month(m)),
		Ticket: a.Source + " " + a.TicketID}
	p.Heading = p.Title
	if h.TicketURL != nil {
		p.URL = h.TicketURL(a.Source, a.TicketID)
	}
	_, evs, err := h.Store.Ticket(ctx, a.Source, a.TicketID)
	if err != nil && errcode.Code(err) != errcode.NotFound {
		return p, err
	}
	engs, err := h.Store.Engineers(ctx)
	if err != nil {
		return p, err
	}
	dir := directory.New(engs)
	name := func(source string, act event.Actor) string {
		if x, ok := dir.Lookup(source, act.ID); ok && x.Name != "" {
			return x.Name
		}
		if act.Kind == event.Customer {
			return l.Customer
		}
		return cmp.Or(act.ID, l.System)
	}
	for _, ev := range evs {
		ln := line{At: ev.OccurredAt.In(loc).Format("2006-01-02 15:04"), Who: name(ev.Source, ev.Actor)}
		switch ev.Type {
		case event.Created:
			ln.What = fmt.Sprintf(l.CreatedF, ev.Priority)
		case event.Assigned:
			ln.What = fmt.Sprintf(l.AssignedF, name(ev.Source, event.Actor{ID: ev.AssigneeID, Kind: event.Agent}))
		case event.Replied:
			ln.What = l.PublicReply
			if !ev.Public {
				ln.What = l.InternalReply
			}
		case event.Note:
			ln.What = l.InternalNote
		case event.StatusChanged:
			ln.What = fmt.Sprintf(l.StatusF, ev.Status)
		case event.PriorityChanged:
			ln.What = fmt.Sprintf(l.PriorityF, ev.Priority)
		case event.SurveyAnswered:
			ln.What = fmt.Sprintf(l.RatedF, ev.Rating)
			if ev.Comment != "" {
				ln.What += ": " + ev.Comment
			}
		default:
			continue
		}
		p.Timeline = append(p.Timeline, ln)
	}
	for _, c := range h.Rubric.Categories {
		cat := category{ID: c.ID, Label: cmp.Or(c.Labels[l.Lang], c.Labels["en"], c.ID), Critical: c.Critical}
		for v := h.Rubric.Scale; v >= 0; v-- {
			cat.Options = append(cat.Options, v)
		}
		if done != nil {
			cat.Rating = strconv.Itoa(done.Ratings[c.ID])
			cat.Comment = done.Comments[c.ID]
		}
		p.Categories = append(p.Categories, cat)
	}
	if done == nil {
		p.CSRF = httpapi.CSRF(h.Key, tok)
	} else {
		p.Done = fmt.Sprintf(l.DoneF, done.Score)
		var labels []string
		for _, id := range done.Failed {
			for _, c := range p.Categories {
				if c.ID == id {
					labels = append(labels, c.Label)
				}
			}
		}
		if len(labels) > 0 {
			p.Failed = fmt.Sprintf(l.FailedF, strings.Join(labels, ", "))
		}
	}
	return p, nil
}

func (h *Handler) refuse(pages formkit.Pages, l *messages, err error) events.APIGatewayV2HTTPResponse {
	return pages.LinkRefusal(err, l.Lang, "review-refused", l.RefusedTitle, linkWords)
}

func (h *Handler) fail(pages formkit.Pages, lang string, err error) events.APIGatewayV2HTTPResponse {
	return pages.LinkError(err, lang, linkWords)
}

func linkWords(lang string) formkit.LinkWords {
	l := catalog(lang)
	return formkit.LinkWords{ExpiredTitle: l.ExpiredTitle, Expired: l.ExpiredBody, UnavailableTitle: l.UnavailableTitle, Unavailable: l.UnavailableBody}
}
