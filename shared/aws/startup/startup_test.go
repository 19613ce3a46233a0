package startup_test

import (
	"context"
	"strings"
	"testing"

	"scorecard/shared/aws/startup"
)

func TestLoadNamesWhatIsMissing(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no secrets prefix", map[string]string{}, "SECRETS_PREFIX is not set"},
		{"a required variable", map[string]string{"SECRETS_PREFIX": "/s"}, "MAIL_FROM is not set"},
		{"a policy file that is not there", map[string]string{"SECRETS_PREFIX": "/s", "MAIL_FROM": "a@example.com", "POLICY_FILE": "/nonexistent.yaml"}, "nonexistent.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := startup.Load(context.Background(), func(k string) string { return tc.env[k] }, []string{"MAIL_FROM"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
