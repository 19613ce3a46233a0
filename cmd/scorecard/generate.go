package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/demo"
)

func generate(_ context.Context, e *env, args []string) error {
	cfg := demo.DefaultConfig()
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	out := fs.String("out", "", "directory to write engineers.csv and events.jsonl into (required)")
	start := fs.String("start", cfg.Start.String(), "first month, YYYY-MM")
	fs.IntVar(&cfg.Months, "months", cfg.Months, "consecutive months")
	fs.IntVar(&cfg.TicketsPerMonth, "tickets", cfg.TicketsPerMonth, "tickets created per month")
	fs.IntVar(&cfg.Engineers, "engineers", cfg.Engineers, "engineers in all")
	fs.IntVar(&cfg.Teams, "teams", cfg.Teams, "teams")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed (same seed, same data)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return errcode.Errorf(errcode.Invalid, "--out DIR is required and no other arguments are taken")
	}
	if cfg.Start, err = month.Parse(*start); err != nil {
		return errcode.Errorf(errcode.Invalid, "--start: %v", err)
	}
	org, events := demo.Generate(cfg)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "engineers.csv"), func(f *os.File) error { return demo.WriteEngineersCSV(f, org) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "events.jsonl"), func(f *os.File) error { return demo.WriteJSONL(f, events) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d engineers in %d teams and %d events (%s, %d months) to %s\n",
		len(org.Engineers), len(org.Teams), len(events), cfg.Start, cfg.Months, *out)
	return nil
}

func writeFile(path string, fn func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
