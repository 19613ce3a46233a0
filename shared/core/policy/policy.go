// Package policy owns the versioned performance policy: one YAML file with
// every number of the plan (default.yaml is the shipped default), validated
// on load with errors that name the field. What-if policies load the same
// way, optionally starting from the default with `base: default`.
package policy

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/quality"
)

//go:embed default.yaml
var defaultYAML []byte

//go:embed dev.yaml
var devYAML []byte

// DefaultYAML returns the shipped default policy file.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Policy is a loaded, validated policy.
type Policy struct {
	Base            string                   `yaml:"base"`
	Version         string                   `yaml:"version"`
	TimeZone        string                   `yaml:"time_zone"`
	Locale          string                   `yaml:"locale"`
	PassMark        float64                  `yaml:"pass_mark"`
	Grades          []Grade                  `yaml:"grades"`
	MinSample       MinSample                `yaml:"min_sample"`
	MonthMinTickets int                      `yaml:"month_min_tickets"`
	Dimensions      []Dimension              `yaml:"dimensions"`
	SLA             SLA                      `yaml:"sla"`
	Calendars       map[string]calendar.Spec `yaml:"calendars"`
	Teams           map[string]Team          `yaml:"teams"`
	Complaint       Complaint                `yaml:"complaint"`
	Windows         Windows                  `yaml:"windows"`
	Consequences    Consequences             `yaml:"consequences"`
	Surveys         Surveys                  `yaml:"surveys"`
	Assessments     Assessments              `yaml:"assessments"`
	Disputes        Disputes                 `yaml:"disputes"`
	CheckIns        CheckIns                 `yaml:"check_ins"`
	Quality         Quality                  `yaml:"quality"`
	Retention       Retention                `yaml:"retention"`
	Sources         map[string]Source        `yaml:"sources"`

	location  *time.Location
	calendars map[string]*calendar.Calendar
	digest    string
}

// Grade is a grade band: composites at or above Min get Grade.
type Grade struct {
	Grade string  `yaml:"grade"`
	Min   float64 `yaml:"min"`
}

// MinSample holds the minimum sample sizes below which values are shrunk.
type MinSample struct {
	Tickets int `yaml:"tickets"`
	Surveys int `yaml:"surveys"`
	Reviews int `yaml:"reviews"`
}

// Dimension is a weighted group of metrics.
type Dimension struct {
	ID      string   `yaml:"id"`
	Weight  float64  `yaml:"weight"`
	Metrics []Metric `yaml:"metrics"`
}

// Metric is a metric's scoring within its dimension.
type Metric struct {
	ID          metric.ID `yaml:"id"`
	Target      *float64  `yaml:"target"`
	Floor       *float64  `yaml:"floor"`
	Weight      *float64  `yaml:"weight"`
	MinSample   *int      `yaml:"min_sample"`
	BonusPoints float64   `yaml:"bonus_points"`
	MaxBonus    float64   `yaml:"max_bonus"`
}

// SLA holds resolution targets per priority.
type SLA struct {
	Targets map[string]Duration `yaml:"targets"`
}

// Team holds per-team settings.
type Team struct {
	Calendar string `yaml:"calendar"`
}

// Complaint says which ticket types and tags make a complaint.
type Complaint struct {
	TicketTypes []string `yaml:"ticket_types"`
	Tags        []string `yaml:"tags"`
}

// Windows holds the plan's time windows.
type Windows struct {
	Reopen              Duration `yaml:"reopen"`
	ComplaintResolution Duration `yaml:"complaint_resolution"`
	FirstResponse       Duration `yaml:"first_response"`
}

// Consequences holds the consequence rules (see consequence.Rules).
type Consequences struct {
	WarningAfter         int                `yaml:"warning_after"`
	AdjustmentAfter      int                `yaml:"adjustment_after"`
	ExemptMonths         int                `yaml:"exempt_months"`
	BonusMultipliers     map[string]float64 `yaml:"bonus_multipliers"`
	PromotionGrade       string             `yaml:"promotion_grade"`
	PromotionCount       int                `yaml:"promotion_count"`
	PromotionWindow      int                `yaml:"promotion_window"`
	RecognitionTopN      int                `yaml:"recognition_top_n"`
	RecognitionMonth     int                `yaml:"recognition_month"`
	RecognitionMinMonths int                `yaml:"recognition_min_months"`
}

