// Package monthrun owns the stored state of a month's run: when it started,
// the as-of time that makes reruns repeatable, its state and counts, and the
// sentinel for a mail already sent. It is a leaf package so that the store
// can speak of runs without importing the run itself.
package monthrun

import (
	"errors"
	"time"

	"scorecard/shared/core/month"
)

// Run is the state of a month's run, as stored.
type Run struct {
	Month     month.Month `json:"month"`
	AsOf      time.Time   `json:"as_of"` // fixed by the first run, so reruns compute the same results
	State     string      `json:"state"` // StateScoring, StateScored, StateDone
	Started   time.Time   `json:"started"`
	Finished  time.Time   `json:"finished,omitzero"`
	Policy    string      `json:"policy_version"`
	Engineers int         `json:"engineers"`
	Tickets   int         `json:"tickets"`
	Mails     int         `json:"mails"` // sent by this run or earlier ones
	// NoticesDone is when the disputes' follow-up mailed the last of the
	// month's held notices (its settling time over); it looks at the month
	// again only when a dispute rescores it.
	NoticesDone time.Time `json:"notices_done,omitzero"`
	// Reviews is how many quality reviews the stored scoring counted; the
	// follow-up scores the month again when more have come in.
	Reviews int `json:"reviews,omitempty"`
}

// Run states.
const (
	StateScoring = "scoring"
	StateScored  = "scored"
	StateDone    = "done"
)

// ErrMailClaimed is returned by Store.ClaimMail when the mail was already
// sent for the month.
var ErrMailClaimed = errors.New("mail already sent")
