package policy_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/policy"
)

const day = 24 * time.Hour

// ignoreDerived compares policies by what the file says.
var ignoreDerived = cmpopts.IgnoreUnexported(policy.Policy{})

func f64(v float64) *float64 { return &v }

// defaultWith returns the default policy text with old replaced by new; old
// must occur exactly once so that the edit cannot silently miss.
func defaultWith(t *testing.T, old, new string) string {
	t.Helper()
	text := string(policy.DefaultYAML())
	if n := strings.Count(text, old); n != 1 {
		t.Fatalf("default.yaml contains %q %d times, want exactly once", old, n)
	}
	return strings.Replace(text, old, new, 1)
}

// lineOf is the 1-based line of default.yaml on which snippet starts.
func lineOf(t *testing.T, snippet string) int {
	t.Helper()
	text := string(policy.DefaultYAML())
	i := strings.Index(text, snippet)
	if i < 0 {
		t.Fatalf("default.yaml does not contain %q", snippet)
	}
	return strings.Count(text[:i], "\n") + 1
}

func mustParse(t *testing.T, text string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, text)
	}
	return p
}

func TestDefaultHasThePlansNumbers(t *testing.T) {
	p := policy.Default()

	t.Run("version, zone, locale and grades", func(t *testing.T) {
		if p.Version != "2026.1" {
			t.Errorf("Version = %q, want 2026.1", p.Version)
		}
		if p.Location() == nil || p.Location().String() != "Asia/Shanghai" {
			t.Errorf("Location = %v, want Asia/Shanghai", p.Location())
		}
		if p.Locale != "zh-CN" {
			t.Errorf("Locale = %q, want zh-CN", p.Locale)
		}
		if p.PassMark != 80 {
			t.Errorf("PassMark = %v, want 80", p.PassMark)
		}
		want := []policy.Grade{{"A", 90}, {"B", 80}, {"C", 70}, {"D", 0}}
		if diff := cmp.Diff(want, p.Grades); diff != "" {
			t.Errorf("grades (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(policy.MinSample{Tickets: 5, Surveys: 5, Reviews: 3}, p.MinSample); diff != "" {
			t.Errorf("min_sample (-want +got):\n%s", diff)
		}
		if p.MonthMinTickets != 5 {
			t.Errorf("MonthMinTickets = %d, want 5", p.MonthMinTickets)
		}
	})

	t.Run("dimension weights are 30, 25, 20, 10, 15", func(t *testing.T) {
		got := map[string]float64{}
		for _, d := range p.Dimensions {
			got[d.ID] = d.Weight
		}
		want := map[string]float64{
			metric.CustomerSatisfaction: 30, metric.ProblemResolution: 25, metric.ResponseTime: 20,
			metric.ContinuousLearning: 10, metric.TeamCollaboration: 15,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("dimension weights (-want +got):\n%s", diff)
		}
	})

	t.Run("metric targets and floors", func(t *testing.T) {
		tests := []struct {
			id            metric.ID
			dim           string
			target, floor float64
		}{
			{metric.CSATScore, metric.CustomerSatisfaction, 90, 50},
			{metric.CSATSatisfiedRate, metric.CustomerSatisfaction, 0.90, 0.50},
			{metric.ComplaintRate, metric.CustomerSatisfaction, 0.05, 0.20},
			{metric.Complaint24hRate, metric.CustomerSatisfaction, 1.00, 0.50},
			{metric.RenewalRate, metric.CustomerSatisfaction, 0.95, 0.70},
			{metric.ResolutionSLARate, metric.ProblemResolution, 0.95, 0.65},
			{metric.AvgHandleHours, metric.ProblemResolution, 24, 72},
			{metric.CompletionRate, metric.ProblemResolution, 0.98, 0.70},
			{metric.LeadProblemSolvingScore, metric.ProblemResolution, 85, 50},
			{metric.AvgFirstResponseHours, metric.ResponseTime, 2, 8},
			{metric.FirstResponse1hRate, metric.ResponseTime, 1.00, 0.50},
			{metric.TrainingHours, metric.ContinuousLearning, 4, 0},
			{metric.KnowledgeScore, metric.ContinuousLearning, 80, 50},
			{metric.KnowledgeSharesPerWeek, metric.TeamCollaboration, 2, 0},
			{metric.SkillExchangeParticipation, metric.TeamCollaboration, 0.80, 0.40},
		}
		for _, tc := range tests {
			m, dim, ok := p.MetricByID(tc.id)
			if !ok {
				t.Errorf("%s is not in the default policy", tc.id)
				continue
			}
			want := policy.Metric{ID: tc.id, Target: f64(tc.target), Floor: f64(tc.floor)}
			if diff := cmp.Diff(want, m); diff != "" || dim != tc.dim {
				t.Errorf("%s in %s (want %s) (-want +got):\n%s", tc.id, dim, tc.dim, diff)
			}
			if m.WeightOf() != 1 {
				t.Errorf("%s weighs %v, want 1", tc.id, m.WeightOf())
			}
		}
	})

	t.Run("collaboration_cases is a bonus without target", func(t *testing.T) {
		m, dim, ok := p.MetricByID(metric.CollaborationCases)
		want := policy.Metric{ID: metric.CollaborationCases, BonusPoints: 2, MaxBonus: 10}
		if diff := cmp.Diff(want, m); !ok || dim != metric.TeamCollaboration || diff != "" {
			t.Errorf("collaboration_cases in %q, ok %v (-want +got):\n%s", dim, ok, diff)
		}
	})

	t.Run("every defined metric is scored once, in its own dimension", func(t *testing.T) {
		count := map[metric.ID]int{}
		for _, d := range p.Dimensions {
			for _, m := range d.Metrics {
				count[m.ID]++
				def, _ := metric.Lookup(m.ID)
				if def.Dimension != d.ID {
					t.Errorf("%s is scored in %s, defined in %s", m.ID, d.ID, def.Dimension)
				}
			}
		}
		for _, def := range metric.Defs {
			if count[def.ID] != 1 {
				t.Errorf("%s is scored %d times, want once", def.ID, count[def.ID])
			}
		}
	})

	t.Run("SLA targets, windows, complaints, surveys and retention", func(t *testing.T) {
		wantSLA := map[string]policy.Duration{
			"urgent": policy.Duration(4 * time.Hour), "high": policy.Duration(8 * time.Hour),
			"normal": policy.Duration(24 * time.Hour), "low": policy.Duration(72 * time.Hour),
		}
		if diff := cmp.Diff(wantSLA, p.SLA.Targets); diff != "" {
			t.Errorf("sla.targets (-want +got):\n%s", diff)
		}
		wantWindows := policy.Windows{
			Reopen:              policy.Duration(7 * day),
			ComplaintResolution: policy.Duration(24 * time.Hour),
			FirstResponse:       policy.Duration(time.Hour),
		}
		if diff := cmp.Diff(wantWindows, p.Windows); diff != "" {
			t.Errorf("windows (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(policy.Complaint{TicketTypes: []string{"complaint"}, Tags: []string{"complaint"}}, p.Complaint); diff != "" {
			t.Errorf("complaint (-want +got):\n%s", diff)
		}
		wantSurveys := policy.Surveys{
			Delay: policy.Duration(time.Hour), QuietPeriod: policy.Duration(7 * day),
			LinkValidity: policy.Duration(28 * day), NoSurveyTags: []string{"no-survey"},
		}
		if diff := cmp.Diff(wantSurveys, p.Surveys); diff != "" {
			t.Errorf("surveys (-want +got):\n%s", diff)
		}
		if p.Retention.RawEvents.D() != 400*day {
			t.Errorf("retention.raw_events = %v, want 400 days", p.Retention.RawEvents.D())
		}
	})

	t.Run("Rules matches the consequences of the plan", func(t *testing.T) {
		if diff := cmp.Diff(consequence.DefaultRules(), p.Rules()); diff != "" {
			t.Errorf("Rules (-want +got):\n%s", diff)
		}
	})
}

func TestDefaultYAMLIsACopy(t *testing.T) {
	b := policy.DefaultYAML()
	copy(b, "garbage")
	if p := policy.Default(); p.Version != "2026.1" {
		t.Errorf("after editing DefaultYAML's result, Default().Version = %q", p.Version)
	}
}

func TestDuration(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{"90m", 90 * time.Minute},
		{"4h", 4 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"7d", 7 * day},
		{"0d", 0},
		{" 28d ", 28 * day},
		{"-1h", -time.Hour}, // parsed; validation rejects negative windows
		{"100000d", 100000 * day},
	}
	for _, tc := range good {
		t.Run(tc.in+" is "+tc.want.String(), func(t *testing.T) {
			var d policy.Duration
			if err := d.UnmarshalText([]byte(tc.in)); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", tc.in, err)
			}
			if d.D() != tc.want {
				t.Errorf("UnmarshalText(%q) = %v, want %v", tc.in, d.D(), tc.want)
			}
		})
	}
	for _, in := range []string{"", "7", "d", "1.5d", "-1d", "7 days", "7D", "4 hours", "100001d", "99999999999999999999d"} {
		t.Run(strings.TrimSpace(in+" is not a duration"), func(t *testing.T) {
			var d policy.Duration
			err := d.UnmarshalText([]byte(in))
			if err == nil {
				t.Fatalf("UnmarshalText(%q) = %v, want an error", in, d.D())
			}
			if !strings.Contains(err.Error(), "is not a duration") {
				t.Errorf("error %q does not say it is not a duration", err)
			}
		})
	}
	t.Run("whole days are written in days, others in Go syntax, and read back", func(t *testing.T) {
		for d, want := range map[time.Duration]string{
			7 * day: "7d", 2 * day: "2d", 36 * time.Hour: "36h0m0s", 90 * time.Minute: "1h30m0s", 0: "0s",
		} {
			b, err := policy.Duration(d).MarshalText()
			if err != nil || string(b) != want {
				t.Errorf("MarshalText(%v) = %q, %v; want %q", d, b, err, want)
			}
			var back policy.Duration
			if err := back.UnmarshalText(b); err != nil || back.D() != d {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, back.D(), err, d)
			}
		}
	})
	t.Run("a duration in the policy file must have a unit", func(t *testing.T) {
		_, err := policy.Parse([]byte("base: default\nversion: x\nwindows:\n  reopen: 7\n"))
		if err == nil || !strings.Contains(err.Error(), `"7" is not a duration`) {
			t.Errorf("err = %v, want the bad duration named", err)
		}
	})
}

