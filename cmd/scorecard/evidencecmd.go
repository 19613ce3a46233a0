package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
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
	if len(pos) != 2 {
		return errcode.Errorf(errcode.Invalid, "want the engineer id and the month, YYYY-MM")
	}
	m, err := month.Parse(pos[1])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "month: %v", err)
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	run, err := be.store.GetRun(ctx, m)
	if err != nil {
		return err
	}
	all, err := be.store.Evidence(ctx, m, pos[0], run.AsOf)
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