// Surveys holds the survey rules.
type Surveys struct {
	Delay        Duration `yaml:"delay"`
	QuietPeriod  Duration `yaml:"quiet_period"`
	LinkValidity Duration `yaml:"link_validity"`
	NoSurveyTags []string `yaml:"no_survey_tags"`
}

// Assessments holds the month-end assessment round's settings.
type Assessments struct {
	ReminderBefore     Duration `yaml:"reminder_before"`
	CloseAfterMonthEnd Duration `yaml:"close_after_month_end"`
	SelfWeight         float64  `yaml:"self_weight"`
}

// Disputes holds the rules of an engineer's disputes of their evidence
// (see core/dispute). WindowWorkingDays 0 turns disputes off: warnings and
// position adjustments are then mailed with the month's run.
type Disputes struct {
	// WindowWorkingDays is how long after the month's scorecards go out an
	// engineer may dispute (Monday to Friday in time_zone); a warning or
	// position-adjustment notice waits at least this long.
	WindowWorkingDays int `yaml:"window_working_days"`
	// SettleWorkingDays is how much longer, after the window, a notice
	// waits for disputes still open; then it goes on the month as it
	// stands, and a dispute accepted later withdraws or changes it.
	SettleWorkingDays int `yaml:"settle_working_days"`
	// PerEngineerMonth is how many disputes an engineer may open about a month.
	PerEngineerMonth int `yaml:"per_engineer_month"`
}

// CheckIns holds the mid-month check-ins: on each of Days (in time_zone)
// the month so far is scored with the same engine and policy and
// projected to its end; engineers below the pass mark or with tickets
// about to breach their SLA are told, and each lead gets the team's
// outlook. Check-ins never count toward consequences.
type CheckIns struct {
	Enabled bool `yaml:"enabled"`
	// Days are the days of the month (1–28) the check-in runs on.
	Days []int `yaml:"days"`
	// MinTickets is how many tickets an engineer must have so far before
	// a check-in mails them; an engineer with none (on leave) is never
	// mailed.
	MinTickets int `yaml:"min_tickets"`
	// AtRiskWithin: an open ticket whose SLA falls due within this much
	// working time (the team's calendar) is listed as at risk.
	AtRiskWithin Duration `yaml:"at_risk_within"`
}

// CheckInDay reports whether t (in the policy's zone) falls on a check-in
// day of an enabled policy.
func (p *Policy) CheckInDay(t time.Time) bool {
	return p.CheckIns.Enabled && slices.Contains(p.CheckIns.Days, t.In(p.location).Day())
}

// Quality holds the ticket quality reviews (see core/quality): which
// tickets are sampled each month, who reviews them, and the rubric.
type Quality struct {
	Enabled bool `yaml:"enabled"`
	// Seed fixes the sample: the same tickets give the same sample.
	Seed string `yaml:"seed"`
	// PerEngineer tickets resolved in the month are reviewed per engineer.
	PerEngineer int `yaml:"per_engineer"`
	// InformativeShare of them is drawn first from tickets rated
	// LowRating or below, reopened, complaints or past their SLA.
	InformativeShare float64 `yaml:"informative_share"`
	LowRating        int     `yaml:"low_rating"`
	// DoubleShare of the sampled tickets gets a second reviewer.
	DoubleShare float64 `yaml:"double_share"`
	// Reviewers: lead (the engineer's lead; a second lead for
	// calibration) or peer (engineers of other teams).
	Reviewers string `yaml:"reviewers"`
	// ReminderBefore: a reviewer with tickets left gets one reminder this
	// long before the reviews are due (the close of the month's dispute
	// window, when its warnings go out).
	ReminderBefore Duration `yaml:"reminder_before"`
	// Scale and Categories are the rubric: each category rated 0
	// (failed) to Scale; a critical one failed scores the review 0.
	Scale      int                `yaml:"scale"`
	Categories []quality.Category `yaml:"categories"`
}

// Rubric is the quality reviews' rubric.
func (q Quality) Rubric() quality.Rubric {
	return quality.Rubric{Scale: q.Scale, Categories: q.Categories}
}

// Rules are the quality reviews' sampling rules.
func (q Quality) Rules() quality.Rules {
	return quality.Rules{Seed: q.Seed, PerEngineer: q.PerEngineer, InformativeShare: q.InformativeShare, DoubleShare: q.DoubleShare}
}

