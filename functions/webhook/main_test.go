package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestSetupRefusesToStartWithoutSecrets(t *testing.T) {
	env := map[string]string{"AWS_REGION": "eu-west-1"}
	_, err := setup(context.Background(), func(k string) string { return env[k] }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "SECRETS_PREFIX") {
		t.Errorf("want an error naming SECRETS_PREFIX, got %v", err)
	}
}
