package event_test

import (
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

func TestSharedChecks(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"an empty body", event.DecodeObject([]byte("  "), &v), "body is empty"},
		{"not an object", event.DecodeObject([]byte("[1]"), &v), "must be a JSON object"},
		{"a field of the wrong type", event.DecodeObject([]byte(`{"a":"x"}`), &v), "a: wrong type (string)"},
		{"broken JSON", event.DecodeObject([]byte(`{"a":}`), &v), "invalid JSON at byte"},
		{"a missing id", func() error { _, err := event.RequiredID("detail.id", " "); return err }(), "detail.id: is required"},
		{"a long id", func() error { _, err := event.OptionalID("x", strings.Repeat("a", 300)); return err }(), "x: longer than 256 bytes"},
		{"a time without zone", func() error { _, err := event.ParseTime("time", "2026-10-05 01:00"); return err }(), `time: "2026-10-05 01:00" is not an RFC 3339`},
		{"a missing time", func() error { _, err := event.ParseTime("time", ""); return err }(), "time: is required"},
		{"a time in 1970", func() error { _, err := event.CheckTime("ts", time.Unix(5, 0)); return err }(), "ts: 1970-01-01T00:00:05Z is outside 2000–2099"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if errcode.Code(tc.err) != errcode.Invalid || !strings.Contains(errcode.Message(tc.err), tc.want) {
				t.Errorf("got %v, want invalid mentioning %q", tc.err, tc.want)
			}
		})
	}
	if got, err := event.ParseTime("t", "2026-10-05T09:00:00+08:00"); err != nil || !got.Equal(time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("ParseTime: %v %v", got, err)
	}
	if got := event.Clip(strings.Repeat("语", 30)); !strings.HasSuffix(got, "…") || len(got) > 44 {
		t.Errorf("Clip cuts on a rune boundary: %q", got)
	}
	if got := event.Clip("short"); got != "short" {
		t.Errorf("Clip(short) = %q", got)
	}
}
