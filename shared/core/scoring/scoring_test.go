package scoring_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

var october = month.Month{Year: 2026, Month: time.October}

func TestPoints(t *testing.T) {
	tests := []struct {
		name                 string
		lower                bool
		target, floor, value float64
		want                 float64
	}{
		{"at target scores 100", false, 0.95, 0.65, 0.95, 100},
		{"above target is capped at 100", false, 0.95, 0.65, 1, 100},
		{"at floor scores 0", false, 0.95, 0.65, 0.65, 0},
		{"below floor is capped at 0", false, 0.95, 0.65, 0.2, 0},
		{"linear in between", false, 90, 50, 70, 50},
		{"lower is better is mirrored", true, 24, 72, 48, 50},
		{"lower is better: under target is 100", true, 2, 8, 0.5, 100},
		{"lower is better: over floor is 0", true, 0.05, 0.20, 0.5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := scoring.Points(tc.lower, tc.target, tc.floor, tc.value); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Points = %v, want %v", got, tc.want)
			}
		})
	}
}

func val(num, den float64, n int) *metric.Value {
	return &metric.Value{Numerator: num, Denominator: den, N: n}
}

func set(x float64) *metric.Value { v := &metric.Value{}; v.Set(x, 1); return v }

func eng(id, team string, tickets int, values map[metric.ID]*metric.Value) *metric.Month {
	return &metric.Month{Engineer: metric.Engineer{ID: id, Team: team}, Tickets: tickets, Values: values}
}

func byID(cards []scoring.Card) map[string]scoring.Card {
	out := map[string]scoring.Card{}
	for _, c := range cards {
		out[c.EngineerID] = c
	}
	return out
}

// A hand-computed month under the default policy.
func TestScoreHandComputed(t *testing.T) {
	p := policy.Default()
	ann := eng("ann", "t", 20, map[metric.ID]*metric.Value{
		// customer satisfaction: csat 80 → (80-50)/40 = 75 pts; satisfied 0.9 → 100; complaint 1/20 = 0.05 → 100.
		metric.CSATScore:         val(800, 10, 10),
		metric.CSATSatisfiedRate: val(9, 10, 10),
		metric.ComplaintRate:     val(1, 20, 20),
		// problem resolution: SLA 0.8 → (0.8-0.65)/0.3 = 50; handle 48h → 50.
		metric.ResolutionSLARate: val(16, 20, 20),
		metric.AvgHandleHours:    val(960, 20, 20),
		// response time: 3h → (8-3)/6 = 83.333…; within 1h 0.75 → 50.
		metric.AvgFirstResponseHours: val(60, 20, 20),
		metric.FirstResponse1hRate:   val(15, 20, 20),
	})
	cards := scoring.Score(p, october, []*metric.Month{ann})
	c := cards[0]
	dims := map[string]float64{}
	for id, d := range c.Dimensions {
		if d.Score != nil {
			dims[id] = *d.Score
		}
	}
	wantDims := map[string]float64{
		metric.CustomerSatisfaction: 91.67, // (75+100+100)/3
		metric.ProblemResolution:    50,
		metric.ResponseTime:         66.67, // (83.333+50)/2
	}
	if diff := cmp.Diff(wantDims, dims); diff != "" {
		t.Errorf("dimensions (-want +got):\n%s", diff)
	}
	// composite = (30·91.667 + 25·50 + 20·66.667) / 75 = 5333.33 / 75 = 71.11
	if c.Composite == nil || *c.Composite != 71.11 {
		t.Fatalf("composite = %v, want 71.11", fmtp(c.Composite))
	}
	if c.Grade != "C" || c.MeetsStandard == nil || *c.MeetsStandard || c.InsufficientData {
		t.Errorf("grade %q meets %v insufficient %v", c.Grade, c.MeetsStandard, c.InsufficientData)
	}
	wantMissed := []string{"avg_first_response_hours", "avg_handle_hours", "csat_score", "first_response_1h_rate", "resolution_sla_rate"}
	if diff := cmp.Diff(wantMissed, c.MissedMetrics); diff != "" {
		t.Errorf("missed metrics (-want +got):\n%s", diff)
	}
	if r := c.Metrics[metric.RenewalRate]; r.Status != scoring.NoData || r.Points != nil || r.Value != nil {
		t.Errorf("a metric without data is not scored: %+v", r)
	}
	if c.PolicyVersion != "2026.1" || c.Month != october {
		t.Errorf("policy version %q month %v", c.PolicyVersion, c.Month)
	}
}

