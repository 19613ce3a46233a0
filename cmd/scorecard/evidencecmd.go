package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
)

// evidenceCmd prints every ticket's part in an engineer's month, as the
// month's last run counted it.
func evidenceCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("evidence", flag.ContinueOnError)
	only := fs.String("metric", "", "one metric id (default: all)")
	asJSON := fs.Bool("json", false, "print the contributions as JSON")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	m, err := engineerMonth(pos)
	if err != nil {
		return err
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	run, all, err := lastEvidence(ctx, be, m, pos[0])
	if err != nil {
		return err
	}
	var cs []metric.Contribution
	for _, c := range all {
		if *only == "" || string(c.Metric) == *only {
			cs = append(cs, c)
		}
	}
	if *asJSON {
		if cs == nil {
			cs = []metric.Contribution{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cs)
	}
	fmt.Fprintf(e.stdout, "%s, %s, as the run of %s counted it: %d contributions\n", pos[0], m, run.AsOf.UTC().Format("2006-01-02 15:04 MST"), len(cs))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tSOURCE\tTICKET\tNUM\tDEN\tHOURS\tLIMIT\tRATING")
	num := func(f float64) string {
		if f == 0 {
			return "—"
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	for _, c := range cs {
		rating := "—"
		if c.Rating > 0 {
			rating = strconv.Itoa(c.Rating)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", c.Metric, c.Source, c.TicketID, strconv.FormatFloat(c.Num, 'f', -1, 64), strconv.FormatFloat(c.Den, 'f', -1, 64), c.Hours, num(c.Limit), rating)
	}
	return tw.Flush()
}

// excludeCmd takes a ticket out of an engineer's metric for a month — a
// dispute settled for the engineer — with an audit entry; the month's next
// run (run-month --force) rescores it.
func excludeCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("exclude", flag.ContinueOnError)
	id := fs.String("metric", "", "the metric id the ticket is taken out of (scorecard evidence lists them)")
	ticketRef := fs.String("ticket", "", "the ticket, SOURCE/ID as scorecard evidence prints it")
	reason := fs.String("reason", "", "why (kept with the exclusion and in the audit)")
	by := fs.String("by", "", "who decided")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	m, err := engineerMonth(pos)
	if err != nil {
		return err
	}
	src, tid, ok := strings.Cut(*ticketRef, "/")
	if !ok || src == "" || tid == "" {
		return errcode.Errorf(errcode.Invalid, "--ticket %q: want SOURCE/ID, such as zendesk/5158", *ticketRef)
	}
	if strings.TrimSpace(*reason) == "" || strings.TrimSpace(*by) == "" {
		return errcode.Errorf(errcode.Invalid, "--reason and --by are required: an exclusion says who decided it and why")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	// Only a ticket the month's last run counted in that metric for them.
	_, evidence, err := lastEvidence(ctx, be, m, pos[0])
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(evidence, func(c metric.Contribution) bool {
		return string(c.Metric) == *id && c.Source == src && c.TicketID == tid
	}) {
		return errcode.Errorf(errcode.Invalid, "%s/%s is not in %s's %s for %s (scorecard evidence %s %s --metric %s)", src, tid, pos[0], *id, m, pos[0], m, *id)
	}
	x := metric.Exclusion{EngineerID: pos[0], Metric: metric.ID(*id), Source: src, TicketID: tid, By: *by, Reason: *reason, At: e.clock()}
	if err := be.store.PutExclusion(ctx, m, x); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s/%s is out of %s's %s for %s; run the month again to rescore it: scorecard run-month %s --force\n", src, tid, pos[0], *id, m, m)
	return nil
}

// engineerMonth reads the arguments ENGINEER YYYY-MM.
func engineerMonth(pos []string) (month.Month, error) {
	if len(pos) != 2 {
		return month.Month{}, errcode.Errorf(errcode.Invalid, "want the engineer id and the month, YYYY-MM")
	}
	m, err := month.Parse(pos[1])
	if err != nil {
		return month.Month{}, errcode.Errorf(errcode.Invalid, "month: %v", err)
	}
	return m, nil
}

// lastEvidence is an engineer's evidence as the month's last run stored it.
func lastEvidence(ctx context.Context, be *backend, m month.Month, engineerID string) (monthrun.Run, []metric.Contribution, error) {
	run, err := be.store.GetRun(ctx, m)
	if err != nil {
		return run, nil, err
	}
	evidence, err := be.store.Evidence(ctx, m, engineerID, run.AsOf)
	return run, evidence, err
}
