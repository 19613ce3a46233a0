package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"scorecard/shared/directory"
	"scorecard/shared/errcode"
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

// importCmd loads a CSV into the store.
func importCmd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errcode.Errorf(errcode.Invalid, "want KIND FILE.csv (kind: engineers)")
	}
	if pos[0] != "engineers" {
		return errcode.Errorf(errcode.Invalid, "unknown import %q (kind: engineers)", pos[0])
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return errcode.Errorf(errcode.Invalid, "%v", err)
	}
	defer f.Close()
	// The whole file is validated before anything is written.
	engs, err := directory.ParseCSV(f)
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
