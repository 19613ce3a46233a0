// Package notifier owns turning resolutions into survey mails: it decides
// from a ticket's state whether a survey is due (one per final resolution;
// none for a no-survey ticket, an opted-out customer, one surveyed within
// the quiet period, or a requester who is an engineer of the directory),
// records it with the engineer credited at resolution, and sends due
// surveys through the mailer, each once. When the webhooks named the
// customer only by id (Zendesk, Jira Cloud, some Freshdesk rules), the
// address comes from the ticketing system's API when the survey is sent,
// cached on the customer's item; a vendor that cannot answer now leaves the
// survey due for the next sweep — it is never lost. The same handler runs
// on the table's DynamoDB stream in AWS and on DynamoDB Local's stream under
// `scorecard serve`; a sweep sends surveys whose delay has passed.
package notifier

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"scorecard/shared/app/surveyform"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/survey"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source/vendorapi"
)

// Rules are the policy's survey settings.
type Rules struct {
	Delay        time.Duration // after the resolution
	QuietPeriod  time.Duration // at most one survey per customer in this period
	LinkValidity time.Duration // the links expire this long after the mail is due
	NoSurveyTags []string      // lower case
	Locale       string        // when the customer's is unknown
}

// MaxAge is how old a resolution may be and still be surveyed: older ones
// (a backfill, a ticket touched long after it was solved) are not.
const MaxAge = 7 * 24 * time.Hour

// Decide returns the survey a ticket's final resolution calls for, if any.
// It does not know about opt-outs and the quiet period: the store checks
// those atomically when it records the survey.
func Decide(r Rules, s *ticket.State, now time.Time) (survey.Survey, bool) {
	final, ok := s.FinalResolution()
	if !ok || final.Imported || s.Customer == nil || (s.Customer.Email == "" && s.Customer.ID == "") || now.Sub(final.At) > MaxAge {
		return survey.Survey{}, false
	}
	for _, tag := range r.NoSurveyTags {
		if s.HasTag(tag) {
			return survey.Survey{}, false
		}
	}
	idx := len(s.Resolutions) - 1
	for _, a := range s.Answers {
		if a.Resolution == idx {
			return survey.Survey{}, false // answered already (e.g. in the ticketing system)
		}
	}
	due := final.At.Add(r.Delay)
	return survey.Survey{
		ID:              ID(s.Source, s.ID, idx),
		Source:          s.Source,
		TicketID:        s.ID,
		Resolution:      idx,
		ResolvedAt:      final.At,
		EngineerAgentID: final.AgentID,
		CustomerKey:     CustomerKey(s.Source, s.Customer.ID, s.Customer.Email),
		CustomerID:      s.Customer.ID,
		CustomerEmail:   s.Customer.Email,
		CustomerName:    s.Customer.Name,
		Locale:          r.Locale,
		DueAt:           due,
		ExpiresAt:       due.Add(r.LinkValidity),
	}, true
}

