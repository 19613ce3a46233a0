// Command scorecard is the admin CLI of Aftersales Scorecard: offline scoring
// of event files, demo data, and (with AWS or the local servers) the store,
// the monthly run and the local gateway.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"scorecard/shared/core/errcode"
)

// command is one subcommand.
type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch, so tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // nil: the wall clock
}

// clock is the command's now.
func (e *env) clock() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

func commands() []command {
	return []command{
		{"score-file", "score-file EVENTS.jsonl --month YYYY-MM [--policy FILE] [--engineers FILE.csv] [--history SCORES.json ...] [--as-of RFC3339] [--json]",
			"score a file of generic-format events offline", scoreFile},
		{"demo", "demo [--out out/demo] [--tickets 5000] [--months 3] [--start YYYY-MM] [--senders 8]",
			"play generated months through the local stack: webhooks, surveys, assessments, monthly runs, mails", demoCmd},
		{"generate", "generate --out DIR [--start YYYY-MM] [--months N] [--tickets N] [--engineers N] [--teams N] [--seed N]",
			"write a realistic demo organisation and its events", generate},
		{"policy", "policy [--policy FILE]", "validate a policy and print it with its version and digest", showPolicy},
		{"serve", "serve [--local] [--addr 127.0.0.1:8080]", "the local gateway: the functions' handlers over HTTP", serve},
		{"ticket", "ticket SOURCE ID [--json] [--local]", "print a ticket's stored state", ticketCmd},
		{"import", "import engineers|training|knowledge|collaboration|renewals FILE.csv [--local]", "validate a CSV whole and load it (the directory, or people records)", importCmd},
		{"export", "export engineers [--local]", "print the stored directory as the engineers CSV", exportCmd},
		{"assessments", "assessments start|remind YYYY-MM [--local]", "start the month's assessment round (invitations) or send its reminders", assessmentsCmd},
		{"run-month", "run-month YYYY-MM [--no-mail] [--force] [--out DIR] [--local]", "score a month from the store, store the results, mail the reports", runMonth},
		{"history", "history import SOURCE [--since YYYY-MM-DD] [--restart] [--base-url URL --user U --token T] [--jql Q] [--local] | history status [--local]",
			"import a ticketing system's past months from its API (resumable), or show each import", historyCmd},
		{"check-in", "check-in YYYY-MM [--as-of TIME] [--no-mail] [--json] [--local] | check-in YYYY-MM --said [--json]",
			"score the month so far and print where it is heading: what each metric needs by the month's end, tickets about to breach; mails it unless --no-mail; --said prints what the month's check-ins said", checkInCmd},
		{"scores", "scores YYYY-MM [--json] [--local]", "print a month's stored results", scores},
		{"evidence", "evidence ENGINEER YYYY-MM [--metric ID] [--json] [--local]", "every ticket's part in an engineer's month, as its last run counted it", evidenceCmd},
		{"exclude", "exclude ENGINEER YYYY-MM --metric ID --ticket SOURCE/ID --reason \"...\" --by NAME [--local]", "take a ticket out of an engineer's metric for the month (a dispute accepted; audited); run-month --force rescores", excludeCmd},
		{"disputes", "disputes list YYYY-MM [--open] [--json] | settle YYYY-MM ENGINEER ID --accept|--reject --answer \"...\" --by EMAIL | audit YYYY-MM | follow-up [--local]",
			"engineers' disputes of their evidence: list, settle as the lead, the audit trail, or the follow-up (lead mails, rescores, held notices)", disputesCmd},
		{"override", "override ENGINEER YYYY-MM --grade X --reason \"...\" [--by NAME] [--local]", "override an engineer's month (audited; the computed result is kept)", override},
		{"bench-month", "bench-month [--tickets 100000] [--engineers 10000]", "time the monthly run over a synthetic month in the local DynamoDB", benchMonth},
		{"load", "load [--senders 8] [--duration 60s] [--tickets 5000] [--duplicates 0.05]", "signed webhooks of every source through the local gateway into the local DynamoDB: throughput, latency, every stored state checked", load},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code: 0 ok, 1 the
// command failed, 2 a usage or input error.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprintf(e.stderr, "usage: scorecard %s\n", c.usage)
			return 0
		case errcode.Code(err) == errcode.Invalid || errcode.Code(err) == errcode.TooLarge:
			fmt.Fprintf(e.stderr, "scorecard %s: %s\n", c.name, errcode.Message(err))
			return 2
		default:
			fmt.Fprintf(e.stderr, "scorecard %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "scorecard: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: scorecard COMMAND [ARGS]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n               scorecard %s\n", c.name, c.summary, c.usage)
	}
}

// parseFlags parses flags that may come before, between or after the
// positional arguments ("score-file FILE --month X" and "--month X FILE").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errcode.Errorf(errcode.Invalid, "%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
