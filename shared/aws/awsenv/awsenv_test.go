package awsenv_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/aws/awsenv"
)

// TestLambdaConfigEndpoints holds the clients to AWS_ENDPOINT_URL_<SERVICE>
// as the shared config loader reads it: a client of that service goes
// there, others to AWS.
func TestLambdaConfigEndpoints(t *testing.T) {
	env := map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
		"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9001", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9002"}
	for k, v := range env {
		t.Setenv(k, v) // the clients look the variables up themselves too
	}
	cfg, err := awsenv.Env{Region: "us-east-1"}.LambdaConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := ssm.NewFromConfig(cfg).Options().BaseEndpoint; got == nil || *got != "http://127.0.0.1:9001" {
		t.Errorf("SSM endpoint %v", got)
	}
	if got := dynamodb.NewFromConfig(cfg).Options().BaseEndpoint; got == nil || *got != "http://127.0.0.1:9002" {
		t.Errorf("DynamoDB endpoint %v", got)
	}
	if got := sesv2.NewFromConfig(cfg).Options().BaseEndpoint; got != nil {
		t.Errorf("SES endpoint %v, want AWS's", *got)
	}
}

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
