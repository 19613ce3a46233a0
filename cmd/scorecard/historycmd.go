package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/app/history"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/errcode"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// historyCmd imports a ticketing system's past from its API (import), or
// shows where each import stands (status).
func historyCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "status") {
		return errcode.Errorf(errcode.Invalid, "want import SOURCE or status")
	}
	if args[0] == "status" {
		return historyStatus(ctx, e, args[1:])
	}
	fs := flag.NewFlagSet("history import", flag.ContinueOnError)
	since := fs.String("since", "", "first day to import, YYYY-MM-DD (the policy's zone); a rerun resumes without it")
	restart := fs.Bool("restart", false, "start again from --since instead of resuming (stored events are not stored twice)")
	baseURL := fs.String("base-url", "", "the system's API (https://acme.zendesk.com); default: the api/<source> secret")
	user := fs.String("user", "", "API user, with --base-url (Zendesk: agent@acme.com/token; Freshdesk: the API key)")
	token := fs.String("token", "", "API token, with --base-url (default: the SCORECARD_API_TOKEN variable)")
	edition := fs.String("edition", "", "Jira: cloud or datacenter, with --base-url (default: from the URL)")
	query := fs.String("jql", "", "Jira: narrow the issues, such as \"project = SUP\"")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errcode.Errorf(errcode.Invalid, "want the source: %s", strings.Join(historySources(), ", "))
	}
	src, ok := source.Get(pos[0])
	if !ok || src.History == nil {
		return errcode.Errorf(errcode.Invalid, "source %q has no history import: use %s", pos[0], strings.Join(historySources(), ", "))
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	var from time.Time
	if *since != "" {
		if from, err = time.ParseInLocation("2006-01-02", *since, be.policy.Location()); err != nil {
			return errcode.Errorf(errcode.Invalid, "--since %q: want YYYY-MM-DD", *since)
		}
		if !from.Before(e.clock()) {
			return errcode.Errorf(errcode.Invalid, "--since %s is not in the past", *since)
		}
	}
	creds, err := historyCredentials(ctx, e, be, src.Name, *baseURL, *user, orDefault(*token, e.getenv("SCORECARD_API_TOKEN")), *edition)
	if err != nil {
		return err
	}
	api, err := vendorapi.New(creds)
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%s API: %v", src.Name, err)
	}
	api.HTTP.Timeout = time.Minute
	start := from
	if st, err := be.store.ImportState(ctx, src.Name); err == nil && !*restart {
		start = st.Since // the exporter is made for the stored import; its cursor says where
		if !from.IsZero() && !from.Equal(st.Since) {
			fmt.Fprintf(e.stderr, "history: resuming the %s import begun %s from %s; --since %s is not used (--restart begins again from it)\n",
				src.Name, st.Started.UTC().Format("2006-01-02 15:04"), st.Since.Format("2006-01-02"), *since)
		}
	}
	if start.IsZero() {
		return errcode.Errorf(errcode.Invalid, "no %s import to resume: give --since YYYY-MM-DD", src.Name)
	}
	last := time.Time{}
	im := &history.Importer{
		Store: be.store, Source: src.Name, Since: from, Restart: *restart,
		Exporter: src.History(api, creds, be.policy.SourceFor(src.Name), start, source.HistoryOptions{Query: *query}),
		Now:      time.Now,
		Log:      slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Progress: func(p history.Progress) {
			if now := time.Now(); p.Done || now.Sub(last) >= 2*time.Second {
				last = now
				fmt.Fprintln(e.stderr, p)
			}
		},
	}
	st, err := im.Run(ctx)
	fmt.Fprintln(e.stdout, history.Progress{State: st})
	if err != nil && ctx.Err() != nil {
		return errcode.Wrap(errcode.Unavailable, err, "interrupted; run the same command again to resume")
	}
	return err
}

// historyCredentials are the flags' or, without --base-url, the api/<source>
// secret the notifier uses (SECRETS_PREFIX, default /scorecard).
func historyCredentials(ctx context.Context, e *env, be *backend, name, baseURL, user, token, edition string) (vendorapi.Credentials, error) {
	if baseURL != "" {
		c := vendorapi.Credentials{BaseURL: baseURL, User: user, Token: token, Edition: edition}
		if err := c.Valid(); err != nil {
			return c, errcode.Errorf(errcode.Invalid, "--base-url/--token: %v", err)
		}
		return c, nil
	}
	cfg, err := awsconfig.Load(ctx, be.env, e.getenv)
	if err != nil {
		return vendorapi.Credentials{}, err
	}
	prefix := orDefault(e.getenv("SECRETS_PREFIX"), "/scorecard")
	sec, err := secrets.Load(ctx, secrets.SSM(ssm.NewFromConfig(cfg)), prefix, "api/"+name)
	if err != nil {
		return vendorapi.Credentials{}, errcode.Wrap(errcode.Invalid, err, fmt.Sprintf("no API credentials for %s: put %s/api/%s or give --base-url and --token", name, prefix, name))
	}
	return sec.API[name], nil
}

// historyStatus prints each source's import.
func historyStatus(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("history status", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	for _, name := range historySources() {
		line := name + ": no import"
		switch st, err := be.store.ImportState(ctx, name); {
		case err == nil:
			line = history.Progress{State: st}.String()
		case errcode.Code(err) != errcode.NotFound:
			return err
		}
		if at, ok, err := be.store.Switchover(ctx, name); err != nil {
			return err
		} else if ok {
			line += "; webhooks since " + at.UTC().Format(time.RFC3339)
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func historySources() []string {
	var out []string
	for _, s := range source.All {
		if s.History != nil {
			out = append(out, s.Name)
		}
	}
	return out
}
