// Command infra is the AWS CDK app that deploys the Aftersales Scorecard: it
// reads the deployment configuration from CDK context (config.go), checks the
// functions are built, and synthesizes the single, environment-agnostic stack
// "Scorecard" into a cloud assembly, checked by cdk-nag's AwsSolutions rules.
//
// It is its own Go module so that `go test ./...` at the repository root never
// compiles the CDK library. The CDK CLI runs it through /cdk.json at the
// repository root; `cd infra && go run .` works without the CLI and writes
// ../cdk.out. Synthesis needs Node.js (for jsii) and `make build`'s binaries
// but no AWS credentials.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// stackName is the CloudFormation stack name; DESIGN.md and the Makefile use it.
const stackName = "Scorecard"

// defaultOutdir is where `go run .` in infra/ writes the cloud assembly when
// the CDK CLI has not chosen one: cdk.out next to cdk.json at the repo root.
const defaultOutdir = "../cdk.out"

// defaultBuildDir holds build/<function>/bootstrap, written by `make build`
// at the repo root; the app runs in infra/.
const defaultBuildDir = "../build"

func main() {
	err := run(os.Getenv)
	// Close before exiting: it stops the Node.js child process that jsii runs.
	jsii.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "infra: %v\n", err)
		os.Exit(1)
	}
}

// run builds the app and synthesizes it. getenv is os.Getenv outside tests;
// SCORECARD_BUILD_DIR overrides where the function binaries are.
func run(getenv func(string) string) error {
	props := &awscdk.AppProps{Outdir: outdir(getenv)}
	// The CLI hands the context over in CDK_CONTEXT_JSON, which the app's
	// runtime reads itself; without the CLI (make synth, the tests) it is
	// read here, through getenv.
	if j := getenv("CDK_CONTEXT_JSON"); j != "" {
		var context map[string]any
		if err := json.Unmarshal([]byte(j), &context); err != nil {
			return fmt.Errorf("CDK_CONTEXT_JSON: %w", err)
		}
		props.Context = &context
	}
	app := awscdk.NewApp(props)
	cfg, err := configFromContext(app)
	if err != nil {
		return err
	}
	// No region in context: the CLI's, from the AWS profile, is where the
	// region-agnostic stack will go, so that is the one to check.
	if r := getenv("CDK_DEFAULT_REGION"); cfg.Region == "" && r != "" {
		warning, err := checkRegion(r, "the AWS profile's region, CDK_DEFAULT_REGION", &cfg)
		if err != nil {
			return err
		}
		if warning != "" {
			cfg.Warnings = append(cfg.Warnings, warning)
		}
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(os.Stderr, "infra: warning: %s\n", w)
	}
	buildDir := getenv("SCORECARD_BUILD_DIR")
	if buildDir == "" {
		buildDir = defaultBuildDir
	}
	if err := checkBuilt(buildDir, functions); err != nil {
		return err
	}
	// No account, and no region unless context names one: synthesis makes
	// no lookups and needs no credentials.
	var env *awscdk.Environment
	if cfg.Region != "" {
		env = &awscdk.Environment{Region: jsii.String(cfg.Region)}
	}
	stack := NewScorecardStack(app, stackName, &ScorecardStackProps{
		StackProps: awscdk.StackProps{
			Description: jsii.String("Aftersales Scorecard: webhooks, surveys, monthly scores and consequences"),
			Env:         env,
		},
		Config:   cfg,
		BuildDir: buildDir,
	})
	applyChecks(app)
	app.Synth(nil)
	report, err := readNagReport(*app.Outdir(), *stack.StackName())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %s\n", *stack.StackName(), report.Summary())
	for _, w := range report.Warnings {
		fmt.Fprintf(os.Stderr, "  %s\n", w)
	}
	// `make synth` fails where `cdk synth` would.
	return report.Err()
}

// outdir is the directory the CDK CLI chose through CDK_OUTDIR (it reads the
// assembly from there) or, without the CLI, defaultOutdir. The CLI gives a
// path relative to where it runs, next to cdk.json, while cdk.json runs the
// app in infra/: a relative CDK_OUTDIR is resolved one level up. It is passed
// explicitly rather than left to the App because the App reads the
// environment of the jsii Node.js process, which a test cannot change.
func outdir(getenv func(string) string) *string {
	dir := getenv("CDK_OUTDIR")
	switch {
	case dir == "":
		dir = defaultOutdir
	case !filepath.IsAbs(dir):
		dir = filepath.Join("..", dir)
	}
	return jsii.String(dir)
}

// checkBuilt reports every function whose bootstrap is missing, so that a
// synth before `make build` says what to do rather than failing in the
// asset staging.
func checkBuilt(buildDir string, fns []function) error {
	var missing []string
	for _, f := range fns {
		p := filepath.Join(buildDir, f.Name, "bootstrap")
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("function binaries missing (run make build at the repo root): %s", strings.Join(missing, ", "))
	}
	return nil
}
