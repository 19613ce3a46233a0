package httpapi_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/core/errcode"
)

func TestStatusTable(t *testing.T) {
	for code, want := range map[string]int{
		errcode.Invalid: 400, errcode.Unauthorized: 401, errcode.Forbidden: 403, errcode.NotFound: 404, errcode.Conflict: 409,
		errcode.Gone: 410, errcode.TooLarge: 413, errcode.Unavailable: 503, errcode.Internal: 500,
	} {
		if got := httpapi.Status(errcode.Errorf(code, "x")); got != want {
			t.Errorf("%s → %d, want %d", code, got, want)
		}
	}
	if got := httpapi.Status(errors.New("plain")); got != 500 {
		t.Errorf("an uncoded error → %d", got)
	}
}

func TestErrorHidesCauses(t *testing.T) {
	resp := httpapi.Error(slog.New(slog.NewTextHandler(io.Discard, nil)), errcode.Wrap(errcode.Unavailable, errors.New("dial 10.0.0.1"), "storage unavailable; retry"))
	if resp.StatusCode != 503 || strings.Contains(resp.Body, "10.0.0.1") || resp.Headers["Retry-After"] == "" || resp.Body != `{"error":"storage unavailable; retry"}` {
		t.Errorf("%+v", resp)
	}
}

func TestSameOriginAndCSRF(t *testing.T) {
	tests := []struct {
		base, origin string
		ok           bool
	}{
		{"https://scorecard.example.com", "", true},
		{"https://scorecard.example.com", "null", true},
		{"https://scorecard.example.com", "https://scorecard.example.com", true},
		{"https://scorecard.example.com", "https://SCORECARD.example.com:443", true},
		{"https://scorecard.example.com", "https://evil.example.com", false},
		{"https://scorecard.example.com", "http://scorecard.example.com", false},
		{"", "https://scorecard.example.com", false},
	}
	for _, tc := range tests {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		if got := httpapi.SameOrigin(tc.base, h); got != tc.ok {
			t.Errorf("base %q origin %q: %v", tc.base, tc.origin, got)
		}
	}
	key := []byte("k")
	v := httpapi.CSRF(key, "tok")
	if !httpapi.ValidCSRF(key, "tok", v) || httpapi.ValidCSRF(key, "other", v) || httpapi.ValidCSRF([]byte("k2"), "tok", v) {
		t.Error("CSRF values are per key and token")
	}
}

// The local gateway hands the function what API Gateway would.
func TestRouteBuildsTheGatewayEvent(t *testing.T) {
	var got events.APIGatewayV2HTTPRequest
	mux := http.NewServeMux()
	httpapi.Route(mux, "POST /webhooks/{source}", func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		got = req
		return events.APIGatewayV2HTTPResponse{StatusCode: 202, Headers: map[string]string{"X-A": "b"}, Body: base64.StdEncoding.EncodeToString([]byte("ok")), IsBase64Encoded: true}, nil
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/webhooks/zendesk?x=1", "application/json", strings.NewReader("\xff\xfe"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 202 || string(b) != "ok" || resp.Header.Get("X-A") != "b" {
		t.Errorf("response %d %q", resp.StatusCode, b)
	}
	body, _ := httpapi.Body(got)
	if got.PathParameters["source"] != "zendesk" || got.RouteKey != "POST /webhooks/{source}" || got.RawQueryString != "x=1" ||
		!got.IsBase64Encoded || string(body) != "\xff\xfe" || got.Headers["content-type"] != "application/json" || got.RequestContext.HTTP.Method != "POST" {
		t.Errorf("event %+v", got)
	}
}
