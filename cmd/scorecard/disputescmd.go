package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// disputesCmd lists a month's disputes, settles one, prints the audit
// trail, or runs the follow-up the DisputeFollowUp schedule runs in AWS.
func disputesCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errcode.Errorf(errcode.Invalid, "want list, settle, audit or follow-up")
	}
	switch args[0] {
	case "list":
		return disputesList(ctx, e, args[1:])
	case "settle":
		return disputesSettle(ctx, e, args[1:])
	case "audit":
		return disputesAudit(ctx, e, args[1:])
	case "follow-up":
		return disputesFollowUp(ctx, e, args[1:])
	}
	return errcode.Errorf(errcode.Invalid, "unknown disputes command %q: want list, settle, audit or follow-up", args[0])
}

func monthArg(pos []string, n int, want string) (month.Month, error) {
	if len(pos) != n {
		return month.Month{}, errcode.Errorf(errcode.Invalid, "want %s", want)
	}
	m, err := month.Parse(pos[0])
	if err != nil {
		return month.Month{}, errcode.Errorf(errcode.Invalid, "%v", err)
	}
	return m, nil
}

func disputesList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("disputes list", flag.ContinueOnError)
	open := fs.Bool("open", false, "only the disputes still open")
	asJSON := fs.Bool("json", false, "print the disputes as JSON")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	m, err := monthArg(pos, 1, "the month, YYYY-MM")
	if err != nil {
		return err
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	all, err := be.store.Disputes(ctx, m)
	if err != nil {
		return err
	}
	ds := []dispute.Dispute{}
	for _, d := range all {
		if !*open || d.Status == dispute.Open {
			ds = append(ds, d)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ds)
	}
	fmt.Fprintf(e.stdout, "%s: %d disputes\n", m, len(ds))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tENGINEER\tMETRIC\tTICKET\tREASON\tOPENED\tSTATUS\tBY\tANSWER")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s/%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.EngineerID, d.Metric, d.Source, d.TicketID, d.Reason,
			d.OpenedAt.UTC().Format("2006-01-02 15:04"), d.Status, d.SettledBy, oneLine(d.Answer))
	}
	return tw.Flush()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}

// disputesSettle settles a dispute as its arbiter (--by, the address the
// directory names as the engineer's manager): the same rules as the
// settle page, so the engineer themselves is refused.
func disputesSettle(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("disputes settle", flag.ContinueOnError)
	accept := fs.Bool("accept", false, "accept: take the ticket out of the metric for the month")
	reject := fs.Bool("reject", false, "reject: it stays (say why with --answer)")
	answer := fs.String("answer", "", "the answer the engineer gets")
	by := fs.String("by", "", "the arbiter's address: the engineer's manager in the directory")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	m, err := monthArg(pos, 3, "YYYY-MM ENGINEER DISPUTE-ID")
	if err != nil {
		return err
	}
	if *accept == *reject {
		return errcode.Errorf(errcode.Invalid, "want one of --accept and --reject")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	d, err := be.store.Dispute(ctx, m, pos[1], pos[2])
	if err != nil {
		return err
	}
	engs, err := be.store.Engineers(ctx)
	if err != nil {
		return err
	}
	var eng directory.Engineer
	if j := slices.IndexFunc(engs, func(x directory.Engineer) bool { return x.ID == d.EngineerID }); j >= 0 {
		eng = engs[j]
	}
	if cur := dispute.Arbiter(eng.Email, eng.ManagerEmail); cur != d.Arbiter && !strings.EqualFold(*by, eng.Email) {
		return errcode.Errorf(errcode.Forbidden, "the directory now names another manager for %s; the dispute was theirs to settle", d.EngineerID)
	}
	settled, err := dispute.Settle(d, dispute.Decision{Accept: *accept, By: *by, Answer: *answer, At: e.clock()}, eng.Email)
	if err != nil {
		return err
	}
	if err := be.store.SettleDispute(ctx, settled); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "dispute %s %s; the follow-up mails %s and, accepted, rescores %s\n", d.ID, settled.Status, d.EngineerID, m)
	return nil
}

func disputesAudit(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("disputes audit", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	m, err := monthArg(pos, 1, "the month, YYYY-MM")
	if err != nil {
		return err
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	entries, err := be.store.Audit(ctx, m)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tENGINEER\tWHAT\tMETRIC\tTICKET\tBY\tWHY")
	for _, a := range entries {
		when, _, _ := strings.Cut(a.Key, "#")
		switch {
		case a.Dispute != nil:
			d := a.Dispute
			who, why := d.EngineerID, string(d.Reason)+": "+d.Comment
			if a.Step != string(dispute.Open) {
				who, why = d.SettledBy, d.Answer
			}
			fmt.Fprintf(tw, "%s\t%s\tdispute %s %s\t%s\t%s/%s\t%s\t%s\n", when, a.EngineerID, d.ID, a.Step, d.Metric, d.Source, d.TicketID, who, oneLine(why))
		case a.Exclusion != nil:
			x := a.Exclusion
			fmt.Fprintf(tw, "%s\t%s\texclusion\t%s\t%s/%s\t%s\t%s\n", when, a.EngineerID, x.Metric, x.Source, x.TicketID, x.By, oneLine(x.Reason))
		}
	}
	return tw.Flush()
}

// disputesFollowUp runs the follow-up once, on the command's clock.
func disputesFollowUp(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("disputes follow-up", flag.ContinueOnError)
	out := fs.String("out", "", "directory for rescored reports as files")
	sf := addStoreFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	r, err := newRunner(ctx, e, be, *sf.local, *out)
	if err != nil {
		return err
	}
	sum, err := r.FollowUp(ctx)
	fmt.Fprintln(e.stdout, sum)
	return err
}
