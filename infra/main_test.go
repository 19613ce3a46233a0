package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// testBuildDir holds a dummy bootstrap for every function the tests deploy,
// so that the tests never need `make build`.
var testBuildDir string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "scorecard-infra-build-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		for _, f := range append(append([]function{}, functions...), plannedForTest()...) {
			if err := writeBootstrap(dir, f.Name); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		testBuildDir = dir
		return m.Run()
	}()
	// Stop the Node.js process behind jsii before the binary exits.
	jsii.Close()
	os.Exit(code)
}

func writeBootstrap(dir, name string) error {
	if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name, "bootstrap"), []byte("#!/bin/sh\n# "+name+"\n"), 0o755)
}

func TestOutdir(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"without the CLI, cdk.out at the repo root", nil, "../cdk.out"},
		{"the CLI's CDK_OUTDIR wins", map[string]string{"CDK_OUTDIR": "/tmp/from-cli"}, "/tmp/from-cli"},
		{"the CLI's relative CDK_OUTDIR is next to cdk.json", map[string]string{"CDK_OUTDIR": "cdk.out"}, "../cdk.out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := *outdir(mapEnv(tc.env)); got != tc.want {
				t.Errorf("outdir = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckBuiltNamesEveryMissingBinary(t *testing.T) {
	dir := t.TempDir()
	if err := writeBootstrap(dir, "webhook"); err != nil {
		t.Fatal(err)
	}
	fns := []function{{Name: "webhook"}, {Name: "monthly"}, {Name: "forms"}}
	err := checkBuilt(dir, fns)
	if err == nil {
		t.Fatal("checkBuilt succeeded with two binaries missing")
	}
	for _, want := range []string{"make build", filepath.Join(dir, "monthly", "bootstrap"), filepath.Join(dir, "forms", "bootstrap")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if strings.Contains(err.Error(), filepath.Join(dir, "webhook")) {
		t.Errorf("error %q names the webhook binary, which exists", err)
	}
	if err := checkBuilt(testBuildDir, functions); err != nil {
		t.Errorf("checkBuilt on a complete build dir: %v", err)
	}
}

func TestRunWritesTemplateAndNagReport(t *testing.T) {
	dir := t.TempDir()
	if err := run(mapEnv(map[string]string{"CDK_OUTDIR": dir, "SCORECARD_BUILD_DIR": testBuildDir, "CDK_CONTEXT_JSON": synthOnly})); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, name := range []string{stackName + ".template.json", "AwsSolutions--" + stackName + "-NagReport.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
}

func TestRunRefusesWithoutBinaries(t *testing.T) {
	err := run(mapEnv(map[string]string{"CDK_OUTDIR": t.TempDir(), "SCORECARD_BUILD_DIR": t.TempDir(), "CDK_CONTEXT_JSON": synthOnly}))
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("run without binaries: got %v, want an error telling to run make build", err)
	}
}

// synthOnly is the context make synth gives: the example sender allowed.
const synthOnly = `{"allowExampleSender": true}`

// TestRunRefusesTheExampleSender: without configuration the app will not
// synthesize a stack to deploy whose every mail would fail.
func TestRunRefusesTheExampleSender(t *testing.T) {
	err := run(mapEnv(map[string]string{"CDK_OUTDIR": t.TempDir(), "SCORECARD_BUILD_DIR": testBuildDir}))
	if err == nil || !strings.Contains(err.Error(), "context mailFrom:") || !strings.Contains(err.Error(), "allowExampleSender=true") {
		t.Errorf("run with the example sender: got %v, want the mailFrom key and the way to synthesize only", err)
	}
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestReadNagReport(t *testing.T) {
	dir := t.TempDir()
	csv := `Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info
"AwsSolutions-DDB3","Scorecard/Table/Resource","Compliant","N/A","Warning","PITR"
"AwsSolutions-APIG4","Scorecard/Api/Route","Suppressed","verified in the function","Error","auth"
"AwsSolutions-APIG4","Scorecard/Api/Route","Suppressed","verified in the function","Error","auth"
"AwsSolutions-IAM5","Scorecard/Role/DefaultPolicy/Resource","Non-Compliant","N/A","Error","wildcards"
"AwsSolutions-X1","Scorecard/Thing/Resource","UNKNOWN","N/A","Error","rule failed"
"AwsSolutions-W1","Scorecard/Other/Resource","Non-Compliant","N/A","Warning","advice"
`
	if err := os.WriteFile(filepath.Join(dir, "AwsSolutions--Scorecard-NagReport.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := readNagReport(dir, "Scorecard")
	if err != nil {
		t.Fatal(err)
	}
	if r.Compliant != 1 || len(r.Suppressed) != 1 || len(r.Failing) != 2 || len(r.Warnings) != 1 {
		t.Errorf("report = %+v; want 1 compliant, 1 suppressed (the repeat counted once), 2 failing, 1 warning", r)
	}
	err = r.Err()
	for _, want := range []string{"AwsSolutions-IAM5 at Scorecard/Role/DefaultPolicy/Resource", "AwsSolutions-X1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %v, want it to name %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "W1") {
		t.Errorf("Err() = %v: a warning does not fail the synthesis", err)
	}
	if _, err := readNagReport(t.TempDir(), "Scorecard"); err == nil {
		t.Error("a missing report is not an error")
	}
}

// TestRunChecksTheRegionItWillDeployTo: without a region in context, the
// region the CLI deploys to (CDK_DEFAULT_REGION, from the AWS profile) is
// checked; with one, the stack is bound to it.
func TestRunChecksTheRegionItWillDeployTo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		says    string // the error's words; "" for none
		binding string // the stack's environment in the assembly
	}{
		{"the profile's Hong Kong, without a relay", map[string]string{"CDK_DEFAULT_REGION": "ap-east-1"},
			"context smtpHost: ap-east-1 (the AWS profile's region, CDK_DEFAULT_REGION) has no SES", ""},
		{"the profile's Hong Kong, with a relay", map[string]string{"CDK_DEFAULT_REGION": "ap-east-1",
			"CDK_CONTEXT_JSON": `{"allowExampleSender": true, "smtpHost": "relay.corp.example"}`}, "", "aws://unknown-account/unknown-region"},
		{"the profile's Taipei", map[string]string{"CDK_DEFAULT_REGION": "ap-east-2"}, "context region: ap-east-2", ""},
		{"context's Singapore over the profile's Hong Kong", map[string]string{"CDK_DEFAULT_REGION": "ap-east-1",
			"CDK_CONTEXT_JSON": `{"allowExampleSender": true, "region": "ap-southeast-1"}`}, "", "aws://unknown-account/ap-southeast-1"},
		{"context's Beijing with a relay", map[string]string{
			"CDK_CONTEXT_JSON": `{"allowExampleSender": true, "region": "cn-north-1", "smtpHost": "smtpdm.aliyun.com", "smtpUser": "sc"}`}, "", "aws://unknown-account/cn-north-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"CDK_OUTDIR": dir, "SCORECARD_BUILD_DIR": testBuildDir, "CDK_CONTEXT_JSON": synthOnly}
			maps.Copy(env, tc.env)
			err := run(mapEnv(env))
			if tc.says != "" {
				if err == nil || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("got %v, want %q", err, tc.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(manifest), `"environment": "`+tc.binding+`"`) {
				t.Errorf("manifest.json does not bind the stack to %s:\n%.600s", tc.binding, manifest)
			}
		})
	}
}