// Retention holds how long raw data is kept.
type Retention struct {
	RawEvents Duration `yaml:"raw_events"`
}

// Source holds how one ticketing system's webhooks are read and its
// tickets linked (the key is the source's route name: zendesk, jira,
// freshdesk, generic).
type Source struct {
	// TicketURL links a ticket id in reports and mails to the ticket in its
	// system: {id} is replaced by the (URL-escaped) ticket id.
	TicketURL string `yaml:"ticket_url"`
	// TimeZone is the helpdesk's own zone, for times it sends without one
	// (Freshdesk renders its placeholders in it); default: time_zone.
	TimeZone string `yaml:"time_zone"`
	// Statuses maps the system's own status names (custom statuses; any
	// letter case) to the model's: new, open, pending, on_hold, resolved,
	// closed. A name neither here nor known to the adapter is read as open,
	// with a warning in the log.
	Statuses map[string]string `yaml:"statuses"`
	// Priorities maps the system's own priority names (custom schemes) to
	// urgent, high, normal or low. An unknown name is read as normal, with
	// a warning in the log.
	Priorities map[string]string `yaml:"priorities"`

	location   *time.Location
	statuses   map[string]event.Status   // lower case, spaces collapsed
	priorities map[string]event.Priority // lower case, spaces collapsed
}

// Priority maps one of the source's own priority names by Priorities.
func (s Source) Priority(name string) (event.Priority, bool) {
	p, ok := s.priorities[statusKey(name)]
	return p, ok
}

// Status maps one of the source's own status names by Statuses.
func (s Source) Status(name string) (event.Status, bool) {
	st, ok := s.statuses[statusKey(name)]
	return st, ok
}

func statusKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// Location is the source's time zone for zone-less times.
func (s Source) Location() *time.Location { return s.location }

// SourceFor is the settings of a source; one the policy does not list gets
// the defaults (the policy's zone, no custom statuses, no links).
func (p *Policy) SourceFor(name string) Source {
	s, ok := p.Sources[name]
	if !ok || s.location == nil {
		s.location = p.location
	}
	return s
}

// TicketURL links a source's ticket to its page in that system by
// sources.<source>.ticket_url; "" when none is configured.
func (p *Policy) TicketURL(source, id string) string {
	u := p.Sources[source].TicketURL
	if u == "" || id == "" {
		return ""
	}
	return strings.ReplaceAll(u, "{id}", url.PathEscape(id))
}

// Duration is a YAML duration: Go syntax ("90m", "4h") plus days ("7d").
type Duration time.Duration

var daysRE = regexp.MustCompile(`^(\d+)d$`)

// UnmarshalYAML reads a duration from the policy file, naming its line and
// field when it is not one.
func (d *Duration) UnmarshalYAML(node ast.Node) error {
	if err := d.UnmarshalText([]byte(strings.Trim(node.String(), `"' `))); err != nil {
		line := 0
		if tok := node.GetToken(); tok != nil && tok.Position != nil {
			line = tok.Position.Line
		}
		return fmt.Errorf("line %d: %s: %w", line, strings.TrimPrefix(node.GetPath(), "$."), err)
	}
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if m := daysRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100000 {
			return fmt.Errorf("%q is not a duration", s)
		}
		*d = Duration(time.Duration(n) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration like 30m, 4h or 7d", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) {
	v := time.Duration(d)
	if v%(24*time.Hour) == 0 && v != 0 {
		return []byte(fmt.Sprintf("%dd", v/(24*time.Hour))), nil
	}
	return []byte(v.String()), nil
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Default returns the shipped default policy.
func Default() *Policy {
	p, err := Parse(defaultYAML)
	if err != nil {
		panic("policy: the shipped default policy is invalid: " + err.Error())
	}
	return p
}

// Dev returns the local development policy: the default with surveys
// mailed as soon as a ticket is resolved. Only `scorecard serve` uses it.
func Dev() *Policy {
	p, err := Parse(devYAML)
	if err != nil {
		panic("policy: the shipped dev policy is invalid: " + err.Error())
	}
	return p
}

// Load reads and validates a policy file.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return p, nil
}

// Parse reads and validates a policy document. With `base: default` the
// document is applied on top of the shipped default.
func Parse(b []byte) (*Policy, error) {
	var head struct {
		Base string `yaml:"base"`
	}
	if err := yaml.Unmarshal(b, &head); err != nil {
		return nil, yamlProblem(err)
	}
	p := &Policy{}
	switch head.Base {
	case "":
	case "default":
		if err := decode(defaultYAML, p); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("base: %q is not a known policy (only \"default\")", head.Base)
	}
	baseVersion := p.Version
	if err := decode(b, p); err != nil {
		return nil, err
	}
	if baseVersion != "" && p.Version == baseVersion {
		return nil, fmt.Errorf("version: a policy based on %q needs a version of its own, so results say which one they used", head.Base)
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	p.digest = hex.EncodeToString(sum[:6])
	return p, nil
}

func decode(b []byte, p *Policy) error {
	if err := yaml.UnmarshalWithOptions(b, p, yaml.DisallowUnknownField()); err != nil {
		return yamlProblem(err)
	}
	return nil
}

// yamlProblem turns a YAML error into one line that names the place.
func yamlProblem(err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := ye.GetMessage()
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			return fmt.Errorf("line %d: %s", tok.Position.Line, msg)
		}
		return errors.New(msg)
	}
	return err
}

