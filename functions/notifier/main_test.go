package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestSetupRefusesToStartWithoutItsConfiguration(t *testing.T) {
	_, err := setup(context.Background(), func(string) string { return "" }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "SECRETS_PREFIX") {
		t.Errorf("want an error naming SECRETS_PREFIX, got %v", err)
	}
}

func TestMailRate(t *testing.T) {
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
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := mailRate(tc.in)
			if (err != nil) != tc.fail || got != tc.want {
				t.Errorf("mailRate(%q) = %v, %v", tc.in, got, err)
			}
			if err != nil && !strings.Contains(err.Error(), "MAIL_RATE") {
				t.Errorf("the error does not name MAIL_RATE: %v", err)
			}
		})
	}
}
