package policy_test

import (
	"strings"
	"testing"

	"scorecard/shared/core/policy"
)

func TestMoreErrorsNameTheField(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"a bad duration names its line and field", "base: default\nversion: x\nwindows:\n  reopen: 7\n  complaint_resolution: 24h\n  first_response: 1h\n", "line 4: windows.reopen: \"7\" is not a duration"},
		{"a duration in words is refused", "base: default\nversion: x\nsla:\n  targets: {urgent: 4 hours, high: 8h, normal: 24h, low: 72h}\n", "sla.targets.urgent: \"4 hours\" is not a duration"},
		{"the host's local zone is not a time zone", "base: default\nversion: x\ntime_zone: Local\n", "time_zone: unknown time zone"},
		{"a team needs a calendar name", "base: default\nversion: x\nteams:\n  north: {}\n", "teams.north.calendar: is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDevPolicySurveysAtOnce(t *testing.T) {
	p := policy.Dev()
	if p.Surveys.Delay != 0 || p.Version == policy.Default().Version || p.PassMark != 80 {
		t.Errorf("dev policy: delay %v version %q pass mark %v", p.Surveys.Delay, p.Version, p.PassMark)
	}
}
