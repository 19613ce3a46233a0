// Package assessment owns the month-end self and team-lead assessments as
// the product keeps them (DESIGN §2 evaluation sources): the Assessment of
// one assessor for one month, the Scores given each engineer, the rules an
// answer must meet (CheckAnswers), its id (ID), and the Store the
// assessment pages (package assessmentform) and the monthly round use.
package assessment

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// Kind says who assesses whom.
type Kind string

// Kinds of assessment.
const (
	Self Kind = "self" // an engineer about themself
	Lead Kind = "lead" // a team lead about each engineer they manage
)

// Limits of an answer.
const (
	MaxScore   = 100  // scores are 0–MaxScore
	MaxComment = 2000 // characters (runes) per comment
)

// Scores is one engineer's assessment: three scores of 0–100 with at most
// one decimal place, and an optional comment of at most MaxComment
// characters.
type Scores struct {
	Attitude       float64
	ProblemSolving float64
	Collaboration  float64
	Comment        string
}

// Engineer is someone being assessed.
type Engineer struct {
	ID   string // the directory's engineer id
	Name string
}

// Assessment is one assessor's month-end form: a self-assessment (one
// engineer, about themself) or a team lead's assessment of every engineer
// they manage.
type Assessment struct {
	ID            string // ID(Month, Kind, AssessorKey): opaque, stable, safe to put in a link
	Month         month.Month
	Kind          Kind
	AssessorKey   string // self: the engineer id; lead: the lead's e-mail, lower-cased. Never logged.
	AssessorEmail string
	AssessorName  string
	Locale        string            // "zh-CN" or "en"; anything else is English
	Engineers     []Engineer        // self: the engineer; lead: every engineer the lead manages
	Deadline      time.Time         // the form is open while now < Deadline
	Answers       map[string]Scores // engineer id → scores; nil until submitted
	SubmittedAt   time.Time         // the latest submission; zero until submitted
	InvitedAt     time.Time
	RemindedAt    time.Time
}

// ID is the assessment id of an assessor's form for a month: the first 16
// characters of base64url(SHA-256(month "|" kind "|" assessor)). A lead's
// assessor key is an e-mail address and is compared lower-cased and
// trimmed, so a lead gets one form whatever the spelling of their address.
// The id goes into links, which anyone holding them can read: it names
// nobody in the clear.
func ID(m month.Month, kind Kind, assessor string) string {
	if kind == Lead {
		assessor = strings.ToLower(strings.TrimSpace(assessor))
	}
	sum := sha256.Sum256([]byte(m.String() + "|" + string(kind) + "|" + assessor))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:16]
}

// Open says whether the form may still be submitted or changed at now.
func (a Assessment) Open(now time.Time) bool { return now.Before(a.Deadline) }

// Submitted says whether answers have been submitted.
func (a Assessment) Submitted() bool { return a.Answers != nil && !a.SubmittedAt.IsZero() }

// Check says whether the assessment can be shown and mailed.
func (a Assessment) Check() error {
	switch {
	case a.ID == "":
		return errcode.Errorf(errcode.Invalid, "assessment: no id")
	case a.Kind != Self && a.Kind != Lead:
		return errcode.Errorf(errcode.Invalid, "assessment %s: kind %q is neither self nor lead", a.ID, a.Kind)
	case a.Month.IsZero():
		return errcode.Errorf(errcode.Invalid, "assessment %s: no month", a.ID)
	case a.Deadline.IsZero():
		return errcode.Errorf(errcode.Invalid, "assessment %s: no deadline", a.ID)
	case len(a.Engineers) == 0:
		return errcode.Errorf(errcode.Invalid, "assessment %s: no engineers to assess", a.ID)
	case a.Kind == Self && len(a.Engineers) != 1:
		return errcode.Errorf(errcode.Invalid, "assessment %s: a self-assessment is about one engineer, not %d", a.ID, len(a.Engineers))
	}
	seen := make(map[string]bool, len(a.Engineers))
	for i, e := range a.Engineers {
		if e.ID == "" {
			return errcode.Errorf(errcode.Invalid, "assessment %s: engineers[%d] has no id", a.ID, i)
		}
		if seen[e.ID] {
			return errcode.Errorf(errcode.Invalid, "assessment %s: engineer %s is listed twice", a.ID, e.ID)
		}
		seen[e.ID] = true
	}
	return nil
}

// CheckAnswers says whether answers fit the assessment: scores for every
// engineer of the form and no one else, each score 0–100 with at most one
// decimal place, each comment valid UTF-8 of at most MaxComment characters.
// Anything else is an errcode.Invalid error naming the engineer. Stores
// call it before they keep answers.
func (a Assessment) CheckAnswers(answers map[string]Scores) error {
	for _, e := range a.Engineers {
		s, ok := answers[e.ID]
		if !ok {
			return errcode.Errorf(errcode.Invalid, "answers: no scores for engineer %s", e.ID)
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"attitude", s.Attitude}, {"problem_solving", s.ProblemSolving}, {"collaboration", s.Collaboration}} {
			if !validScore(f.v) {
				return errcode.Errorf(errcode.Invalid, "answers: engineer %s: %s %v is not 0–100 with at most one decimal", e.ID, f.name, f.v)
			}
		}
		if !utf8.ValidString(s.Comment) || utf8.RuneCountInString(s.Comment) > MaxComment {
			return errcode.Errorf(errcode.Invalid, "answers: engineer %s: the comment is not valid UTF-8 of at most %d characters", e.ID, MaxComment)
		}
	}
	if len(answers) != len(a.Engineers) {
		for id := range answers {
			if !slices.ContainsFunc(a.Engineers, func(e Engineer) bool { return e.ID == id }) {
				return errcode.Errorf(errcode.Invalid, "answers: engineer %q is not on this form", errcode.Clip(id))
			}
		}
	}
	return nil
}

// validScore: 0–100 in steps of 0.1, as the form accepts them.
func validScore(v float64) bool {
	if math.IsNaN(v) || v < 0 || v > MaxScore {
		return false
	}
	t := v * 10
	return math.Abs(t-math.Round(t)) < 1e-6
}

// Store is what the assessment pages need from storage.
type Store interface {
	// Assessment returns the assessment; errcode.NotFound when there is
	// none.
	Assessment(ctx context.Context, id string) (Assessment, error)
	// Submit records the answers (replacing earlier ones) and the time of
	// submission, and returns the assessment as stored. errcode.Gone once
	// now is at or after the deadline; errcode.NotFound when there is no
	// such assessment; errcode.Invalid when the answers do not fit it
	// (Assessment.CheckAnswers).
	Submit(ctx context.Context, id string, answers map[string]Scores, now time.Time) (Assessment, error)
}

// String names the assessment for logs: id, kind and month, never the
// assessor.
func (a Assessment) String() string {
	return fmt.Sprintf("%s (%s %s)", a.ID, a.Kind, a.Month)
}
