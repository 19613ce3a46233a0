package awsenv_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

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

// The DynamoDB client keeps as many idle connections as the store runs
// calls at once, whatever HTTP client the configuration starts from; a
// client of the caller's own is left alone.
func TestDynamoDBKeepsItsConnections(t *testing.T) {
	own := &http.Client{}
	for _, tc := range []struct {
		name string
		cfg  aws.Config
		want int // MaxIdleConnsPerHost; 0: the caller's client kept
	}{
		{"the SDK's default", aws.Config{Region: "us-east-1"}, awsenv.IdleConns},
		{"a buildable client (custom CA bundle)", aws.Config{Region: "us-east-1", HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { t.IdleConnTimeout = 7 * time.Second })}, awsenv.IdleConns},
		{"the caller's own client", aws.Config{Region: "us-east-1", HTTPClient: own}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := awsenv.Env{}.DynamoDB(tc.cfg).Options().HTTPClient
			if tc.want == 0 {
				if got != own {
					t.Fatalf("client %T replaced", got)
				}
				return
			}
			b, ok := got.(*awshttp.BuildableClient)
			if !ok {
				t.Fatalf("client is %T", got)
			}
			tr := b.GetTransport()
			if tr.MaxIdleConnsPerHost != tc.want || tr.MaxIdleConns < tc.want {
				t.Errorf("idle connections: %d per host, %d in all; want %d", tr.MaxIdleConnsPerHost, tr.MaxIdleConns, tc.want)
			}
			if base, ok := tc.cfg.HTTPClient.(*awshttp.BuildableClient); ok && tr.IdleConnTimeout != base.GetTransport().IdleConnTimeout {
				t.Errorf("the configured client's settings were lost: idle timeout %s", tr.IdleConnTimeout)
			}
		})
	}
}
