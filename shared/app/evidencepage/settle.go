package evidencepage

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
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/app/wording"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// GET/POST /d/{token}: the lead's page for one dispute, from the mail the
// monthly function's follow-up sends when the dispute is opened. It shows
// what the ticket counted (from the stored evidence), the engineer's
// reason and comment, and takes the decision once: accepted, the ticket's
// exclusion is stored with the decision (the follow-up rescores the
// month); rejected, the answer goes back to the engineer. The link names
// its arbiter; whoever the directory names now must be that arbiter, and
// never the engineer.

// SettleStore is what the settle page reads and writes.
type SettleStore interface {
	monthReader
	Dispute(ctx context.Context, m month.Month, engineerID, id string) (dispute.Dispute, error)
	SettleDispute(ctx context.Context, d dispute.Dispute) error
}

// SettleLifetime is how long a settle link opens after it was mailed.
const SettleLifetime = 30 * 24 * time.Hour

// SettleLink is the page on which d's arbiter settles it.
func SettleLink(key []byte, base string, d dispute.Dispute, expires time.Time) (string, error) {
	subject := strings.Join([]string{d.Month.String(), d.EngineerID, d.ID, arbiterHash(d.Arbiter)}, "/")
	tok, err := token.Sign(key, token.Claims{Kind: token.KindSettle, Subject: subject, Expires: expires})
	if err != nil {
		return "", err
	}
	return strings.TrimRight(base, "/") + "/d/" + tok, nil
}

// arbiterHash names an arbiter in a link without their address.
func arbiterHash(addr string) string {
	sum := sha256.Sum256([]byte("arbiter|" + strings.ToLower(strings.TrimSpace(addr))))
	return hex.EncodeToString(sum[:9])
}

//go:embed templates/settle/page.html
var settleFiles embed.FS

var settleTemplates, _ = formkit.Templates(settleFiles, "templates/settle/page.html", "templates/settle/page.html")

// Settle serves GET/POST /d/{token}.
type Settle struct {
	formkit.Config
	Store     SettleStore
	TicketURL func(source, ticketID string) string
}

type settlePage struct {
	L                      *messages
	Page, Title, Heading   string
	Intro, What, Said, URL string
	Reason, Comment        string
	Decided, Answer        string
	CSRF                   string
	Other                  *settlePage
}

// Handle is the Lambda entry point.
func (h *Settle) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	pages := formkit.Pages{Name: "settle", Templates: settleTemplates, Log: h.Log}
	r, answer := pages.Open(req, "/d/", h.Store != nil && h.Configured())
	if answer != nil {
		return *answer, nil
	}
	l := catalog(r.Lang)
	m, parts, err := h.MonthLink(r.Token, token.KindSettle, 4)
	if err != nil {
		return h.fail(pages, r.Lang, err), nil
	}
	d, e, err := h.load(ctx, m, parts[0], parts[1], parts[2])
	if err != nil {
		return h.refuse(pages, l, err), nil
	}
	l = catalog(wording.Locale(e.Locale, ""))
	if r.Method == http.MethodPost {
		if !httpapi.SameOrigin(h.BaseURL, r.Headers) {
			return pages.Forbidden(l.Common, "origin", r.Headers.Get("Origin"), "dispute", d.ID), nil
		}
		body, err := formkit.ReadForm(req, r.Headers, maxForm)
		if err != nil {
			return h.refuse(pages, l, err), nil
		}
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return h.refuse(pages, l, errcode.Errorf(errcode.Invalid, "form: unreadable")), nil
		}
		if !httpapi.ValidCSRF(h.Key, r.Token, vals.Get(fieldCSRF)) {
			return pages.Forbidden(l.Common, "csrf", "", "dispute", d.ID), nil
		}
		decision := vals.Get("decision")
		if len(vals["decision"]) != 1 || (decision != "accept" && decision != "reject") {
			return h.refuse(pages, l, errcode.Errorf(errcode.Invalid, "decision: accept or reject")), nil
		}
		settled, err := dispute.Settle(d, dispute.Decision{Accept: decision == "accept", By: d.Arbiter,
			Answer: formkit.CleanComment(vals.Get("answer")), At: h.Now()}, e.Email)
		if err == nil {
			err = h.Store.SettleDispute(ctx, settled)
		}
		if err != nil {
			return h.refuse(pages, l, err), nil
		}
		h.Logger().Info("dispute settled", "dispute", d.ID, "engineer", d.EngineerID, "month", m.String(), "status", string(settled.Status))
		d = settled
	}
	p, err := h.build(ctx, l, d, e, r.Token)
	if err != nil {
		return h.fail(pages, r.Lang, err), nil
	}
	return pages.Render(http.StatusOK, p.Page, p), nil
}

