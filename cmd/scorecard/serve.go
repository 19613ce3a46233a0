package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"scorecard/shared/errcode"
	"scorecard/shared/httpapi"
	"scorecard/shared/secrets"
	"scorecard/shared/webhook"
)

// serve is the local gateway: HTTP requests become API Gateway v2 events for
// the same handlers the functions run in AWS.
func serve(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errcode.Errorf(errcode.Invalid, "no arguments are taken")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	mux := newMux(be, devSecrets(e.getenv), slog.New(slog.NewTextHandler(e.stderr, nil)), time.Now)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(e.stdout, "serving http://%s (table %s on %s)\n", ln.Addr(), be.env.Table, orDefault(be.env.DynamoDBEndpoint, "AWS"))
	fmt.Fprintf(e.stdout, "  POST /webhooks/{zendesk,jira,freshdesk,generic}\n")
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newMux wires the routes of DESIGN §4 to their handlers.
func newMux(be *backend, sec secrets.Secrets, log *slog.Logger, now func() time.Time) *http.ServeMux {
	mux := http.NewServeMux()
	wh := &webhook.Handler{Store: be.store, Sources: webhook.Sources(), Secrets: sec.Webhook, Now: now, Log: log}
	httpapi.Route(mux, "POST /webhooks/{source}", wh.Handle)
	return mux
}

// devSecrets are the dev secrets of DESIGN §5, each overridable by
// WEBHOOK_SECRET_<SOURCE> / LINK_SIGNING_KEY for a local gateway that
// receives real traffic.
func devSecrets(getenv func(string) string) secrets.Secrets {
	s := secrets.Dev()
	for _, src := range secrets.Sources {
		if v := getenv("WEBHOOK_SECRET_" + upper(src)); v != "" {
			s.Webhook[src] = []byte(v)
		}
	}
	if v := getenv("LINK_SIGNING_KEY"); v != "" {
		s.SigningKey = []byte(v)
	}
	return s
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
