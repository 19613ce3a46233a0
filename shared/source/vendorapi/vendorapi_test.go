package vendorapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"scorecard/shared/source/vendorapi"
)

// Each answer sorts into what the caller must do: give up (404), try later
// (429 with the vendor's Retry-After, 5xx, refused credentials, no answer),
// or read the JSON.
func TestAnswersSortIntoTheCallersNextStep(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		notFound  bool
		retry     bool
		after     time.Duration
		wantEmail string
	}{
		{name: "200 is read", status: 200, body: `{"email": "a@example.com"}`, wantEmail: "a@example.com"},
		{name: "404 gives up", status: 404, body: `{"error": "RecordNotFound", "description": "Not found"}`, notFound: true},
		{name: "429 says when", status: 429, header: map[string]string{"Retry-After": "7"}, body: "Number of allowed API requests per minute exceeded", retry: true, after: 7 * time.Second},
		{name: "503 is tried later", status: 503, retry: true},
		{name: "refused credentials are tried later, once fixed", status: 401, retry: true},
		{name: "forbidden likewise", status: 403, retry: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, err := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, User: "u", Token: "t"})
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Email string `json:"email"`
			}
			err = c.GetJSON(context.Background(), "/x", nil, &got)
			var rl *vendorapi.RetryLater
			switch {
			case tc.notFound && !errors.Is(err, vendorapi.ErrNotFound):
				t.Errorf("err %v, want ErrNotFound", err)
			case tc.retry && (!errors.As(err, &rl) || rl.After != tc.after):
				t.Errorf("err %v, want RetryLater after %s", err, tc.after)
			case !tc.notFound && !tc.retry && (err != nil || got.Email != tc.wantEmail):
				t.Errorf("got %+v, %v", got, err)
			}
		})
	}
}

// After a 429 the client asks nothing until Retry-After has passed.
func TestARateLimitedClientWaitsBeforeAskingAgain(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	now := time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)
	c, _ := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, Token: "t"})
	c.Now = func() time.Time { return now }
	var v any
	for i, wait := range []time.Duration{0, 10 * time.Second, 15 * time.Second} {
		now = now.Add(wait)
		var rl *vendorapi.RetryLater
		if err := c.GetJSON(context.Background(), "/x", nil, &v); !errors.As(err, &rl) {
			t.Fatalf("call %d: %v, want RetryLater", i, err)
		}
	}
	if calls != 1 {
		t.Fatalf("%d calls inside the Retry-After window, want 1", calls)
	}
	now = now.Add(6 * time.Second)
	if err := c.GetJSON(context.Background(), "/x", nil, &v); err != nil || calls != 2 {
		t.Fatalf("after the window: %v, %d calls", err, calls)
	}
}

func TestCredentialsMustNameAURLAndAToken(t *testing.T) {
	for _, c := range []vendorapi.Credentials{{BaseURL: "acme.zendesk.com", Token: "t"}, {BaseURL: "https://acme.zendesk.com"}} {
		if _, err := vendorapi.New(c); err == nil {
			t.Errorf("%+v accepted", c.BaseURL)
		}
	}
}

// FuzzAnswers checks that no vendor answer — any status, Retry-After and
// body — makes the client panic, and that every answer sorts into exactly
// one outcome: read, ErrNotFound, RetryLater or another error.
func FuzzAnswers(f *testing.F) {
	f.Add(200, "", []byte(`{"user": {"email": "a@example.com"}}`))
	f.Add(404, "", []byte(`{"error": "RecordNotFound", "description": "Not found"}`))
	f.Add(429, "7", []byte("Number of allowed API requests per minute exceeded"))
	f.Add(429, "Wed, 21 Oct 2026 07:28:00 GMT", []byte(""))
	f.Add(200, "", []byte(`{"user": null}`))
	f.Fuzz(func(t *testing.T, status int, retry string, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if retry != "" && !strings.ContainsAny(retry, "\r\n\x00") {
				w.Header().Set("Retry-After", retry)
			}
			w.WriteHeader(status)
			w.Write(body)
		}))
		defer srv.Close()
		c, _ := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, Token: "t"})
		var v struct {
			User struct {
				Email string `json:"email"`
			} `json:"user"`
		}
		err := c.GetJSON(context.Background(), "/x", nil, &v)
		var rl *vendorapi.RetryLater
		switch {
		case err == nil && status != 200:
			t.Fatalf("status %d read as an answer", status)
		case errors.Is(err, vendorapi.ErrNotFound) && status != 404:
			t.Fatalf("status %d is not a 404", status)
		case errors.As(err, &rl) && (rl.After < 0 || rl.After > 24*time.Hour):
			t.Fatalf("retry after %s", rl.After)
		}
	})
}
