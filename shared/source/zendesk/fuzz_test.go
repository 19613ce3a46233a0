package zendesk_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/source/zendesk"
)

// FuzzParse checks that no body makes Parse panic, that every rejection is
// a coded Invalid error with a message and no events, and that whatever it
// accepts is a complete Zendesk event that the generic format accepts too.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	top, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	files = append(files, top...)
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(ticketBody("comment_added", `"requester_id": 5`, `{"comment": {"is_public": false, "author": {"id": 5}}}`)))
	f.Add([]byte(ticketBody("tags_changed", ``, `{"current": ["a"]}`)))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := zendesk.Parse(event.Delivery{Body: body, Received: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if errcode.Message(err) == "" || got != nil {
				t.Fatalf("error %v with message %q and %d events", err, errcode.Message(err), len(got))
			}
			return
		}
		if len(got) > 1 {
			t.Fatalf("got %d events from one body", len(got))
		}
		for _, e := range got {
			checkValid(t, e)
		}
	})
}

// checkValid fails unless e is a complete zendesk event that the generic
// format, the model's reference validator, accepts unchanged.
func checkValid(t *testing.T, e event.Event) {
	t.Helper()
	if e.Source != zendesk.Source || e.ID == "" || e.TicketID == "" || e.OccurredAt.IsZero() {
		t.Fatalf("incomplete event %+v", e)
	}
	if _, err := event.ToGeneric(e).Normalize(""); err != nil {
		t.Fatalf("event %+v is not valid in the model: %v", e, err)
	}
}

// FuzzVerify checks that Verify never panics, accepts the right signature of
// any body signed within the window, and rejects it once the body changes.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("dev-zendesk-secret"), []byte(`{"type": "zen:event-type:ticket.created"}`), int64(0), "")
	f.Add([]byte("k"), []byte{}, int64(-300), "Zm9v")
	f.Add([]byte("\x00\xff"), []byte("\xff"), int64(300), "2026-10-05T01:00:00Z")
	f.Fuzz(func(t *testing.T, key, body []byte, skew int64, junk string) {
		if len(key) == 0 {
			return
		}
		skew %= int64(zendesk.MaxSkew / time.Second)
		h := signed(key, now.Add(time.Duration(skew)*time.Second), body)
		if err := zendesk.Verify(key, h, body, now); err != nil {
			t.Fatalf("Verify of a correctly signed body: %v", err)
		}
		tampered := append(bytes.Clone(body), 'x')
		if errcode.Code(zendesk.Verify(key, h, tampered, now)) != errcode.Unauthorized {
			t.Fatal("a tampered body was accepted")
		}
		// Arbitrary header values never panic and never pass unless they
		// happen to be right.
		h.Set(zendesk.SignatureHeader, junk)
		if err := zendesk.Verify(key, h, body, now); err == nil {
			want, _ := base64.StdEncoding.DecodeString(zendesk.Sign(key, h.Get(zendesk.TimestampHeader), body))
			got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(junk))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("junk signature %q accepted", junk)
			}
		}
		h.Set(zendesk.TimestampHeader, junk)
		_ = zendesk.Verify(key, h, body, now)
	})
}
