// Package httpapi owns the HTTP edge shared by every function behind API
// Gateway: the one table that maps coded errors to status codes, JSON
// responses, and reading a request's body and headers from the API Gateway
// v2 event.
package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/errcode"
)

// statusOf maps error codes to HTTP statuses, the only such table.
var statusOf = map[string]int{
	errcode.Invalid:      http.StatusBadRequest,
	errcode.Unauthorized: http.StatusUnauthorized,
	errcode.Forbidden:    http.StatusForbidden,
	errcode.NotFound:     http.StatusNotFound,
	errcode.Conflict:     http.StatusConflict,
	errcode.Gone:         http.StatusGone,
	errcode.TooLarge:     http.StatusRequestEntityTooLarge,
	errcode.Unsupported:  http.StatusUnsupportedMediaType,
	errcode.Unavailable:  http.StatusServiceUnavailable,
	errcode.Internal:     http.StatusInternalServerError,
}

// Status is the HTTP status of an error.
func Status(err error) int {
	if s, ok := statusOf[errcode.Code(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error answers with {"error": "..."}: the caller-safe message only. Server
// faults are logged with their cause; the caller never sees it.
func Error(log *slog.Logger, err error) events.APIGatewayV2HTTPResponse {
	status := Status(err)
	if status >= 500 {
		log.Error("request failed", "status", status, "err", err)
	} else {
		log.Info("request rejected", "status", status, "reason", errcode.Message(err))
	}
	resp := JSON(status, map[string]string{"error": errcode.Message(err)})
	if status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = "5"
	}
	return resp
}

// JSON answers with a JSON body.
func JSON(status int, v any) events.APIGatewayV2HTTPResponse {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":"internal error"}`)
		status = http.StatusInternalServerError
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(b),
	}
}

// Body returns the raw request body, decoding API Gateway's base64.
func Body(req events.APIGatewayV2HTTPRequest) ([]byte, error) {
	if !req.IsBase64Encoded {
		return []byte(req.Body), nil
	}
	b, err := base64.StdEncoding.DecodeString(req.Body)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "body: not valid base64")
	}
	return b, nil
}

// Headers returns the request headers as an http.Header (canonical keys).
func Headers(req events.APIGatewayV2HTTPRequest) http.Header {
	h := make(http.Header, len(req.Headers))
	for k, v := range req.Headers {
		h.Set(k, v)
	}
	return h
}
