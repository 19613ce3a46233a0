// Package survey owns the customer satisfaction survey as the product
// keeps it (DESIGN §1, §4): one Survey per final resolution of a ticket,
// its Answer, the window in which an answer may change, and the Store the
// survey pages (package surveyform) and the notifier read and write.
package survey

import (
	"context"
	"errors"
	"time"
)

// ChangeWindow: an answer may be changed within 24 h of the first answer.
const ChangeWindow = 24 * time.Hour

// MaxComment is the longest comment accepted, in characters.
const MaxComment = 2000

// ErrNotRecorded means a survey was not recorded: one exists for this
// resolution, the customer opted out, or was surveyed within the quiet
// period.
var ErrNotRecorded = errors.New("survey not recorded")

// Answer is a customer's answer to a survey.
type Answer struct {
	Rating  int       // 1–5
	Solved  *bool     // "was your problem solved?"; nil when not answered
	Comment string    // optional, at most MaxComment characters
	At      time.Time // when this version of the answer was given
	FirstAt time.Time // when the survey was first answered: the change window starts here
}

// Survey is one satisfaction survey, sent once per final resolution of a
// ticket.
type Survey struct {
	ID               string
	Source, TicketID string
	Resolution       int       // which resolution of the ticket (1 for the first; a reopen + re-resolve is 2)
	ResolvedAt       time.Time // the final resolution the survey is about
	EngineerAgentID  string    // credited at resolution, never looked up later
	CustomerKey      string    // a stable key for the customer (source + customer id or lower-cased email)
	CustomerID       string    // the customer's id in the source, for an address the webhooks left out
	CustomerEmail    string    // "" until looked up, when the webhooks carried none
	CustomerName     string
	Locale           string // the customer's language: "zh-CN" or "en" (anything else is English)
	DueAt            time.Time
	SentAt           time.Time
	ExpiresAt        time.Time // the links' expiry (the policy's link validity after sending)
	Answer           *Answer   // nil until answered
}

// Recording is how a survey is recorded (the notifier's store).
type Recording struct {
	// QuietSince: no survey for a customer surveyed after it.
	QuietSince time.Time
	// ClaimAt, when set, records the survey already claimed for sending
	// at that time, as a claim would, provided its address is at hand:
	// given with the ticket, or cached on the customer's item after
	// ContactSince. Its sender mails it at once.
	ClaimAt, ContactSince time.Time
	// Unrecorded: the caller read just now, in a batch, that the survey
	// is not recorded; the store does not read it again.
	Unrecorded bool
}

// Recorded is what recording a survey found: whether it was recorded
// claimed, and the address cached on the customer's item (ContactAt zero
// when none), so that its sender need not read the item again.
type Recorded struct {
	Claimed                                  bool
	ContactEmail, ContactName, ContactLocale string
	ContactAt                                time.Time
}

// Changeable says whether the survey's answer may still be given or changed
// at now: unanswered, or first answered less than ChangeWindow ago.
func (s Survey) Changeable(now time.Time) bool {
	return s.Answer == nil || now.Before(s.Answer.FirstAt.Add(ChangeWindow))
}

// Store is what the survey pages need from storage.
type Store interface {
	// Survey returns the survey; errcode.NotFound when there is none.
	Survey(ctx context.Context, id string) (Survey, error)
	// Answer records the answer, or changes it within ChangeWindow of the
	// first answer, and returns the survey as stored. The store sets
	// a.FirstAt (the first answer's time, or now) and a.At (now).
	// errcode.Conflict when the first answer is ChangeWindow old or older;
	// errcode.NotFound when there is no such survey.
	Answer(ctx context.Context, id string, a Answer, now time.Time) (Survey, error)
	// OptOut records that the customer wants no more surveys. Idempotent:
	// the first time is kept.
	OptOut(ctx context.Context, customerKey string, now time.Time) error
}
