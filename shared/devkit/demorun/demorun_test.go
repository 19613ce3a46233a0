package demorun

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/records"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/demo"
)

// The records the demo posts read back, through the records webhook's own
// parser, as the records generated.
func TestRecordsBodyRoundTrips(t *testing.T) {
	cfg := demo.DefaultConfig()
	cfg.TicketsPerMonth = 10
	org, _ := demo.Generate(cfg)
	for _, p := range demo.GeneratePeople(cfg, org) {
		body, err := recordsBody(p.Records)
		if err != nil {
			t.Fatal(err)
		}
		got, err := records.ParseWebhook(body)
		if err != nil {
			t.Fatalf("%s: %v", p.Month, err)
		}
		if diff := cmp.Diff(p.Records, got, cmpopts.IgnoreFields(records.Record{}, "Line", "Index"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-generated +parsed):\n%s", p.Month, diff)
		}
	}
}

func TestSurveyLogFindsTheSurveyOfTheResolutionBefore(t *testing.T) {
	l := newSurveyLog()
	k := dynamo.TicketKey{Source: "jira", ID: "SUP-1"}
	t0 := time.Date(2026, 8, 3, 1, 0, 0, 0, time.UTC)
	l.add(k, mailedSurvey{ResolvedAt: t0, Links: []string{"first"}})
	l.add(k, mailedSurvey{ResolvedAt: t0.Add(72 * time.Hour), Links: []string{"second"}})
	tests := []struct {
		name string
		key  dynamo.TicketKey
		at   time.Time
		want string // "" for none
	}{
		{"before any resolution", k, t0.Add(-time.Minute), ""},
		{"after the first", k, t0.Add(5 * time.Hour), "first"},
		{"after the second", k, t0.Add(80 * time.Hour), "second"},
		{"another ticket", dynamo.TicketKey{Source: "zendesk", ID: "SUP-1"}, t0.Add(80 * time.Hour), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := l.before(tc.key, tc.at)
			got := ""
			if ok {
				got = s.Links[0]
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBusiestTeamHasTheMostWarningsAndAdjustments(t *testing.T) {
	card := func(team string, kinds ...consequence.Kind) scoring.Card {
		c := scoring.Card{Team: team}
		for _, k := range kinds {
			c.Consequences = append(c.Consequences, consequence.Consequence{Kind: k})
		}
		return c
	}
	tests := []struct {
		name  string
		cards []scoring.Card
		want  string
	}{
		{"none: the first team by name", []scoring.Card{card("North"), card("East", consequence.Bonus)}, "East"},
		{"a warning and an adjustment beat two bonuses", []scoring.Card{card("North", consequence.Bonus, consequence.Bonus), card("West", consequence.Warning), card("West", consequence.PositionAdjustment)}, "West"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := busiestTeam(tc.cards); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
