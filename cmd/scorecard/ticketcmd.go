package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/records"
	"scorecard/shared/source"
)

// ticketCmd prints a ticket's stored state.
func ticketCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ticket", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the state as JSON")
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errcode.Errorf(errcode.Invalid, "want SOURCE and TICKET ID")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	state, evs, err := be.store.Ticket(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(state)
	}
	fmt.Fprintf(e.stdout, "%s %s: %s, priority %s, assignee %s, %d events\n", state.Source, state.ID, state.Status, state.Priority, orDefault(state.AssigneeID, "—"), len(evs))
	return nil
}

// importCmd validates a CSV whole and loads it into the store.
func importCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	kinds := "engineers, training, knowledge, collaboration, renewals"
	if len(pos) != 2 {
		return errcode.Errorf(errcode.Invalid, "want KIND FILE.csv (kind: %s)", kinds)
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}
	defer f.Close()
	if pos[0] == "engineers" {
		// The whole file is validated before anything is written.
		engs, err := source.Directory().ParseCSV(f)
		if err != nil {
			return errcode.Errorf(errcode.Invalid, "%s: %v", pos[1], err)
		}
		be, err := sf.open(ctx, e)
		if err != nil {
			return err
		}
		if err := be.store.PutEngineers(ctx, engs); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "imported %d engineers in %d teams\n", len(engs), len(directory.New(engs).Teams()))
		return nil
	}
	kind := records.Kind(pos[0])
	if !slices.Contains([]records.Kind{records.Training, records.Knowledge, records.Collaboration, records.Renewals}, kind) {
		return errcode.Errorf(errcode.Invalid, "unknown import %q (kind: %s)", pos[0], kinds)
	}
	recs, err := records.ParseCSV(kind, f)
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%s: %v", pos[1], err)
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	engs, err := be.store.Engineers(ctx)
	if err != nil {
		return err
	}
	dir := directory.New(engs)
	if err := records.Check(recs, func(id string) bool { _, ok := dir.Get(id); return ok }); err != nil {
		return errcode.Errorf(errcode.Invalid, "%s: %v", pos[1], err)
	}
	if err := be.store.PutRecords(ctx, recs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported %d %s records\n", len(recs), kind)
	return nil
}

// exportCmd writes the stored directory as the engineers CSV.
func exportCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "engineers" {
		return errcode.Errorf(errcode.Invalid, "want: export engineers")
	}
	be, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	engs, err := be.store.Engineers(ctx)
	if err != nil {
		return err
	}
	return source.Directory().WriteCSV(e.stdout, engs)
}
