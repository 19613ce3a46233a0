package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// applyChecks runs cdk-nag's AwsSolutions rules on everything in scope at
// synthesis: unsuppressed findings become error and warning annotations,
// and a CSV report of every finding lands in the cloud assembly.
func applyChecks(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// suppress records, on the construct and its children, that rule does not
// apply, and why. appliesTo narrows it to those findings (an IAM5 resource,
// say); none means every finding of the rule on the construct.
func suppress(c constructs.IConstruct, rule, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		a := make([]any, len(appliesTo))
		for i, v := range appliesTo {
			a[i] = v
		}
		s.AppliesTo = &a
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}

// nagReport is cdk-nag's CSV report of one stack: every rule that applied
// to a resource, with its outcome.
type nagReport struct {
	Compliant  int
	Suppressed []nagLine
	// Failing are unsuppressed findings and rules that could not be
	// evaluated (UNKNOWN); Warnings the unsuppressed warnings.
	Failing, Warnings []nagLine
}

// nagLine is one row of the report.
type nagLine struct {
	Rule, Resource, Compliance, Reason, Level string
}

func (l nagLine) String() string {
	return fmt.Sprintf("%s %s at %s", l.Level, l.Rule, l.Resource)
}

// readNagReport reads the AwsSolutions report of the stack from the cloud
// assembly in outdir. Rows repeated by a second synthesis count once.
func readNagReport(outdir, stack string) (nagReport, error) {
	path := filepath.Join(outdir, "AwsSolutions--"+stack+"-NagReport.csv")
	f, err := os.Open(path)
	if err != nil {
		return nagReport{}, fmt.Errorf("cdk-nag report: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nagReport{}, fmt.Errorf("cdk-nag report %s: %w", path, err)
	}
	var r nagReport
	seen := map[string]bool{}
	for i, row := range rows {
		if i == 0 || len(row) < 5 {
			continue // the header
		}
		key := strings.Join(row, "\x00")
		if seen[key] {
			continue
		}
		seen[key] = true
		l := nagLine{Rule: row[0], Resource: row[1], Compliance: row[2], Reason: row[3], Level: row[4]}
		switch {
		case l.Compliance == "Compliant":
			r.Compliant++
		case l.Compliance == "Suppressed":
			r.Suppressed = append(r.Suppressed, l)
		case l.Compliance == "Non-Compliant" && l.Level == "Warning":
			r.Warnings = append(r.Warnings, l)
		default:
			r.Failing = append(r.Failing, l)
		}
	}
	return r, nil
}

// Summary is one line for the person running the synthesis.
func (r nagReport) Summary() string {
	return fmt.Sprintf("cdk-nag AwsSolutions: %d checks passed; %d findings suppressed with a reason; %d unsuppressed errors, %d unsuppressed warnings",
		r.Compliant, len(r.Suppressed), len(r.Failing), len(r.Warnings))
}

// Err fails the synthesis on unsuppressed errors and on rules that could not
// be evaluated, as the CDK CLI would; warnings are for the person to read
// (and fail the tests).
func (r nagReport) Err() error {
	var errs []error
	for _, l := range r.Failing {
		errs = append(errs, errors.New(l.String()))
	}
	if len(errs) > 0 {
		return fmt.Errorf("cdk-nag: fix these, or suppress them with a reason where the construct is defined (the annotations above say why):\n%w", errors.Join(errs...))
	}
	return nil
}