func TestSmallSamplesAreShrunkTowardTheTeamMean(t *testing.T) {
	p := policy.Default()
	months := []*metric.Month{
		// ann: 2 survey answers, both 5 → raw 100; teammates pool: bob 60 over 8, cat 80 over 2 → (480+160)/10 = 64.
		eng("ann", "t", 10, map[metric.ID]*metric.Value{metric.CSATScore: val(200, 2, 2)}),
		eng("bob", "t", 10, map[metric.ID]*metric.Value{metric.CSATScore: val(480, 8, 8)}),
		eng("cat", "t", 10, map[metric.ID]*metric.Value{metric.CSATScore: val(160, 2, 2)}),
		// dan is alone in his team: nothing to shrink toward.
		eng("dan", "solo", 10, map[metric.ID]*metric.Value{metric.CSATScore: val(100, 4, 4)}),
	}
	cards := byID(scoring.Score(p, october, months))
	a := cards["ann"].Metrics[metric.CSATScore]
	// scored = (2·100 + 3·64) / 5 = 78.4
	if *a.Value != 100 || *a.ScoredValue != 78.4 || *a.TeamMean != 64 || a.MinSample != 5 {
		t.Errorf("ann: value %v scored %v team mean %v", *a.Value, *a.ScoredValue, *a.TeamMean)
	}
	if *a.Points != 71 { // (78.4-50)/40
		t.Errorf("ann points %v, want 71", *a.Points)
	}
	b := cards["bob"].Metrics[metric.CSATScore]
	if *b.ScoredValue != 60 || b.TeamMean != nil {
		t.Errorf("bob has enough answers and is not shrunk: %+v", b)
	}
	d := cards["dan"].Metrics[metric.CSATScore]
	if d.Status != scoring.Insufficient || d.Points != nil || *d.Value != 25 {
		t.Errorf("dan: a small sample with nothing to shrink toward is insufficient, never 0: %+v", d)
	}
	if cards["dan"].Composite != nil || !cards["dan"].InsufficientData || cards["dan"].MeetsStandard != nil {
		t.Errorf("dan: no scored metric means no composite: %+v", cards["dan"])
	}
}

func TestInsufficientMonth(t *testing.T) {
	p := policy.Default()
	c := scoring.Score(p, october, []*metric.Month{
		eng("ann", "t", 3, map[metric.ID]*metric.Value{metric.LeadAttitudeScore: set(95)}),
	})[0]
	if c.Composite == nil || *c.Composite != 100 {
		t.Errorf("composite %v", c.Composite)
	}
	if !c.InsufficientData || c.Grade != "" || c.MeetsStandard != nil {
		t.Errorf("3 tickets < month_min_tickets 5 must be insufficient: %+v", c)
	}
}

func TestBonusAndWeights(t *testing.T) {
	p, err := policy.Parse([]byte(`base: default
version: weights
dimensions:
  - id: team_collaboration
    weight: 15
    metrics:
      - {id: lead_collaboration_score, target: 85, floor: 50, weight: 3}
      - {id: lead_attitude_score, target: 85, floor: 50}
      - {id: collaboration_cases, bonus_points: 2, max_bonus: 10}
`))
	if err != nil {
		t.Fatal(err)
	}
	cases := &metric.Value{}
	cases.Set(7, 7)
	c := scoring.Score(p, october, []*metric.Month{eng("ann", "t", 10, map[metric.ID]*metric.Value{
		metric.LeadCollaborationScore: set(67.5), // 50 points
		metric.LeadAttitudeScore:      set(85),   // 100 points
		metric.CollaborationCases:     cases,     // 14 → capped at 10
	})})[0]
	d := c.Dimensions[metric.TeamCollaboration]
	// (3·50 + 1·100)/4 = 62.5, + 10 bonus = 72.5
	if d.Score == nil || *d.Score != 72.5 || d.Bonus != 10 {
		t.Errorf("dimension %+v", d)
	}
	if m := c.Metrics[metric.CollaborationCases]; m.Status != scoring.Bonus || *m.Points != 10 {
		t.Errorf("bonus metric %+v", m)
	}
	if *c.Composite != 72.5 || c.Grade != "C" {
		t.Errorf("composite %v grade %s", *c.Composite, c.Grade)
	}
}

func TestEvidenceOnlyForMissedMetrics(t *testing.T) {
	p := policy.Default()
	good := val(20, 20, 20)
	good.Offending = []string{"T9"}
	bad := val(10, 20, 20)
	bad.Offending = []string{"T1", "T2"}
	c := scoring.Score(p, october, []*metric.Month{eng("ann", "t", 20, map[metric.ID]*metric.Value{
		metric.ResolutionSLARate: good, metric.FirstResponse1hRate: bad,
	})})[0]
	if got := c.Metrics[metric.ResolutionSLARate]; got.Status != scoring.Met || got.Offending != nil {
		t.Errorf("met metric shows evidence: %+v", got)
	}
	if diff := cmp.Diff([]string{"T1", "T2"}, c.Metrics[metric.FirstResponse1hRate].Offending); diff != "" {
		t.Errorf("missed metric evidence (-want +got):\n%s", diff)
	}
}

func TestValueExactlyAtTargetMeetsIt(t *testing.T) {
	p := policy.Default()
	// 0.1+0.2-style noise: 19/20 = 0.95 exactly in decimal but not in binary arithmetic paths.
	c := scoring.Score(p, october, []*metric.Month{eng("ann", "t", 20, map[metric.ID]*metric.Value{
		metric.ResolutionSLARate: val(0.95*3, 3, 20),
	})})[0]
	if m := c.Metrics[metric.ResolutionSLARate]; m.Status != scoring.Met || *m.Points != 100 {
		t.Errorf("value at target: %+v points %v", m, *m.Points)
	}
}

func TestRecordCarriesTheCard(t *testing.T) {
	p := policy.Default()
	c := scoring.Score(p, october, []*metric.Month{eng("ann", "t", 20, map[metric.ID]*metric.Value{metric.FirstResponse1hRate: val(10, 20, 20)})})[0]
	r := c.Record()
	if r.Month != october || r.Composite != c.Composite || r.Grade != c.Grade || r.MeetsStandard != c.MeetsStandard {
		t.Errorf("record %+v from card %+v", r, c)
	}
}

func fmtp(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}