func TestWhatIfStartsFromTheDefault(t *testing.T) {
	t.Run("only the changed settings differ", func(t *testing.T) {
		got := mustParse(t, "base: default\nversion: what-if-1\nsla:\n  targets: {urgent: 4h, high: 8h, normal: 12h, low: 72h}\n")
		want := policy.Default()
		want.Base = "default"
		want.Version = "what-if-1"
		want.SLA.Targets["normal"] = policy.Duration(12 * time.Hour)
		if diff := cmp.Diff(want, got, ignoreDerived); diff != "" {
			t.Errorf("policy (-want +got):\n%s", diff)
		}
		if got.MetricSettings().SLATargets[event.Normal] != 12*time.Hour {
			t.Errorf("measured SLA for normal = %v, want 12h", got.MetricSettings().SLATargets[event.Normal])
		}
	})
	t.Run("one field of a section keeps the section's other fields", func(t *testing.T) {
		got := mustParse(t, "base: default\nversion: what-if-2\nwindows:\n  reopen: 14d\nconsequences:\n  warning_after: 1\n")
		want := policy.Default()
		want.Base, want.Version = "default", "what-if-2"
		want.Windows.Reopen = policy.Duration(14 * day)
		want.Consequences.WarningAfter = 1
		if diff := cmp.Diff(want, got, ignoreDerived); diff != "" {
			t.Errorf("policy (-want +got):\n%s", diff)
		}
	})
	t.Run("a pass mark moves with its grade", func(t *testing.T) {
		got := mustParse(t, "base: default\nversion: strict\npass_mark: 85\n"+
			"grades: [{grade: A, min: 90}, {grade: B, min: 85}, {grade: C, min: 70}, {grade: D, min: 0}]\n")
		want := policy.Default()
		want.Base, want.Version, want.PassMark = "default", "strict", 85
		want.Grades[1].Min = 85
		if diff := cmp.Diff(want, got, ignoreDerived); diff != "" {
			t.Errorf("policy (-want +got):\n%s", diff)
		}
		if got.Rules().PassMark != 85 {
			t.Errorf("Rules().PassMark = %v, want 85", got.Rules().PassMark)
		}
	})
	t.Run("lists are replaced whole", func(t *testing.T) {
		got := mustParse(t, "base: default\nversion: three-grades\npass_mark: 75\n"+
			"grades: [{grade: A, min: 90}, {grade: B, min: 75}, {grade: D, min: 0}]\n"+
			"consequences:\n  bonus_multipliers: {A: 2, B: 1, D: 0}\n")
		want := []policy.Grade{{"A", 90}, {"B", 75}, {"D", 0}}
		if diff := cmp.Diff(want, got.Grades); diff != "" {
			t.Errorf("grades (-want +got):\n%s", diff)
		}
	})
	t.Run("without a version of its own it is refused", func(t *testing.T) {
		_, err := policy.Parse([]byte("base: default\nlocale: en\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "version: ") {
			t.Errorf("error %v; want one naming version", err)
		}
	})
}

func TestLoad(t *testing.T) {
	t.Run("a what-if file", func(t *testing.T) {
		got, err := policy.Load(filepath.Join("testdata", "whatif.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		want := policy.Default()
		want.Base, want.Version = "default", "what-if-1"
		want.SLA.Targets["normal"] = policy.Duration(12 * time.Hour)
		want.Windows.Reopen = policy.Duration(14 * day)
		if diff := cmp.Diff(want, got, ignoreDerived); diff != "" {
			t.Errorf("policy (-want +got):\n%s", diff)
		}
		if got.Digest() == policy.Default().Digest() {
			t.Error("the what-if has the default's digest")
		}
	})
	t.Run("a file with a business-hours team", func(t *testing.T) {
		got, err := policy.Load(filepath.Join("testdata", "business.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != "2026.1-field" {
			t.Errorf("Version = %q", got.Version)
		}
		if diff := cmp.Diff(policy.Team{Calendar: "shanghai_office"}, got.Teams["field-east"]); diff != "" {
			t.Errorf("teams.field-east (-want +got):\n%s", diff)
		}
	})
	t.Run("a missing file", func(t *testing.T) {
		path := filepath.Join("testdata", "no-such-policy.yaml")
		_, err := policy.Load(path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v, want fs.ErrNotExist", err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want it to name %s", err, path)
		}
	})
	t.Run("an invalid file is named with the field", func(t *testing.T) {
		path := filepath.Join("testdata", "invalid.yaml")
		_, err := policy.Load(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "windows.reopen: must be positive") {
			t.Errorf("err = %v, want it to name %s and windows.reopen", err, path)
		}
	})
}

func TestCalendarFor(t *testing.T) {
	p, err := policy.Load(filepath.Join("testdata", "business.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sh := time.FixedZone("CST", 8*3600)
	local := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, sh) }
	tests := []struct {
		name     string
		team     string
		from, to time.Time
		want     time.Duration
	}{
		{"a business team counts only office hours", "field-east", local(12, 8), local(12, 10), time.Hour},
		{"a business team's lunch break does not count", "field-east", local(12, 11), local(12, 14), 2 * time.Hour},
		{"a business team's holiday does not count", "field-east", local(5, 0), local(6, 0), 0},
		{"a business team's make-up Saturday counts Monday's hours", "field-east", local(10, 0), local(11, 0), 8 * time.Hour},
		{"a team on the default calendar counts all time", "hotline", local(12, 8), local(12, 10), 2 * time.Hour},
		{"a team not listed gets the default calendar", "unknown-team", local(5, 0), local(6, 0), day},
		{"no team gets the default calendar", "", local(12, 11), local(12, 14), 3 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := p.CalendarFor(tc.team)
			if c == nil {
				t.Fatal("CalendarFor returned nil")
			}
			if got := c.Working(tc.from, tc.to); got != tc.want {
				t.Errorf("Working(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		})
	}
	t.Run("the default policy gives every team 24x7", func(t *testing.T) {
		if c := policy.Default().CalendarFor("field-east"); c == nil || !c.Is24x7() {
			t.Errorf("CalendarFor = %v, want a 24x7 calendar", c)
		}
	})
	t.Run("a policy without calendars gets a 24x7 default", func(t *testing.T) {
		p := mustParse(t, defaultWith(t, "calendars:\n  default: {kind: 24x7}\n", ""))
		if c := p.CalendarFor("any"); c == nil || !c.Is24x7() {
			t.Errorf("CalendarFor = %v, want a 24x7 calendar", c)
		}
	})
}

func TestMetricSettings(t *testing.T) {
	t.Run("the default policy", func(t *testing.T) {
		p := policy.Default()
		s := p.MetricSettings()
		if s.Location != p.Location() {
			t.Errorf("Location = %v, want %v", s.Location, p.Location())
		}
		wantSLA := map[event.Priority]time.Duration{event.Urgent: 4 * time.Hour, event.High: 8 * time.Hour, event.Normal: 24 * time.Hour, event.Low: 72 * time.Hour}
		if diff := cmp.Diff(wantSLA, s.SLATargets); diff != "" {
			t.Errorf("SLATargets (-want +got):\n%s", diff)
		}
		if s.ReopenWindow != 7*day || s.ComplaintWindow != 24*time.Hour || s.FirstResponseWithin != time.Hour {
			t.Errorf("windows = %v, %v, %v; want 168h, 24h, 1h", s.ReopenWindow, s.ComplaintWindow, s.FirstResponseWithin)
		}
		if diff := cmp.Diff([]string{"complaint"}, s.ComplaintTags); diff != "" {
			t.Errorf("ComplaintTags (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"complaint"}, s.ComplaintTypes); diff != "" {
			t.Errorf("ComplaintTypes (-want +got):\n%s", diff)
		}
	})
	t.Run("complaint tags and types are normalised like event tags", func(t *testing.T) {
		p, err := policy.Load(filepath.Join("testdata", "business.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		s := p.MetricSettings()
		if diff := cmp.Diff([]string{"complaint", "escalation"}, s.ComplaintTags); diff != "" {
			t.Errorf("ComplaintTags (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"complaint"}, s.ComplaintTypes); diff != "" {
			t.Errorf("ComplaintTypes (-want +got):\n%s", diff)
		}
		if s.Calendar("field-east") != p.CalendarFor("field-east") || s.Calendar("x") != p.CalendarFor("x") {
			t.Error("Calendar does not return the policy's team calendars")
		}
	})
}

func TestMinSampleFor(t *testing.T) {
	p := mustParse(t, defaultWith(t, "{id: csat_score, target: 90, floor: 50}", "{id: csat_score, target: 90, floor: 50, min_sample: 2, weight: 2}"))
	q := mustParse(t, "base: default\nversion: x\nmin_sample: {tickets: 10, surveys: 3}\n")
	tests := []struct {
		name string
		p    *policy.Policy
		id   metric.ID
		want int
	}{
		{"a ticket metric uses min_sample.tickets", p, metric.ComplaintRate, 5},
		{"a survey metric uses min_sample.surveys", p, metric.CSATSatisfiedRate, 5},
		{"a metric without a sample has no minimum", p, metric.TrainingHours, 0},
		{"a metric's own min_sample wins", p, metric.CSATScore, 2},
		{"a changed tickets minimum applies", q, metric.AvgHandleHours, 10},
		{"a changed surveys minimum applies", q, metric.FollowupConfirmedRate, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _, ok := tc.p.MetricByID(tc.id)
			if !ok {
				t.Fatalf("%s not found", tc.id)
			}
			if got := tc.p.MinSampleFor(m); got != tc.want {
				t.Errorf("MinSampleFor(%s) = %d, want %d", tc.id, got, tc.want)
			}
		})
	}
	t.Run("an explicit min_sample of 0 is kept", func(t *testing.T) {
		zero := 0
		if got := p.MinSampleFor(policy.Metric{ID: metric.ComplaintRate, MinSample: &zero}); got != 0 {
			t.Errorf("MinSampleFor = %d, want 0", got)
		}
	})
	t.Run("a metric's own weight is used", func(t *testing.T) {
		m, _, _ := p.MetricByID(metric.CSATScore)
		if m.WeightOf() != 2 {
			t.Errorf("WeightOf = %v, want 2", m.WeightOf())
		}
	})
}

func TestMetricByID(t *testing.T) {
	p := policy.Default()
	m, dim, ok := p.MetricByID(metric.RenewalRate)
	if !ok || dim != metric.CustomerSatisfaction || m.ID != metric.RenewalRate {
		t.Errorf("MetricByID(renewal_rate) = %v, %q, %v", m.ID, dim, ok)
	}
	if m, dim, ok := p.MetricByID("nps"); ok || dim != "" || m.ID != "" {
		t.Errorf("MetricByID(nps) = %v, %q, %v; want nothing", m, dim, ok)
	}
	q := mustParse(t, defaultWith(t, "      - {id: renewal_rate, target: 0.95, floor: 0.70}\n", ""))
	if _, _, ok := q.MetricByID(metric.RenewalRate); ok {
		t.Error("an optional metric left out of the policy is still found")
	}
}

func TestDigest(t *testing.T) {
	def := string(policy.DefaultYAML())
	d := policy.Default().Digest()
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(d) {
		t.Errorf("Digest = %q, want 12 hex digits", d)
	}
	if again := mustParse(t, def).Digest(); again != d {
		t.Errorf("the same text has digests %q and %q", d, again)
	}
	for name, text := range map[string]string{
		"another version":         strings.Replace(def, `version: "2026.1"`, `version: "2026.2"`, 1),
		"another number":          strings.Replace(def, "pass_mark: 80", "pass_mark: 70", 1),
		"only a changed comment":  def + "# reviewed\n",
		"the same as a base text": "base: default\nversion: \"2026.1-copy\"\n",
	} {
		if got := mustParse(t, text).Digest(); got == d {
			t.Errorf("%s: digest %q equals the default's", name, got)
		}
	}
}

func TestValidationNamesTheField(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // an edit of default.yaml, or
		overlay  string // settings on top of `base: default`
		want     string // the error contains this
	}{
		// Top level.
		{name: "version is required", old: `version: "2026.1"`, new: `version: ""`, want: "version: is required"},
		{name: "time_zone is required", old: "\ntime_zone: Asia/Shanghai", new: "\ntime_zone: ''", want: "time_zone: is required"},
		{name: "time_zone must be known", overlay: "time_zone: Mars/Olympus", want: "time_zone: unknown"},
		{name: "locale is zh-CN or en", overlay: "locale: fr", want: "locale:"},
		{name: "an empty locale is rejected", old: "locale: zh-CN", new: "locale: ''", want: "locale:"},
		{name: "an unknown field is a typo with its line", overlay: "pass_mrk: 80", want: `line 3: unknown field "pass_mrk"`},
		{name: "base other is not a known policy", old: `version: "2026.1"`, new: "base: other\nversion: x", want: `base: "other" is not a known policy`},
		{name: "a wrong YAML type names the line", old: "pass_mark: 80", new: "pass_mark: eighty", want: "line 17:"},
		// The parser notices the unclosed list on the next line.
		{name: "broken YAML names the line", old: "pass_mark: 80", new: "pass_mark: [80", want: "line 18:"},

		// Grades and consequences.
		{name: "pass_mark must be a grade's min", old: "pass_mark: 80", new: "pass_mark: 85", want: "pass_mark: must equal the min of one grade"},
		{name: "pass_mark must be above 0", old: "pass_mark: 80", new: "pass_mark: 0", want: "pass_mark:"},
		{name: "grades must be listed", overlay: "grades: []", want: "grades:"},
		{name: "grades are ordered best first", old: "{grade: C, min: 70}", new: "{grade: C, min: 95}", want: "grades[2].min:"},
		{name: "the last grade starts at 0", old: "{grade: D, min: 0}", new: "{grade: D, min: 10}", want: "grades[3].min:"},
		{name: "a grade is listed once", old: "{grade: C, min: 70}", new: "{grade: B, min: 70}", want: "grades[2].grade:"},
		{name: "min_sample.tickets must not be negative", overlay: "min_sample: {tickets: -1, surveys: 5}", want: "min_sample.tickets:"},
		{name: "min_sample.surveys must not be negative", overlay: "min_sample: {tickets: 5, surveys: -1}", want: "min_sample.surveys:"},
		{name: "month_min_tickets must not be negative", overlay: "month_min_tickets: -1", want: "month_min_tickets:"},
		{name: "adjustment_after must exceed warning_after", old: "adjustment_after: 3", new: "adjustment_after: 2", want: "consequences.adjustment_after"},
		{name: "warning_after must be positive", overlay: "consequences: {warning_after: 0}", want: "consequences.warning_after"},
		{name: "exempt_months must not be negative", overlay: "consequences: {exempt_months: -1}", want: "consequences.exempt_months"},
		{name: "every grade needs a bonus multiplier", old: "{A: 1.5, B: 1.0, C: 0.5, D: 0}", new: "{A: 1.5, B: 1.0, C: 0.5}", want: `consequences.bonus_multipliers: missing a multiplier for grade "D"`},
		{name: "a bonus multiplier is not negative", old: "{A: 1.5, B: 1.0, C: 0.5, D: 0}", new: "{A: 1.5, B: 1.0, C: 0.5, D: -1}", want: "consequences.bonus_multipliers.D:"},
		{name: "a bonus multiplier is for a grade", old: "{A: 1.5, B: 1.0, C: 0.5, D: 0}", new: "{A: 1.5, B: 1.0, C: 0.5, D: 0, E: 0}", want: "consequences.bonus_multipliers.E:"},
		{name: "promotion_grade is a grade", overlay: "consequences: {promotion_grade: S}", want: "consequences.promotion_grade"},
		{name: "promotion_count fits the window", overlay: "consequences: {promotion_count: 7}", want: "consequences.promotion_count"},
		{name: "recognition_month is a month", overlay: "consequences: {recognition_month: 13}", want: "consequences.recognition_month"},

		// Dimensions and metrics.
		{name: "dimensions are required", overlay: "dimensions: []", want: "dimensions: is required"},
		{name: "a dimension id is one of the plan's", old: "id: customer_satisfaction", new: "id: happiness", want: "dimensions[0].id:"},
		{name: "a dimension appears once", old: "id: response_time", new: "id: problem_resolution", want: `dimensions[2].id: "problem_resolution" appears twice`},
		{name: "a dimension weight is positive", old: "weight: 30", new: "weight: 0", want: "dimensions[0].weight:"},
		{name: "a dimension has metrics", overlay: "dimensions: [{id: response_time, weight: 20, metrics: []}]", want: "dimensions[0].metrics:"},
		{name: "a metric id must be known", old: "{id: csat_score,", new: "{id: csat_scor,", want: `dimensions[0].metrics[0].id: unknown metric "csat_scor"`},
		{name: "a metric is scored once", old: "{id: knowledge_score, target: 80, floor: 50}", new: "{id: csat_score, target: 80, floor: 50}", want: `dimensions[3].metrics[2].id: "csat_score" is already scored in customer_satisfaction`},
		{name: "a rate target is a fraction", old: "{id: csat_satisfied_rate, target: 0.90,", new: "{id: csat_satisfied_rate, target: 95,", want: "dimensions[0].metrics[1].target: 95 is a rate and must be between 0 and 1 (0.95, not 95)"},
		{name: "a rate floor is a fraction", old: "{id: resolution_sla_rate, target: 0.95, floor: 0.65}", new: "{id: resolution_sla_rate, target: 0.95, floor: -0.1}", want: "dimensions[1].metrics[0].floor:"},
		{name: "a points target is at most 100", old: "{id: knowledge_score, target: 80,", new: "{id: knowledge_score, target: 120,", want: "dimensions[3].metrics[2].target: 120 must be between 0 and 100"},
		{name: "an hours floor is not negative", old: "{id: training_hours, target: 4, floor: 0}", new: "{id: training_hours, target: 4, floor: -1}", want: "dimensions[3].metrics[0].floor: must not be negative"},
		{name: "a target equal to the floor scores nothing", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, target: 50, floor: 50}", want: "dimensions[0].metrics[0].target: higher is better"},
		{name: "a lower-is-better target is below the floor", old: "{id: complaint_rate, target: 0.05, floor: 0.20}", new: "{id: complaint_rate, target: 0.30, floor: 0.20}", want: "dimensions[0].metrics[2].target: lower is better"},
		{name: "a target is required", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, floor: 50}", want: "dimensions[0].metrics[0].target: is required"},
		{name: "a floor is required", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, target: 90}", want: "dimensions[0].metrics[0].floor: is required"},
		{name: "a metric weight is positive", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, target: 90, floor: 50, weight: 0}", want: "dimensions[0].metrics[0].weight:"},
		{name: "a metric min_sample is not negative", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, target: 90, floor: 50, min_sample: -1}", want: "dimensions[0].metrics[0].min_sample:"},
		{name: "a bonus metric has no target", old: "{id: collaboration_cases, bonus_points: 2,", new: "{id: collaboration_cases, target: 5, bonus_points: 2,", want: "dimensions[4].metrics[4]: collaboration_cases is a bonus metric"},
		{name: "a bonus metric has bonus points", old: "bonus_points: 2,", new: "bonus_points: 0,", want: "dimensions[4].metrics[4].bonus_points:"},
		{name: "a bonus is capped within 100", old: "max_bonus: 10}", new: "max_bonus: 150}", want: "dimensions[4].metrics[4].max_bonus:"},
		{name: "bonus points are only for bonus metrics", old: "{id: csat_score, target: 90, floor: 50}", new: "{id: csat_score, target: 90, floor: 50, bonus_points: 1}", want: "dimensions[0].metrics[0]: bonus_points and max_bonus are only for bonus metrics"},

		// SLA.
		{name: "every priority needs an SLA target", old: "{urgent: 4h, high: 8h,", new: "{high: 8h,", want: "sla.targets.urgent: is required"},
		{name: "an SLA target is positive", old: "low: 72h}", new: "low: 0s}", want: "sla.targets.low: must be positive"},
		{name: "an unknown priority is rejected", old: "low: 72h}", new: "low: 72h, critical: 1h}", want: "sla.targets.critical: unknown priority"},
		{name: "a priority key is lower case", old: "low: 72h}", new: "low: 72h, Low: 48h}", want: "sla.targets.Low: unknown priority"},

		// Calendars and teams.
		{name: "a default calendar is required", old: "default: {kind: 24x7}", new: "office: {kind: 24x7}", want: "calendars.default: is required"},
		{name: "a calendar kind is known", old: "default: {kind: 24x7}", new: "default: {kind: weekdays}", want: "calendars.default.kind:"},
		{name: "a business calendar span must end after it starts", old: "default: {kind: 24x7}",
			new:  "default: {kind: 24x7}\n  office: {kind: business, time_zone: Asia/Shanghai, hours: {mon: [\"09:00-12:00\", \"18:00-13:00\"]}}",
			want: `calendars.office.hours.mon[1]: "18:00-13:00" does not end after it starts`},
		{name: "a business calendar needs a zone", old: "default: {kind: 24x7}", new: "default: {kind: 24x7}\n  office: {kind: business, hours: {mon: [\"09:00-18:00\"]}}", want: "calendars.office.time_zone:"},
		{name: "a business calendar holiday is a date", old: "default: {kind: 24x7}", new: "default: {kind: 24x7}\n  office: {kind: business, time_zone: UTC, hours: {mon: [\"09:00-18:00\"]}, holidays: [\"1 Oct\"]}", want: "calendars.office.holidays[0]:"},
		{name: "a team's calendar is defined", old: "teams: {}", new: "teams: {x: {calendar: office}}", want: `teams.x.calendar: "office" is not defined`},

		// Complaints, windows, surveys, retention.
		{name: "complaints need tags or ticket types", old: "ticket_types: [complaint]\n  tags: [complaint]", new: "ticket_types: []\n  tags: []", want: "complaint: needs tags or ticket_types"},
		{name: "the reopen window is positive", old: "reopen: 7d", new: "reopen: 0d", want: "windows.reopen: must be positive"},
		{name: "the complaint window is positive", overlay: "windows: {complaint_resolution: -1h}", want: "windows.complaint_resolution:"},
		{name: "the first response window is positive", overlay: "windows: {first_response: 0s}", want: "windows.first_response:"},
		{name: "the survey delay is not negative", old: "delay: 1h", new: "delay: -1h", want: "surveys.delay: must not be negative"},
		{name: "the survey quiet period is not negative", overlay: "surveys: {quiet_period: -1h}", want: "surveys.quiet_period:"},
		{name: "a survey link is valid for some time", overlay: "surveys: {link_validity: 0s}", want: "surveys.link_validity:"},
		{name: "raw events are kept for some time", overlay: "retention: {raw_events: 0d}", want: "retention.raw_events:"},

		// Quality reviews.
		{name: "quality reviewers are lead or peer", overlay: "quality: {enabled: true, seed: s, per_engineer: 4, informative_share: 0.5, low_rating: 2, double_share: 0.2, reviewers: boss, scale: 4, categories: [{id: a, weight: 1, labels: {en: A, zh-CN: 甲}}]}", want: `quality.reviewers: "boss"`},
		{name: "a quality share is a share", overlay: "quality: {enabled: true, seed: s, per_engineer: 4, informative_share: 50, low_rating: 2, double_share: 0.2, reviewers: lead, scale: 4, categories: [{id: a, weight: 1, labels: {en: A, zh-CN: 甲}}]}", want: "quality.informative_share:"},
		{name: "a quality category needs both labels", overlay: "quality: {enabled: true, seed: s, per_engineer: 4, informative_share: 0.5, low_rating: 2, double_share: 0.2, reviewers: lead, scale: 4, categories: [{id: a, weight: 1, labels: {en: A}}]}", want: "quality.categories[0].labels:"},
		{name: "a quality sample needs a seed", overlay: "quality: {enabled: true, seed: '', per_engineer: 4, informative_share: 0.5, low_rating: 2, double_share: 0.2, reviewers: lead, scale: 4, categories: [{id: a, weight: 1, labels: {en: A, zh-CN: 甲}}]}", want: "quality.seed:"},
		{name: "min_sample.reviews not negative", overlay: "min_sample: {tickets: 5, surveys: 5, reviews: -1}", want: "min_sample.reviews:"},

		// Check-ins.
		{name: "check-ins on need a day", overlay: "check_ins: {enabled: true, days: [], min_tickets: 5, at_risk_within: 24h}", want: "check_ins.days:"},
		{name: "a check-in day every month has", overlay: "check_ins: {enabled: true, days: [10, 30], min_tickets: 5, at_risk_within: 24h}", want: "check_ins.days[1]: 30"},
		{name: "a check-in day once", overlay: "check_ins: {enabled: true, days: [10, 10], min_tickets: 5, at_risk_within: 24h}", want: "check_ins.days[1]: 10 appears twice"},
		{name: "check-in min_tickets not negative", overlay: "check_ins: {enabled: true, days: [10], min_tickets: -1, at_risk_within: 24h}", want: "check_ins.min_tickets:"},
		{name: "at-risk horizon is positive", overlay: "check_ins: {enabled: true, days: [10], min_tickets: 5, at_risk_within: 0h}", want: "check_ins.at_risk_within:"},
	}
	if _, err := policy.Parse(policy.DefaultYAML()); err != nil {
		t.Fatalf("the unedited default does not parse: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := "base: default\nversion: what-if\n" + tc.overlay + "\n"
			if tc.overlay == "" {
				text = defaultWith(t, tc.old, tc.new)
			}
			p, err := policy.Parse([]byte(text))
			if err == nil {
				t.Fatalf("Parse accepted the edit; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
			if p != nil {
				t.Error("Parse returned a policy with the error")
			}
		})
	}
}

func TestUnknownFieldNamesItsLine(t *testing.T) {
	const snippet = "{id: csat_score, target: 90, floor: 50}"
	text := defaultWith(t, snippet, "{id: csat_score, tagret: 90, floor: 50}")
	_, err := policy.Parse([]byte(text))
	want := "line " + strconv.Itoa(lineOf(t, snippet)) + `: unknown field "tagret"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want it to start with %q", err, want)
	}
}
