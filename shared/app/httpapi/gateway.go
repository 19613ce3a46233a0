package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// HandlerFunc is a Lambda handler for API Gateway HTTP API (v2) events.
type HandlerFunc func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// MaxGatewayBody is API Gateway's payload limit, which the local gateway
// enforces the same way (413 before the function runs).
const MaxGatewayBody = 10 << 20

var paramRE = regexp.MustCompile(`\{([a-zA-Z0-9_]+)\}`)

// Route turns HTTP requests matching routeKey ("POST /webhooks/{source}")
// into API Gateway v2 events for fn, as API Gateway does in AWS: this is the
// local gateway of `scorecard serve` and of the end-to-end tests.
func Route(mux *http.ServeMux, routeKey string, fn HandlerFunc) {
	_, path, _ := strings.Cut(routeKey, " ")
	var params []string
	for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
		params = append(params, m[1])
	}
	mux.HandleFunc(routeKey, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxGatewayBody+1))
		if err != nil {
			http.Error(w, `{"message":"Bad Request"}`, http.StatusBadRequest)
			return
		}
		if len(body) > MaxGatewayBody {
			http.Error(w, `{"message":"Request Entity Too Large"}`, http.StatusRequestEntityTooLarge)
			return
		}
		req := toEvent(r, routeKey, body)
		if len(params) > 0 {
			req.PathParameters = map[string]string{}
			for _, p := range params {
				req.PathParameters[p] = r.PathValue(p)
			}
		}
		resp, err := fn(r.Context(), req)
		if err != nil {
			// A handler error is a Lambda failure: API Gateway answers 500.
			http.Error(w, `{"message":"Internal Server Error"}`, http.StatusInternalServerError)
			return
		}
		writeResponse(w, resp)
	})
}

func toEvent(r *http.Request, routeKey string, body []byte) events.APIGatewayV2HTTPRequest {
	headers := make(map[string]string, len(r.Header))
	for k, v := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, v := range q {
			query[k] = strings.Join(v, ",")
		}
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	id := make([]byte, 8)
	rand.Read(id)
	now := time.Now()
	req := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies(r),
		Headers:               headers,
		QueryStringParameters: query,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:  routeKey,
			Stage:     "$default",
			RequestID: hex.EncodeToString(id),
			Time:      now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: ip, UserAgent: r.UserAgent(),
			},
		},
	}
	if utf8.Valid(body) {
		req.Body = string(body)
	} else {
		req.Body = base64.StdEncoding.EncodeToString(body)
		req.IsBase64Encoded = true
	}
	return req
}

func cookies(r *http.Request) []string {
	var out []string
	for _, c := range r.Cookies() {
		out = append(out, c.Name+"="+c.Value)
	}
	return out
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = b
		}
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body)
}
