package jira_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/source/jira"
)

// FuzzParse checks that no body or identifier makes Parse panic, that every
// rejection is a coded Invalid error with a message and no events, and that
// whatever it accepts is a set of complete Jira events with distinct ids
// that the generic format accepts too.
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
		f.Add(b, delivery)
		f.Add(b, "")
	}
	f.Add([]byte(updateBody(statusItem("Shipped"), `{"id": "77", "statusCategory": {"key": "done"}}`)), "d")
	f.Fuzz(func(t *testing.T, body []byte, identifier string) {
		got, err := jira.Parse(event.Delivery{Header: withDelivery(identifier), Body: body})
		if err != nil {
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if errcode.Message(err) == "" || got != nil {
				t.Fatalf("error %v with message %q and %d events", err, errcode.Message(err), len(got))
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range got {
			if e.Source != jira.Source || e.ID == "" || e.TicketID == "" || e.OccurredAt.IsZero() {
				t.Fatalf("incomplete event %+v", e)
			}
			if seen[e.ID] {
				t.Fatalf("two events share the id %q", e.ID)
			}
			seen[e.ID] = true
			if _, err := event.ToGeneric(e).Normalize(""); err != nil {
				t.Fatalf("event %+v is not valid in the model: %v", e, err)
			}
		}
	})
}

// FuzzVerify checks that Verify never panics, accepts the right signature of
// any body and rejects it once the body changes.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("dev-jira-secret"), []byte(`{"webhookEvent": "jira:issue_created"}`), "")
	f.Add([]byte("k"), []byte{}, "sha256=00")
	f.Add([]byte("\x00\xff"), []byte("\xff"), "SHA256=zz")
	f.Fuzz(func(t *testing.T, key, body []byte, junk string) {
		if len(key) == 0 {
			return
		}
		if err := jira.Verify(key, signedHeader(jira.Sign(key, body)), body, time.Time{}); err != nil {
			t.Fatalf("Verify of a correctly signed body: %v", err)
		}
		tampered := append(bytes.Clone(body), 'x')
		if errcode.Code(jira.Verify(key, signedHeader(jira.Sign(key, body)), tampered, time.Time{})) != errcode.Unauthorized {
			t.Fatal("a tampered body was accepted")
		}
		if err := jira.Verify(key, signedHeader(junk), body, time.Time{}); err == nil {
			_, hexSig, _ := strings.Cut(strings.TrimSpace(junk), "=")
			got, _ := hex.DecodeString(hexSig)
			want, _ := hex.DecodeString(strings.TrimPrefix(jira.Sign(key, body), "sha256="))
			if !bytes.Equal(got, want) {
				t.Fatalf("junk signature %q accepted", junk)
			}
		}
	})
}
