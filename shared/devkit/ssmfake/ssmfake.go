// Package ssmfake is a stand-in for SSM Parameter Store's
// GetParametersByPath on loopback, for starting the functions outside AWS
// (the runtime-emulator tests, the cold-start measurement): it answers in
// the JSON 1.1 protocol the SDK speaks (application/x-amz-json-1.1,
// X-Amz-Target AmazonSSM.GetParametersByPath), only to signed requests, and
// refuses every other call as AWS refuses a bad request.
package ssmfake

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Server holds parameters by full name ("/scorecard/link-signing-key").
type Server struct {
	// Params are the SecureString parameters, by name.
	Params map[string]string
	// Seen, when set, is called on every GetParametersByPath.
	Seen func()

	mu sync.Mutex
}

type parameter struct {
	Name, Type, Value, ARN, DataType string
	Version                          int
	LastModifiedDate                 float64
}

// ServeHTTP answers GetParametersByPath.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-RequestId", "00000000-0000-0000-0000-000000000000")
	if r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParametersByPath" {
		io.Copy(io.Discard, r.Body)
		Refuse(w, "only GetParametersByPath is served here")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		Refuse(w, "unsigned request")
		return
	}
	var in struct {
		Path           string
		Recursive      bool
		WithDecryption bool
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		Refuse(w, "body: "+err.Error())
		return
	}
	if s.Seen != nil {
		s.Seen()
	}
	s.mu.Lock()
	names := make([]string, 0, len(s.Params))
	for n := range s.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	out := struct {
		Parameters []parameter
	}{Parameters: []parameter{}}
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, strings.TrimSuffix(in.Path, "/")+"/")
		if !ok || !in.Recursive && strings.Contains(rest, "/") {
			continue
		}
		v := s.Params[n]
		if !in.WithDecryption {
			v = "encrypted"
		}
		out.Parameters = append(out.Parameters, parameter{Name: n, Type: "SecureString", Value: v,
			ARN: "arn:aws:ssm:us-east-1:123456789012:parameter" + n, DataType: "text", Version: 1, LastModifiedDate: 1.7e9})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// Refuse answers as AWS JSON protocols do for a validation error, which the
// SDK does not retry.
func Refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", "ValidationException")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"__type": "ValidationException", "message": msg})
}
