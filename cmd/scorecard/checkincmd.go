package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/report"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// checkInCmd scores a month so far and prints its projection; unless
// --no-mail it also mails it, as the daily schedule does on check-in days.
func checkInCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("check-in", flag.ContinueOnError)
	asOf := fs.String("as-of", "", "score the month as of this moment inside it: RFC 3339, or YYYY-MM-DD [HH:MM] in the policy's time zone (default: now)")
	noMail := fs.Bool("no-mail", false, "print the projection; mail and store nothing")
	asJSON := fs.Bool("json", false, "print the check-in as JSON")
	said := fs.Bool("said", false, "print what the month's check-ins said (stored), day by day; score nothing")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errcode.Errorf(errcode.Invalid, "want the month, YYYY-MM")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	if *said {
		return printSaid(ctx, e, be, pos[0], *asJSON)
	}
	at := e.clock()
	if *asOf != "" {
		if at, err = parseMoment(*asOf, be.policy.Location()); err != nil {
			return err
		}
	}
	r, err := newRunner(ctx, e, be, *sf.local, "")
	if err != nil {
		return err
	}
	ci, sum, err := r.CheckIn(ctx, monthly.CheckInRequest{Month: pos[0], AsOf: at, Mail: !*noMail})
	if err != nil && ci.Month.IsZero() {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(ci); jerr != nil {
			return jerr
		}
	} else {
		engs, derr := be.store.Engineers(ctx)
		if derr != nil {
			return derr
		}
		byID := map[string]directory.Engineer{}
		for _, x := range engs {
			byID[x.ID] = x
		}
		fmt.Fprint(e.stdout, report.CheckInText(ci, byID, be.policy))
		fmt.Fprintln(e.stdout)
	}
	if !*noMail {
		fmt.Fprintln(e.stdout, sum)
	}
	return err
}

// printSaid prints the stored check-ins of a month, one per day.
func printSaid(ctx context.Context, e *env, be *backend, m string, asJSON bool) error {
	mon, err := month.Parse(m)
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "month: %v", err)
	}
	said, err := be.store.CheckIns(ctx, mon)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(said)
	}
	if len(said) == 0 {
		fmt.Fprintf(e.stdout, "%s: no check-in was mailed\n", mon)
		return nil
	}
	engs, err := be.store.Engineers(ctx)
	if err != nil {
		return err
	}
	byID := map[string]directory.Engineer{}
	for _, x := range engs {
		byID[x.ID] = x
	}
	var days []checkin.CheckIn
	for _, x := range said {
		if len(days) == 0 || days[len(days)-1].AsOf.In(be.policy.Location()).Format(time.DateOnly) != x.Day {
			days = append(days, checkin.CheckIn{Month: x.Month, AsOf: x.AsOf, Gone: x.Gone, PolicyVersion: x.PolicyVersion})
		}
		days[len(days)-1].Engineers = append(days[len(days)-1].Engineers, x.Engineer)
	}
	for i, d := range days {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprint(e.stdout, report.CheckInText(d, byID, be.policy))
	}
	return nil
}

// parseMoment reads RFC 3339, or a date with an optional time of day in loc.
func parseMoment(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errcode.Errorf(errcode.Invalid, "--as-of %q: want RFC 3339 or YYYY-MM-DD [HH:MM]", s)
}
