package secrets_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"scorecard/shared/aws/secrets"
)

// fakeSSM serves parameters a page of one at a time, to test paging.
type fakeSSM struct{ params map[string]string }

func (f fakeSSM) GetParametersByPath(_ context.Context, in *ssm.GetParametersByPathInput, _ ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error) {
	var names []string
	for n := range f.params {
		if strings.HasPrefix(n, aws.ToString(in.Path)+"/") {
			names = append(names, n)
		}
	}
	slices.Sort(names) // one order across pages, as SSM keeps it
	start := 0
	if in.NextToken != nil {
		for i, n := range names {
			if n == *in.NextToken {
				start = i
			}
		}
	}
	out := &ssm.GetParametersByPathOutput{}
	if start < len(names) {
		out.Parameters = []types.Parameter{{Name: aws.String(names[start]), Value: aws.String(f.params[names[start]])}}
		if start+1 < len(names) {
			out.NextToken = aws.String(names[start+1])
		}
	}
	return out, nil
}

func TestLoad(t *testing.T) {
	ps := fakeSSM{params: map[string]string{
		"/scorecard/webhook/zendesk":   "z",
		"/scorecard/webhook/generic":   "g",
		"/scorecard/link-signing-key":  "k",
		"/other/link-signing-key":      "not ours",
		"/scorecard/webhook/unknown-x": "ignored",
	}}
	s, err := secrets.Load(context.Background(), ps, "scorecard/", "link-signing-key", "webhook/zendesk")
	if err != nil {
		t.Fatal(err)
	}
	if string(s.SigningKey) != "k" || string(s.Webhook["zendesk"]) != "z" || string(s.Webhook["generic"]) != "g" || len(s.Webhook) != 2 {
		t.Errorf("loaded %+v", s)
	}
	_, err = secrets.Load(context.Background(), ps, "/scorecard", "webhook/jira", "link-signing-key")
	if err == nil || !strings.Contains(err.Error(), "/scorecard/webhook/jira") || strings.Contains(err.Error(), "k") && strings.Contains(err.Error(), "=k") {
		t.Errorf("a missing secret is named (never a value): %v", err)
	}
}

func TestDev(t *testing.T) {
	d := secrets.Dev()
	if string(d.SigningKey) != "dev-signing-key" || string(d.Webhook["jira"]) != "dev-jira-secret" || len(d.Webhook) != len(secrets.Sources) {
		t.Errorf("dev secrets %+v", d)
	}
}
