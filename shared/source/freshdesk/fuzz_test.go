package freshdesk_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/source/freshdesk"
)

// FuzzParse checks that no body makes Parse panic, that every rejection is
// a coded Invalid error with a message and no events, and that whatever it
// accepts is at most four complete Freshdesk events (a body without an
// event is read as the ticket's state) that the generic format accepts too.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	real, err := filepath.Glob(filepath.Join("testdata", "real", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	files = append(files, real...)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(body("tags_changed", `"tags": ["a", " "]`, `"ticket_type": "X"`)))
	f.Add([]byte(`{"event": "created", "ticket_id": 7, "triggered_at": "Mon, 5 Oct 2026 01:00:00 +0000"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := freshdesk.Parse(event.Delivery{Body: b, Received: received})
		if err != nil {
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if errcode.Message(err) == "" || got != nil {
				t.Fatalf("error %v with message %q and %d events", err, errcode.Message(err), len(got))
			}
			return
		}
		if len(got) > 4 {
			t.Fatalf("got %d events from one body, want at most 4", len(got))
		}
		for _, e := range got {
			if e.Source != freshdesk.Source || e.ID == "" || e.TicketID == "" || e.OccurredAt.IsZero() {
				t.Fatalf("incomplete event %+v", e)
			}
			if _, err := event.ToGeneric(e).Normalize(""); err != nil {
				t.Fatalf("event %+v is not valid in the model: %v", e, err)
			}
		}
	})
}

// FuzzVerify checks that Verify never panics, accepts the right bearer
// token for any secret that can travel in a header, and accepts no other.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("dev-freshdesk-secret"), "Bearer dev-freshdesk-secret")
	f.Add([]byte("k"), "Basic k")
	f.Add([]byte("\x00"), "bearer \x00")
	f.Fuzz(func(t *testing.T, key []byte, value string) {
		if len(key) == 0 {
			return
		}
		err := freshdesk.Verify(key, authorization(value), nil, time.Time{})
		scheme, token, _ := strings.Cut(strings.TrimSpace(value), " ")
		right := strings.EqualFold(scheme, "bearer") && strings.TrimSpace(token) == string(key)
		if err == nil && !right {
			t.Fatalf("Authorization %q accepted for another secret", value)
		}
		if err != nil && errcode.Code(err) != errcode.Unauthorized {
			t.Fatalf("code = %q (err %v), want %q", errcode.Code(err), err, errcode.Unauthorized)
		}
		// A secret that fits in a header (printable, no surrounding space)
		// is always accepted when sent right.
		if s := string(key); s == strings.TrimSpace(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
			if err := freshdesk.Verify(key, authorization("Bearer "+s), nil, time.Time{}); err != nil {
				t.Fatalf("the right token was refused: %v", err)
			}
		}
	})
}
