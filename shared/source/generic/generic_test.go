package generic_test

import (
	"net/http"
	"scorecard/shared/core/event"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/source/generic"
)

func TestVerify(t *testing.T) {
	secret, body := []byte("s3cret"), []byte(`{"event_id":"e1"}`)
	good := generic.Sign(secret, body)
	tests := []struct {
		name, header, want string
		body               []byte
	}{
		{"the right signature", good, "", body},
		{"missing", "", "X-Signature header is missing", body},
		{"no method", strings.TrimPrefix(good, "sha256="), "sha256=<hex>", body},
		{"not hex", "sha256=zz", "sha256=<hex>", body},
		{"too short", "sha256=abcd", "sha256=<hex>", body},
		{"another secret", generic.Sign([]byte("other"), body), "does not match", body},
		{"another body", good, "does not match", []byte(`{"event_id":"e2"}`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set(generic.SignatureHeader, tc.header)
			}
			err := generic.Verify(secret, h, tc.body, time.Time{})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if errcode.Code(err) != errcode.Unauthorized || !strings.Contains(errcode.Message(err), tc.want) {
				t.Errorf("got %v, want unauthorized mentioning %q", err, tc.want)
			}
			if strings.Contains(errcode.Message(err), string(secret)) {
				t.Error("the message leaks the secret")
			}
		})
	}
}

func TestParseDelegatesToTheGenericFormat(t *testing.T) {
	evs, err := generic.Parse(event.Delivery{Body: []byte(`{"event_id":"e1","ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`)})
	if err != nil || len(evs) != 1 || evs[0].Source != generic.Source {
		t.Errorf("%+v %v", evs, err)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("s"), []byte(`{"a":1}`), "sha256=00")
	f.Fuzz(func(t *testing.T, secret, body []byte, header string) {
		if len(secret) == 0 {
			return
		}
		h := http.Header{}
		h.Set(generic.SignatureHeader, generic.Sign(secret, body))
		if err := generic.Verify(secret, h, body, time.Time{}); err != nil {
			t.Fatalf("the right signature was refused: %v", err)
		}
		h.Set(generic.SignatureHeader, header)
		if err := generic.Verify(secret, h, body, time.Time{}); err == nil && header != generic.Sign(secret, body) && !strings.EqualFold(header, generic.Sign(secret, body)) {
			t.Fatalf("a wrong signature %q was accepted", header)
		}
	})
}