// load reads the dispute and checks that the link's arbiter is the one the
// directory names now, and not the engineer.
func (h *Settle) load(ctx context.Context, m month.Month, engineerID, id, arbiter string) (dispute.Dispute, directory.Engineer, error) {
	d, err := h.Store.Dispute(ctx, m, engineerID, id)
	if errcode.Code(err) == errcode.NotFound {
		return d, directory.Engineer{}, errcode.Errorf(errcode.NotFound, "link not found")
	}
	if err != nil {
		return d, directory.Engineer{}, err
	}
	engs, err := h.Store.Engineers(ctx)
	if err != nil {
		return d, directory.Engineer{}, err
	}
	var e directory.Engineer
	if j := slices.IndexFunc(engs, func(x directory.Engineer) bool { return x.ID == engineerID }); j >= 0 {
		e = engs[j]
	}
	switch {
	case e.Email != "" && arbiter == arbiterHash(e.Email):
		return d, e, errcode.Errorf(errcode.Forbidden, "a dispute about yourself is settled by your manager")
	case arbiter != arbiterHash(d.Arbiter) || dispute.Arbiter(e.Email, e.ManagerEmail) != d.Arbiter:
		return d, e, errcode.Errorf(errcode.Forbidden, "this dispute is settled by the engineer's manager in the directory, and this link is not theirs")
	}
	return d, e, nil
}

func (h *Settle) build(ctx context.Context, l *messages, d dispute.Dispute, e directory.Engineer, tok string) (settlePage, error) {
	loc := wording.Locale(e.Locale, "")
	who := cmp.Or(strings.TrimSpace(e.Name), d.EngineerID)
	p := settlePage{L: l, Page: "settle", Title: fmt.Sprintf(l.SettleTitleF, who, l.month(d.Month)),
		Intro: fmt.Sprintf(l.SettleIntroF, who, d.OpenedAt.UTC().Format("2006-01-02 15:04 UTC")),
		What:  l.what(loc, d.Metric, d.Source, d.TicketID), Reason: l.reason(d.Reason), Comment: d.Comment}
	p.Heading = p.Title
	if d.Metric != dispute.LeadAssessment {
		run, err := h.Store.GetRun(ctx, d.Month)
		if err != nil {
			return p, err
		}
		ev, err := h.Store.Evidence(ctx, d.Month, d.EngineerID, run.AsOf)
		if err != nil {
			return p, err
		}
		for _, c := range ev {
			if c.Metric == d.Metric && c.Source == d.Source && c.TicketID == d.TicketID {
				p.Said = l.said(c)
			}
		}
		if p.Said == "" {
			p.Said = l.NotCountedNow // a rescore took it out
		}
		if h.TicketURL != nil {
			p.URL = h.TicketURL(d.Source, d.TicketID)
		}
	}
	if d.Status == dispute.Open {
		p.CSRF = httpapi.CSRF(h.Key, tok)
	} else {
		p.Decided = fmt.Sprintf(l.DecidedF, l.status(d.Status), d.SettledAt.UTC().Format("2006-01-02 15:04 UTC"))
		p.Answer = d.Answer
	}
	return p, nil
}

func (h *Settle) refuse(pages formkit.Pages, l *messages, err error) events.APIGatewayV2HTTPResponse {
	return pages.LinkRefusal(err, l.Lang, "settle-refused", l.SettleRefusedTitle, settleWords)
}

func (h *Settle) fail(pages formkit.Pages, lang string, err error) events.APIGatewayV2HTTPResponse {
	return pages.LinkError(err, lang, settleWords)
}

func settleWords(lang string) formkit.LinkWords {
	l := catalog(lang)
	return formkit.LinkWords{ExpiredTitle: l.ExpiredTitle, Expired: l.SettleExpired, UnavailableTitle: l.UnavailableTitle, Unavailable: l.UnavailableBody}
}
