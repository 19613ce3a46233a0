// Package notifier owns turning resolutions into survey mails: it decides
// from a ticket's state whether a survey is due (one per final resolution;
// none for a no-survey ticket, an opted-out customer or one surveyed within
// the quiet period), records it with the engineer credited at resolution,
// and sends due surveys through the mailer, each once. The same handler runs
// on the table's DynamoDB stream in AWS and on DynamoDB Local's stream under
// `scorecard serve`; a sweep sends surveys whose delay has passed.
package notifier

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/mail"
	"scorecard/shared/survey"
	"scorecard/shared/ticket"
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
	if !ok || s.Customer == nil || s.Customer.Email == "" || now.Sub(final.At) > MaxAge {
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

// ErrNotRecorded means a survey was not recorded: one exists for this
// resolution, the customer opted out, or was surveyed within the quiet
// period.
var ErrNotRecorded = errors.New("survey not recorded")

// Store records and sends surveys.
type Store interface {
	// RecordSurvey records a due survey unless one exists for the
	// resolution, the customer opted out, or was surveyed after
	// quietSince (then ErrNotRecorded), atomically.
	RecordSurvey(ctx context.Context, s survey.Survey, quietSince time.Time) error
	// DueSurveys lists unsent surveys due at or before now.
	DueSurveys(ctx context.Context, now time.Time) ([]survey.Survey, error)
	// ClaimSurvey takes a due survey for sending (ErrNotRecorded if
	// another sender has it or it went out); ReleaseSurvey gives it back
	// after a failed send; MarkSurveySent records the mail. A claim that
	// is neither released nor marked is never taken again: a survey goes
	// out at most once.
	ClaimSurvey(ctx context.Context, id string, now time.Time) error
	ReleaseSurvey(ctx context.Context, id string) error
	MarkSurveySent(ctx context.Context, id, messageID string, now time.Time) error
}

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
}

// Consider records the survey a ticket calls for and sends it at once when
// it is already due. A mail that fails stays due for the sweep.
func (n *Notifier) Consider(ctx context.Context, s *ticket.State) error {
	now := n.Now()
	sv, ok := Decide(n.Rules, s, now)
	if !ok {
		return nil
	}
	switch err := n.Store.RecordSurvey(ctx, sv, now.Add(-n.Rules.QuietPeriod)); {
	case errors.Is(err, ErrNotRecorded):
		return nil
	case err != nil:
		return err
	}
	if !sv.DueAt.After(now) {
		n.send(ctx, sv)
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
	for _, sv := range due {
		if n.send(ctx, sv) {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// send mails one survey once; false if it failed (it is left due).
func (n *Notifier) send(ctx context.Context, sv survey.Survey) bool {
	now := n.Now()
	if err := n.Store.ClaimSurvey(ctx, sv.ID, now); err != nil {
		return errors.Is(err, ErrNotRecorded) // someone else sent it: not a failure
	}
	mail, err := survey.Mail(n.Key, n.BaseURL, sv)
	var id string
	if err == nil {
		id, err = n.Mailer.Send(ctx, []string{sv.CustomerEmail}, mail)
	}
	if err == nil {
		// The mail went out. Should marking it fail, the claim stays and
		// keeps the sweep from sending it again.
		if err := n.Store.MarkSurveySent(ctx, sv.ID, id, n.Now()); err != nil {
			n.Log.Error("survey sent but not marked; its claim keeps it from being sent again", "survey", sv.ID, "err", err)
		}
		n.Log.Info("survey sent", "survey", sv.ID, "ticket", sv.TicketID)
		return true
	}
	n.Log.Error("survey mail failed; it stays due", "survey", sv.ID, "err", err)
	if rerr := n.Store.ReleaseSurvey(ctx, sv.ID); rerr != nil {
		n.Log.Error("survey mail failed and its claim could not be released: it will not be sent", "survey", sv.ID, "err", rerr)
	}
	return false
}

// String describes rules for logs.
func (r Rules) String() string {
	return fmt.Sprintf("delay %s, quiet %s, links %s", r.Delay, r.QuietPeriod, r.LinkValidity)
}
