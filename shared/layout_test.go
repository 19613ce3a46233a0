// Package shared_test keeps shared/'s five parts in their places (README,
// "Where things live"): the core at the centre, the sources on it, the
// application services on both, the AWS adapters outside, and the demo and
// test tooling where no function reaches it.
package shared_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "scorecard/"

// deps lists the packages patterns need to build (tests excluded).
func deps(t *testing.T, patterns ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range patterns {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", p)
		cmd.Dir = ".."
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", p, err)
		}
		out[p] = strings.Fields(string(b))
	}
	return out
}

func hasPrefix(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

func TestLayout(t *testing.T) {
	const (
		core   = mod + "shared/core/"
		source = mod + "shared/source"
		app    = mod + "shared/app/"
		aws    = mod + "shared/aws/"
		devkit = mod + "shared/devkit/"
		sdk    = "github.com/aws/"
	)
	tests := []struct {
		name     string
		packages string
		may      []string // the product's packages it may link, by prefix
		not      []string // packages it must not link, by prefix
	}{
		{"no function links the demo and test tooling, nor the SDK's profile loader", "./functions/...", []string{core, source, app, aws, mod + "functions"}, []string{sdk + "aws-sdk-go-v2/config", mod + "shared/aws/awsconfig"}},
		{"the core imports nothing but the core, and no AWS", "./shared/core/...", []string{core}, []string{sdk}},
		{"a source imports only the core and the sources", "./shared/source/...", []string{core, source}, []string{sdk}},
		{"the services use no AWS adapter and no AWS SDK", "./shared/app/...", []string{core, source, app}, []string{sdk + "aws-sdk-go-v2", sdk + "smithy-go"}},
		{"the AWS adapters use the core and the sources, no service and no tooling", "./shared/aws/...", []string{core, source, aws}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range deps(t, tc.packages)[tc.packages] {
				own := strings.HasPrefix(d, mod)
				if own && !hasPrefix(d, tc.may) || hasPrefix(d, tc.not) {
					t.Errorf("%s links %s", tc.packages, d)
				}
			}
		})
	}
}

// TestEveryPackageHasItsPart keeps shared/ to the five parts: a package
// dropped at the top would belong to none.
func TestEveryPackageHasItsPart(t *testing.T) {
	cmd := exec.Command("go", "list", "./shared/...")
	cmd.Dir = ".."
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	parts := []string{"core/", "source", "app/", "aws/", "devkit/"}
	for _, p := range strings.Fields(string(b)) {
		if p == mod+"shared" {
			continue // this test
		}
		rest := strings.TrimPrefix(p, mod+"shared/")
		if !hasPrefix(rest, parts) {
			t.Errorf("%s is in none of shared/%s", p, strings.Join(parts, ", shared/"))
		}
	}
}
