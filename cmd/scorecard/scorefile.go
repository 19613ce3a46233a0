package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source"
)

func scoreFile(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("score-file", flag.ContinueOnError)
	monthFlag := fs.String("month", "", "month to score, YYYY-MM (required)")
	policyFlag := fs.String("policy", "", "policy YAML (default: the shipped policy)")
	engineersFlag := fs.String("engineers", "", "engineers CSV (default: engineer ids are the events' agent ids)")
	asOfFlag := fs.String("as-of", "", "score as of this RFC 3339 time (default: the month's end once it has ended, else the latest event in the file)")
	jsonFlag := fs.Bool("json", false, "print the scores JSON")
	var historyFlag listFlag
	fs.Var(&historyFlag, "history", "scores JSON of earlier months (repeatable), for consequences that span months")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errcode.Errorf(errcode.Invalid, "want one events file (or - for standard input), got %d arguments", len(pos))
	}
	if *monthFlag == "" {
		return errcode.Errorf(errcode.Invalid, "--month is required")
	}
	m, err := month.Parse(*monthFlag)
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "--month: %v", err)
	}
	pol, err := loadPolicy(*policyFlag)
	if err != nil {
		return err
	}
	dir := directory.Identity()
	if *engineersFlag != "" {
		if dir, err = loadDirectory(*engineersFlag); err != nil {
			return err
		}
	}

	in, closeIn, err := openInput(e, pos[0])
	if err != nil {
		return err
	}
	defer closeIn()
	var events []event.Event
	var latest time.Time
	err = event.ReadJSONL(in, func(_ int, ev event.Event) error {
		events = append(events, ev)
		if ev.OccurredAt.After(latest) {
			latest = ev.OccurredAt
		}
		return nil
	})
	if err != nil {
		return errcode.Errorf(errcode.Code(err), "%s: %s", pos[0], errcode.Message(err))
	}
	// A month that has ended (by the clock, or by the file's own later
	// events) is scored as of its end: a deadline that passed before then
	// is a breach even if no event followed it.
	asOf := latest
	if end := m.End(pol.Location()); !end.After(e.clock()) || !end.After(latest) {
		asOf = end
	}
	if *asOfFlag != "" {
		if asOf, err = time.Parse(time.RFC3339, *asOfFlag); err != nil {
			return errcode.Errorf(errcode.Invalid, "--as-of: %q is not an RFC 3339 time", *asOfFlag)
		}
	}

	history, err := loadHistory(historyFlag)
	if err != nil {
		return err
	}
	cards, stats, err := engine.Run(engine.Input{
		Policy:    pol,
		Month:     m,
		AsOf:      asOf,
		Directory: dir,
		// Every ticket's events, in ticket order; the engine reduces and
		// measures them on every core.
		Events:  slices.Values(ticket.Group(events)),
		History: history,
	})
	if err != nil {
		return err
	}
	if len(stats.Unmapped) > 0 {
		fmt.Fprintf(e.stderr, "note: %d agent ids are not in the directory; their credits are not scored\n", len(stats.Unmapped))
	}
	if *jsonFlag {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cards)
	}
	fmt.Fprintf(e.stdout, "%s · policy %s · %d events, %d tickets, %d engineers\n\n", m, pol.Version, len(events), stats.Tickets, len(cards))
	return printTable(e.stdout, cards)
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// loadHistory reads earlier months' scores JSON into per-engineer records.
func loadHistory(paths []string) (map[string][]consequence.Record, error) {
	history := map[string][]consequence.Record{}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, errcode.Errorf(errcode.Invalid, "--history: %v", err)
		}
		var cards []scoring.Card
		if err := json.Unmarshal(b, &cards); err != nil {
			return nil, errcode.Errorf(errcode.Invalid, "--history %s: not a scores JSON list: %v", path, err)
		}
		for i := range cards {
			history[cards[i].EngineerID] = append(history[cards[i].EngineerID], cards[i].Record())
		}
	}
	return history, nil
}

func loadPolicy(path string) (*policy.Policy, error) {
	if path == "" {
		return policy.Default(), nil
	}
	p, err := policy.Load(path)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "%v", err)
	}
	return p, nil
}

func loadDirectory(path string) (*directory.Directory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "engineers: %v", err)
	}
	defer f.Close()
	engs, err := source.Directory().ParseCSV(f)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "%s: %v", path, err)
	}
	return directory.New(engs), nil
}

func openInput(e *env, path string) (io.Reader, func(), error) {
	if path == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, errcode.Errorf(errcode.Invalid, "%v", err)
	}
	return f, func() { f.Close() }, nil
}

// printTable writes a readable table: teams together, best first.
func printTable(w io.Writer, cards []scoring.Card) error {
	sorted := slices.Clone(cards)
	slices.SortStableFunc(sorted, func(a, b scoring.Card) int {
		return cmp.Or(cmp.Compare(a.Team, b.Team), cmp.Compare(val(b.Composite), val(a.Composite)), cmp.Compare(a.EngineerID, b.EngineerID))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEAM\tENGINEER\tTICKETS\tCOMPOSITE\tGRADE\tMEETS\tMISSED\tCONSEQUENCES")
	for _, c := range sorted {
		comp, meets := "—", "n/a"
		if c.Composite != nil {
			comp = fmt.Sprintf("%.2f", *c.Composite)
		}
		if c.MeetsStandard != nil {
			meets = map[bool]string{true: "yes", false: "no"}[*c.MeetsStandard]
		}
		grade := c.Grade
		if grade == "" {
			grade = "—"
		}
		var kinds []string
		for _, q := range c.Consequences {
			if q.Kind == "bonus" {
				kinds = append(kinds, fmt.Sprintf("bonus ×%g", q.Multiplier))
				continue
			}
			kinds = append(kinds, string(q.Kind))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", orDash(c.Team), c.EngineerID, c.Tickets, comp, grade, meets,
			missed(c.MissedMetrics), orDash(strings.Join(kinds, ", ")))
	}
	return tw.Flush()
}

// missed summarises missed metrics: how many, and the first two.
func missed(ids []string) string {
	switch {
	case len(ids) == 0:
		return "—"
	case len(ids) <= 2:
		return fmt.Sprintf("%d: %s", len(ids), strings.Join(ids, ", "))
	}
	return fmt.Sprintf("%d: %s, …", len(ids), strings.Join(ids[:2], ", "))
}

func val(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
