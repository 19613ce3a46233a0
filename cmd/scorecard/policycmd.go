package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/policy"
)

func showPolicy(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("policy", flag.ContinueOnError)
	path := fs.String("policy", "", "policy YAML (default: the shipped policy)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errcode.Errorf(errcode.Invalid, "no arguments are taken")
	}
	p, err := loadPolicy(*path)
	if err != nil {
		return err
	}
	text := policy.DefaultYAML()
	if *path != "" {
		if text, err = os.ReadFile(*path); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "policy %s (digest %s) is valid\n", p.Version, p.Digest())
	_, err = e.stdout.Write(text)
	return err
}
