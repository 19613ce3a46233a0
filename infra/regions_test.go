package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cfnLint runs cfn-lint over a synthesized template for regions and
// returns, by region, the resource types it says do not exist there (rule
// E3006); any other error fails the test.
func cfnLint(t *testing.T, s synthesized, regions []string) map[string][]string {
	t.Helper()
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed (pip install cfn-lint): the regions table is not cross-checked")
	}
	file := filepath.Join(t.TempDir(), "template.json")
	b, err := json.Marshal(s.json)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--format", "json", "--ignore-checks", "W", "I", "--regions"}, regions...)
	out, err := exec.Command(bin, append(args, "--", file)...).Output()
	// cfn-lint exits non-zero when it finds errors: the JSON says which.
	var findings []struct {
		Message string
		Rule    struct{ Id string }
	}
	if jerr := json.Unmarshal(out, &findings); jerr != nil {
		t.Fatalf("cfn-lint: %v, %v\n%s", err, jerr, out)
	}
	missingRE := regexp.MustCompile(`^Resource type '([A-Za-z0-9:]+)' does not exist in '([a-z0-9-]+)'$`)
	missing := map[string][]string{}
	for _, f := range findings {
		m := missingRE.FindStringSubmatch(f.Message)
		if f.Rule.Id != "E3006" || m == nil {
			t.Errorf("cfn-lint %s: %s", f.Rule.Id, f.Message)
			continue
		}
		if !slices.Contains(missing[m[2]], m[1]) {
			missing[m[2]] = append(missing[m[2]], m[1])
		}
	}
	return missing
}

// TestRegionsAgreeWithCfnLint checks the regions table against cfn-lint's
// own knowledge of which resource types exist where: the stack with SES in
// every region of the table lacks exactly the SES types where the table
// says no SES, the HTTP API's where it says no HTTP API, and nothing else
// anywhere; the stack with a relay instead lacks nothing in the regions
// without SES that have HTTP APIs.
func TestRegionsAgreeWithCfnLint(t *testing.T) {
	var all, relayOnly []string
	for name, r := range regions {
		all = append(all, name)
		if !r.ses && r.httpAPI {
			relayOnly = append(relayOnly, name)
		}
	}
	slices.Sort(all)
	slices.Sort(relayOnly)
	missing := cfnLint(t, defaultSynth(t), all)
	for _, name := range all {
		var ses, api, url bool
		for _, typ := range missing[name] {
			switch {
			case strings.HasPrefix(typ, "AWS::SES::"):
				ses = true
			case strings.HasPrefix(typ, "AWS::ApiGatewayV2::"):
				api = true
			case typ == "AWS::Lambda::Url":
				url = true
			default:
				t.Errorf("%s lacks %s, which the stack uses and regions.go does not track", name, typ)
			}
		}
		if want := regions[name]; want.ses == ses || want.httpAPI == api || want.noURL != url {
			t.Errorf("%s: the table says SES %v, HTTP API %v, no function URL %v; cfn-lint finds %v missing", name, want.ses, want.httpAPI, want.noURL, missing[name])
		}
	}
	if len(relayOnly) == 0 {
		t.Fatal("no region without SES in the table")
	}
	// (Where the table says no function URL, checkRegion puts the
	// webhooks on the HTTP API, which TestWebhooksOnTheAPIWithoutURLs
	// checks.)
	for name, types := range cfnLint(t, relaySynth(t), relayOnly) {
		types = slices.DeleteFunc(types, func(typ string) bool { return typ == "AWS::Lambda::Url" && regions[name].noURL })
		if len(types) > 0 {
			t.Errorf("with a relay, %s still lacks %v", name, types)
		}
	}
}

// In a region without function URLs the webhooks go through the HTTP API,
// with a warning; elsewhere they keep the function's URL.
func TestWebhooksOnTheAPIWithoutURLs(t *testing.T) {
	for _, tc := range []struct {
		region, endpoint string
		warned           bool
	}{
		{"eu-central-2", webhookEndpointAPI, true},
		{"eu-central-1", webhookEndpointURL, false},
	} {
		cfg := Config{WebhookEndpoint: webhookEndpointURL, SMTPHost: "smtp.corp.example"}
		warning, err := checkRegion(tc.region, "test", &cfg)
		if err != nil || cfg.WebhookEndpoint != tc.endpoint || (warning != "") != tc.warned {
			t.Errorf("%s: %q, %q, %v; want the endpoint %q", tc.region, cfg.WebhookEndpoint, warning, err, tc.endpoint)
		}
	}
}
