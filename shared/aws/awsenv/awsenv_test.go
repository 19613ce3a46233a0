package awsenv_test

import (
	"context"
	"testing"

	"scorecard/shared/aws/awsenv"
)

func TestLambdaConfig(t *testing.T) {
	lambdaEnv := map[string]string{
		"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
	}
	tests := []struct {
		name     string
		env      map[string]string
		local    bool
		wantKey  string
		wantFail bool
	}{
		{"the role's credentials as Lambda gives them", lambdaEnv, false, "ASIAEXAMPLE", false},
		{"local servers without credentials take the dummy ones", map[string]string{}, true, "dummykey", false},
		{"no credentials in AWS is an error", map[string]string{"AWS_REGION": "eu-west-1"}, false, "", true},
		{"no region in AWS is an error", map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, false, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			cfg, err := awsenv.FromEnv(getenv, tc.local).LambdaConfig(getenv)
			if (err != nil) != tc.wantFail {
				t.Fatalf("err = %v, want failure %v", err, tc.wantFail)
			}
			if err != nil {
				return
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || creds.AccessKeyID != tc.wantKey {
				t.Errorf("credentials %q (%v), want %q", creds.AccessKeyID, err, tc.wantKey)
			}
			if tc.wantKey == "ASIAEXAMPLE" && (creds.SessionToken != "token" || cfg.Region != "eu-west-1") {
				t.Errorf("session token %q, region %q", creds.SessionToken, cfg.Region)
			}
		})
	}
}