// Location is the policy's time zone.
func (p *Policy) Location() *time.Location { return p.location }

// Digest identifies the exact policy text (first 12 hex digits of SHA-256).
func (p *Policy) Digest() string { return p.digest }

// CalendarFor returns the working calendar of a team.
func (p *Policy) CalendarFor(team string) *calendar.Calendar {
	if t, ok := p.Teams[team]; ok && t.Calendar != "" {
		return p.calendars[t.Calendar]
	}
	return p.calendars["default"]
}

// MetricSettings returns what measurement needs from the policy.
func (p *Policy) MetricSettings() metric.Settings {
	targets := make(map[event.Priority]time.Duration, len(p.SLA.Targets))
	for k, v := range p.SLA.Targets {
		targets[event.Priority(k)] = v.D()
	}
	return metric.Settings{
		Location:            p.location,
		SLATargets:          targets,
		ReopenWindow:        p.Windows.Reopen.D(),
		ComplaintWindow:     p.Windows.ComplaintResolution.D(),
		FirstResponseWithin: p.Windows.FirstResponse.D(),
		ComplaintTags:       event.NormalizeTags(p.Complaint.Tags),
		ComplaintTypes:      event.NormalizeTags(p.Complaint.TicketTypes),
		Calendar:            p.CalendarFor,
	}
}

// MinSampleFor is the minimum sample of a metric: its own setting, else the
// policy's for its sample kind.
func (p *Policy) MinSampleFor(m Metric) int {
	if m.MinSample != nil {
		return *m.MinSample
	}
	d, _ := metric.Lookup(m.ID)
	switch d.Sample {
	case metric.SampleTickets:
		return p.MinSample.Tickets
	case metric.SampleSurveys:
		return p.MinSample.Surveys
	case metric.SampleReviews:
		return p.MinSample.Reviews
	}
	return 0
}

// WeightOf is a metric's weight within its dimension (1 by default).
func (m Metric) WeightOf() float64 {
	if m.Weight == nil {
		return 1
	}
	return *m.Weight
}

// Rules returns the consequence rules, grades and pass mark included.
func (p *Policy) Rules() consequence.Rules {
	c := p.Consequences
	grades := make([]consequence.GradeBand, len(p.Grades))
	for i, g := range p.Grades {
		grades[i] = consequence.GradeBand{Grade: g.Grade, Min: g.Min}
	}
	return consequence.Rules{
		PassMark:             p.PassMark,
		Grades:               grades,
		WarningAfter:         c.WarningAfter,
		AdjustmentAfter:      c.AdjustmentAfter,
		ExemptMonths:         c.ExemptMonths,
		BonusMultipliers:     c.BonusMultipliers,
		PromotionGrade:       c.PromotionGrade,
		PromotionCount:       c.PromotionCount,
		PromotionWindow:      c.PromotionWindow,
		RecognitionTopN:      c.RecognitionTopN,
		RecognitionMonth:     time.Month(c.RecognitionMonth),
		RecognitionMinMonths: c.RecognitionMinMonths,
	}
}

// MetricByID finds a metric's scoring and its dimension.
func (p *Policy) MetricByID(id metric.ID) (Metric, string, bool) {
	for _, d := range p.Dimensions {
		for _, m := range d.Metrics {
			if m.ID == id {
				return m, d.ID, true
			}
		}
	}
	return Metric{}, "", false
}
