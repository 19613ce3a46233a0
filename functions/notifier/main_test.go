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
