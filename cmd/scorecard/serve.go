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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/notifier"
	"scorecard/shared/app/reviewform"
	"scorecard/shared/app/surveyform"
	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/dynamostream"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
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
	// The local gateway surveys at once (the dev policy) unless told
	// otherwise, and its table has the stream the notifier reads.
	pol := policy.Dev()
	if path := orDefault(*sf.policy, e.getenv("POLICY_FILE")); path != "" {
		if pol, err = loadPolicy(path); err != nil {
			return err
		}
	}
	be, err := sf.openWith(ctx, e, pol, dynamo.WithStream())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := orDefault(e.getenv("BASE_URL"), "http://"+ln.Addr().String())
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	sec, err := devSecrets(e.getenv)
	if err != nil {
		return err
	}
	cfg, err := awsconfig.Load(ctx, be.env, e.getenv)
	if err != nil {
		return err
	}
	lookups, err := notifier.Lookups(sec.API, time.Now)
	if err != nil {
		return err
	}
	n := &notifier.Notifier{
		Store: be.store, Mailer: ses.New(ses.Client(cfg, be.env.SESEndpoint), orDefault(e.getenv("MAIL_FROM"), "scorecard@example.com"), ""),
		Key: sec.SigningKey, BaseURL: base, Rules: notifier.RulesFrom(pol), Now: time.Now, Log: log,
		Contacts: lookups, Cache: be.store,
		Engineers: &notifier.DirectoryEngineers{Load: be.store.Engineers, TTL: time.Minute, Now: time.Now},
	}
	mux := newMux(be, sec, log, time.Now, base)
	go runNotifier(ctx, be, dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) {
		if be.env.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(be.env.DynamoDBEndpoint)
		}
	}), n, log)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(e.stdout, "serving http://%s (table %s on %s)\n", ln.Addr(), be.env.Table, orDefault(be.env.DynamoDBEndpoint, "AWS"))
	fmt.Fprintf(e.stdout, "  POST /webhooks/{zendesk,jira,freshdesk,generic}\n  GET|POST /s/{token}, /a/{token}, /e/{token}, /d/{token}, /q/{token}  (survey, assessment, evidence, dispute and review links mailed to the SES server on %s)\n", orDefault(be.env.SESEndpoint, "AWS"))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newMux wires the routes of DESIGN §4 to their handlers.
func newMux(be *backend, sec secrets.Secrets, log *slog.Logger, now func() time.Time, base string) *http.ServeMux {
	mux := http.NewServeMux()
	wh := &webhook.Handler{Store: be.store, Records: be.store, Switchovers: be.store, Sources: webhook.Sources(be.policy), Secrets: sec.Webhook, Now: now, Log: log}
	httpapi.Route(mux, "POST /webhooks/{source}", wh.Handle)
	site := formkit.Config{Key: sec.SigningKey, Now: now, Log: log, BaseURL: base}
	forms := &surveyform.Handler{Config: site, Store: be.store}
	httpapi.Route(mux, "GET /s/{token}", forms.Handle)
	httpapi.Route(mux, "POST /s/{token}", forms.Handle)
	asm := &assessmentform.Handler{Config: site, Store: be.store, Location: be.policy.Location()}
	httpapi.Route(mux, "GET /a/{token}", asm.Handle)
	httpapi.Route(mux, "POST /a/{token}", asm.Handle)
	links := source.TicketURLs(sec.API)
	ev := &evidencepage.Handler{Config: site, Store: be.store, TicketURL: links, Disputes: be.policy.Disputes, Location: be.policy.Location(), Rubric: be.policy.Quality.Rubric()}
	httpapi.Route(mux, "GET /e/{token}", ev.Handle)
	httpapi.Route(mux, "POST /e/{token}", ev.Handle)
	settle := &evidencepage.Settle{Config: site, Store: be.store, TicketURL: links}
	httpapi.Route(mux, "GET /d/{token}", settle.Handle)
	httpapi.Route(mux, "POST /d/{token}", settle.Handle)
	review := &reviewform.Handler{Config: site, Store: be.store, Rubric: be.policy.Quality.Rubric(), Location: be.policy.Location(), TicketURL: links}
	httpapi.Route(mux, "GET /q/{token}", review.Handle)
	httpapi.Route(mux, "POST /q/{token}", review.Handle)
	return mux
}

// runNotifier does locally what the notifier Lambda does in AWS: it reads
// the table's stream from DynamoDB Local with the same handler, and sweeps
// for surveys whose delay has passed.
func runNotifier(ctx context.Context, be *backend, streams *dynamodbstreams.Client, n *notifier.Notifier, log *slog.Logger) {
	h := &notifier.StreamHandler{Notifier: n, Read: dynamo.EventImage, Load: be.store.TicketState}
	r := &dynamostream.StreamReader{DB: be.db, Streams: streams, Table: be.env.Table, Every: 500 * time.Millisecond}
	go func() {
		for ctx.Err() == nil {
			if _, _, err := n.SendDue(ctx); err != nil && ctx.Err() == nil {
				log.Error("survey sweep", "err", err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		}
	}()
	if err := r.Run(ctx, h.Handle); err != nil {
		log.Error("stream reader stopped", "err", err)
	}
}

// devSecrets are the dev secrets of DESIGN §5, each overridable by
// WEBHOOK_SECRET_<SOURCE> / LINK_SIGNING_KEY for a local gateway that
// receives real traffic; API_<SOURCE> holds a ticketing system's API
// credentials as JSON ({"base_url", "user", "token"}), as in SSM.
func devSecrets(getenv func(string) string) (secrets.Secrets, error) {
	s := secrets.Dev()
	for _, src := range secrets.Sources {
		if v := getenv("WEBHOOK_SECRET_" + upper(src)); v != "" {
			s.Webhook[src] = []byte(v)
		}
	}
	if v := getenv("LINK_SIGNING_KEY"); v != "" {
		s.SigningKey = []byte(v)
	}
	s.API = map[string]vendorapi.Credentials{}
	for _, src := range secrets.APISources {
		if v := getenv("API_" + upper(src)); v != "" {
			c, err := secrets.ParseAPI(v)
			if err != nil {
				return s, fmt.Errorf("API_%s: %w", upper(src), err)
			}
			s.API[src] = c
		}
	}
	return s, nil
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