// ID names the survey of a ticket's resolution: short, stable, opaque.
func ID(source, ticketID string, resolution int) string {
	sum := sha256.Sum256([]byte(source + "\x00" + ticketID + "\x00" + strconv.Itoa(resolution)))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// CustomerKey identifies a customer across tickets: the e-mail address when
// known (one person, one opt-out), else the source's customer id.
func CustomerKey(source, id, email string) string {
	if email != "" {
		sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
		return "email:" + base64.RawURLEncoding.EncodeToString(sum[:12])
	}
	return "id:" + source + ":" + id
}

// Store records and sends surveys.
type Store interface {
	// RecordSurvey records a due survey unless one exists for the
	// resolution, the customer opted out, or was surveyed after
	// r.QuietSince (then survey.ErrNotRecorded), atomically; with
	// r.ClaimAt, claimed if its address is at hand (survey.Recording).
	RecordSurvey(ctx context.Context, s survey.Survey, r survey.Recording) (survey.Recorded, error)
	// SurveysRecorded reports which of the surveys (by id) are recorded:
	// one batch read for many tickets instead of a read in each
	// RecordSurvey.
	SurveysRecorded(ctx context.Context, ids []string) (map[string]bool, error)
	// DueSurveys lists unsent surveys due at or before now.
	DueSurveys(ctx context.Context, now time.Time) ([]survey.Survey, error)
	// ClaimSurvey takes a due survey for sending (survey.ErrNotRecorded if
	// another sender has it or it went out); ReleaseSurvey gives it back
	// after a failed send; MarkSurveySent records the mail; DropSurvey
	// records that it cannot be sent (the customer has no address). A
	// claim that is neither released nor marked is never taken again: a
	// survey goes out at most once.
	ClaimSurvey(ctx context.Context, id string, now time.Time) error
	ReleaseSurvey(ctx context.Context, id string) error
	MarkSurveySent(ctx context.Context, id, messageID string, now time.Time) error
	DropSurvey(ctx context.Context, id, reason string, now time.Time) error
}

// ContactLookup finds a customer's address in their ticketing system by
// the id its webhooks gave: vendorapi.ErrNotFound when it has none,
// *vendorapi.RetryLater when it cannot answer now.
type ContactLookup interface {
	Contact(ctx context.Context, customerID string) (vendorapi.Contact, error)
}

// ContactCache keeps looked-up addresses on the customer's item.
type ContactCache interface {
	// CachedContact is the address cached for a customer and when it was
	// looked up; ok is false when there is none.
	CachedContact(ctx context.Context, customerKey string) (c vendorapi.Contact, at time.Time, ok bool, err error)
	CacheContact(ctx context.Context, customerKey string, c vendorapi.Contact, now time.Time) error
}

// Engineers tells whether a source's id is an engineer's account: their
// own tickets are not surveyed.
type Engineers interface {
	IsEngineer(ctx context.Context, source, id string) (bool, error)
}

// ContactMaxAge is how long a cached address is used before it is looked
// up again.
const ContactMaxAge = 30 * 24 * time.Hour

// Mailer sends one mail.
type Mailer interface {
	Send(ctx context.Context, to []string, mail mail.Mail) (string, error)
}

// Notifier decides, records and sends surveys.
type Notifier struct {
	Store   Store
	Mailer  Mailer
	Key     []byte // signs the links
	BaseURL string // where /s/{token} is served
	Rules   Rules
	Now     func() time.Time
	Log     *slog.Logger
	// Contacts look up the addresses a source's webhooks leave out, by
	// source; a source without one surveys only customers whose address
	// came with the ticket. Cache keeps what they found.
	Contacts map[string]ContactLookup
	Cache    ContactCache
	// Engineers, when set, keeps engineers' own tickets from being surveyed.
	Engineers Engineers
	// Rate is how many mails a second the sweep sends at most: the SES
	// account's maximum send rate (1 in the sandbox). 0 does not pace.
	Rate float64
	// Margin is the time an invocation keeps in hand before its deadline
	// (DefaultMargin when 0): no survey is claimed within it, and a mail
	// still being sent when half of it is left is given up and its claim
	// released, so that no survey stays claimed and unsent.
	Margin time.Duration
	// Wait pauses between mails to keep to Rate; a timer on ctx when nil.
	Wait func(ctx context.Context, d time.Duration) error

	mu       sync.Mutex
	recorded map[string]bool // what the last Prefetch read, by survey id; each taken once
}

// Prefetch reads in one batch whether the surveys the tickets' final
// resolutions would call for are recorded, so that the next Consider of
// each makes no read of its own (a stream batch, the demo's resolutions).
// It replaces what an earlier Prefetch left; an error leaves each
// Consider to read for itself.
func (n *Notifier) Prefetch(ctx context.Context, states []*ticket.State) error {
	ids := make([]string, 0, len(states))
	for _, s := range states {
		if final, ok := s.FinalResolution(); ok && !final.Imported && s.Customer != nil {
			ids = append(ids, ID(s.Source, s.ID, len(s.Resolutions)-1))
		}
	}
	var got map[string]bool
	var err error
	if len(ids) > 0 {
		got, err = n.Store.SurveysRecorded(ctx, ids)
	}
	n.mu.Lock()
	n.recorded = got
	n.mu.Unlock()
	return err
}

// prefetched is what Prefetch read of a survey, taken once: known is false
// when it read nothing of it.
func (n *Notifier) prefetched(id string) (recorded, known bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	recorded, known = n.recorded[id]
	delete(n.recorded, id)
	return recorded, known
}

// DefaultMargin is Notifier.Margin's default.
const DefaultMargin = 15 * time.Second

func (n *Notifier) margin() time.Duration { return cmp.Or(n.Margin, DefaultMargin) }

// timeLeft reports whether ctx leaves more than the margin for another
// survey.
func (n *Notifier) timeLeft(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return !ok || time.Until(d) >= n.margin()
}

func (n *Notifier) wait(ctx context.Context, d time.Duration) error {
	if n.Wait != nil {
		return n.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Consider records the survey a ticket calls for and sends it at once when
// it is already due. A mail that fails stays due for the sweep.
func (n *Notifier) Consider(ctx context.Context, s *ticket.State) error {
	now := n.Now()
	sv, ok := Decide(n.Rules, s, now)
	if !ok {
		return nil
	}
	if sv.CustomerEmail == "" && (n.Contacts[sv.Source] == nil || n.Cache == nil) {
		n.Log.Debug("no survey: the requester has no address and the source no API configured", "source", sv.Source, "ticket", sv.TicketID)
		return nil
	}
	if n.Engineers != nil && sv.CustomerID != "" {
		switch staff, err := n.Engineers.IsEngineer(ctx, sv.Source, sv.CustomerID); {
		case err != nil:
			return err
		case staff:
			n.Log.Debug("no survey: the requester is an engineer", "source", sv.Source, "ticket", sv.TicketID)
			return nil
		}
	}
	recorded, known := n.prefetched(sv.ID)
	if recorded {
		return nil // recorded already, as a batch read found
	}
	// A survey due now is recorded claimed when its address is at hand,
	// and mailed at once: no claim of its own, no read of the customer.
	r := survey.Recording{QuietSince: now.Add(-n.Rules.QuietPeriod), Unrecorded: known}
	dueNow := !sv.DueAt.After(now)
	if dueNow && n.timeLeft(ctx) {
		r.ClaimAt, r.ContactSince = now, now.Add(-ContactMaxAge)
	}
	rec, err := n.Store.RecordSurvey(ctx, sv, r)
	switch {
	case errors.Is(err, survey.ErrNotRecorded):
		return nil
	case err != nil:
		return err
	}
	if dueNow {
		n.send(ctx, sv, &rec)
	}
	return nil
}

// SendDue sends every survey whose delay has passed; it reports how many
// went out and how many failed (they stay due).
func (n *Notifier) SendDue(ctx context.Context) (sent, failed int, err error) {
	due, err := n.Store.DueSurveys(ctx, n.Now())
	if err != nil {
		return 0, 0, err
	}
	var gap time.Duration
	if n.Rate > 0 {
		gap = time.Duration(float64(time.Second) / n.Rate)
	}
	for i, sv := range due {
		if i > 0 && gap > 0 && n.wait(ctx, gap) != nil || !n.timeLeft(ctx) {
			failed += len(due) - i // left due for the next sweep
			break
		}
		switch n.send(ctx, sv, nil) {
		case sentOK:
			sent++
		case sendFailed:
			failed++
		}
	}
	return sent, failed, nil
}

// outcome is what became of one survey in send.
type outcome int

const (
	sentOK     outcome = iota
	sendFailed         // left due for the next sweep
	notSent            // someone else has it, or it cannot be sent at all
)

// send mails one survey once; a failure leaves it due. An address the
// webhooks left out is looked up before the survey is claimed, so that a
// slow vendor can never leave a claim behind that no sweep takes again.
// rec is what recording the survey just now found (nil in a sweep): a
// survey recorded claimed has its address at hand and is mailed at once.
func (n *Notifier) send(ctx context.Context, sv survey.Survey, rec *survey.Recorded) outcome {
	now := n.Now()
	claimed := rec != nil && rec.Claimed
	switch {
	case sv.CustomerEmail != "":
	case claimed:
		sv.CustomerEmail, sv.CustomerName = rec.ContactEmail, cmp.Or(rec.ContactName, sv.CustomerName)
		if l := localeOf(rec.ContactLocale); l != "" {
			sv.Locale = l
		}
	default:
		c, err := n.contact(ctx, sv, now, rec)
		switch {
		case errors.Is(err, vendorapi.ErrNotFound):
			if err := n.Store.ClaimSurvey(ctx, sv.ID, now); err != nil {
				return notSent
			}
			n.Log.Info("survey not sent: the ticketing system has no address for the requester", "survey", sv.ID, "source", sv.Source)
			if err := n.Store.DropSurvey(ctx, sv.ID, "no address at "+sv.Source, now); err != nil {
				n.Log.Error("survey without address could not be dropped; it stays claimed", "survey", sv.ID, "err", err)
			}
			return notSent
		case err != nil:
			n.Log.Warn("the requester's address could not be looked up; the survey stays due", "survey", sv.ID, "source", sv.Source, "err", err)
			return sendFailed
		}
		sv.CustomerEmail, sv.CustomerName = c.Email, cmp.Or(c.Name, sv.CustomerName)
		if l := localeOf(c.Locale); l != "" {
			sv.Locale = l
		}
	}
	if !claimed {
		if !n.timeLeft(ctx) {
			return sendFailed // the lookup took the time: left due for the next sweep
		}
		if err := n.Store.ClaimSurvey(ctx, sv.ID, now); err != nil {
			if errors.Is(err, survey.ErrNotRecorded) {
				return notSent // someone else sent it: not a failure
			}
			return sendFailed
		}
	}
	if late := now.Sub(sv.DueAt); late > 0 {
		sv.ExpiresAt = sv.ExpiresAt.Add(late) // the links last their full validity from the mail
	}
	// The mail gets until half the margin is left; the bookkeeping after
	// it gets the other half even when the invocation's context is done,
	// so that a claim is always marked or released.
	sendCtx, cancel := ctx, context.CancelFunc(func() {})
	if d, ok := ctx.Deadline(); ok {
		sendCtx, cancel = context.WithDeadline(ctx, d.Add(-n.margin()/2))
	}
	defer cancel()
	mail, err := surveyform.Mail(n.Key, n.BaseURL, sv)
	var id string
	if err == nil {
		id, err = n.Mailer.Send(sendCtx, []string{sv.CustomerEmail}, mail)
	}
	after, cancelAfter := context.WithTimeout(context.WithoutCancel(ctx), n.margin()/2)
	defer cancelAfter()
	if err == nil {
		// The mail went out. Should marking it fail, the claim stays and
		// keeps the sweep from sending it again.
		if err := n.Store.MarkSurveySent(after, sv.ID, id, n.Now()); err != nil {
			n.Log.Error("survey sent but not marked; its claim keeps it from being sent again", "survey", sv.ID, "err", err)
		}
		n.Log.Info("survey sent", "survey", sv.ID, "ticket", sv.TicketID)
		return sentOK
	}
	n.Log.Error("survey mail failed; it stays due", "survey", sv.ID, "err", err)
	if rerr := n.Store.ReleaseSurvey(after, sv.ID); rerr != nil {
		n.Log.Error("survey mail failed and its claim could not be released: it will not be sent", "survey", sv.ID, "err", rerr)
	}
	return sendFailed
}

// contact is the requester's address: cached on their item when looked up
// within ContactMaxAge, else asked of their ticketing system and cached.
// rec, when set, is the customer's item as recording the survey found it:
// it is not read again.
func (n *Notifier) contact(ctx context.Context, sv survey.Survey, now time.Time, rec *survey.Recorded) (vendorapi.Contact, error) {
	lookup := n.Contacts[sv.Source]
	if lookup == nil || n.Cache == nil || sv.CustomerID == "" {
		return vendorapi.Contact{}, vendorapi.ErrNotFound
	}
	var (
		c   vendorapi.Contact
		at  time.Time
		ok  bool
		err error
	)
	if rec != nil {
		c, at, ok = vendorapi.Contact{Email: rec.ContactEmail, Name: rec.ContactName, Locale: rec.ContactLocale}, rec.ContactAt, !rec.ContactAt.IsZero()
	} else if c, at, ok, err = n.Cache.CachedContact(ctx, sv.CustomerKey); err != nil {
		return c, err
	}
	if ok && now.Sub(at) < ContactMaxAge {
		return c, nil
	}
	if c, err = lookup.Contact(ctx, sv.CustomerID); err != nil {
		return c, err
	}
	if err := n.Cache.CacheContact(ctx, sv.CustomerKey, c, now); err != nil {
		n.Log.Warn("the requester's address was found but not cached", "survey", sv.ID, "err", err)
	}
	return c, nil
}

// localeOf maps a vendor's locale tag to a mail language: zh-CN or en;
// "" when it is neither (the policy's locale stays).
func localeOf(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	switch {
	case strings.HasPrefix(t, "zh"):
		return "zh-CN"
	case strings.HasPrefix(t, "en"):
		return "en"
	}
	return ""
}

// String describes rules for logs.
func (r Rules) String() string {
	return fmt.Sprintf("delay %s, quiet %s, links %s", r.Delay, r.QuietPeriod, r.LinkValidity)
}
