package mailer_test

import (
	"strings"
	"testing"

	"scorecard/shared/aws/mailer"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		fail bool
	}{
		{"", 0, false},
		{"1", 1, false},
		{"14.5", 14.5, false},
		{"0", 0, true},
		{"-1", 0, true},
		{"fast", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := mailer.ParseRate(tc.in)
			if (err != nil) != tc.fail || got != tc.want {
				t.Errorf("ParseRate(%q) = %v, %v", tc.in, got, err)
			}
			if err != nil && !strings.Contains(err.Error(), "MAIL_RATE") {
				t.Errorf("the error does not name MAIL_RATE: %v", err)
			}
		})
	}
}
