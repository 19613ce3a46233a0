// Package awsenv owns how the functions and the CLI reach AWS: the
// environment variables of DESIGN §5 (TABLE_NAME, AWS_REGION,
// DYNAMODB_ENDPOINT, SES_ENDPOINT) turned into SDK clients, built once at
// start. With a local endpoint and no credentials in the environment it uses
// the dummy credentials DynamoDB Local and the SES server accept.
package awsenv

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Local endpoints of `make up`.
const (
	LocalDynamoDB = "http://127.0.0.1:8000"
	LocalSES      = "http://127.0.0.1:8005"
)

// Env is the AWS part of a process's configuration.
type Env struct {
	Table            string
	Region           string
	DynamoDBEndpoint string
	SESEndpoint      string
}

// FromEnv reads the configuration; local fills in the local servers'
// endpoints where none is set.
func FromEnv(getenv func(string) string, local bool) Env {
	e := Env{
		Table:            getenv("TABLE_NAME"),
		Region:           getenv("AWS_REGION"),
		DynamoDBEndpoint: getenv("DYNAMODB_ENDPOINT"),
		SESEndpoint:      getenv("SES_ENDPOINT"),
	}
	if e.Table == "" {
		e.Table = "scorecard"
	}
	if local {
		if e.DynamoDBEndpoint == "" {
			e.DynamoDBEndpoint = LocalDynamoDB
		}
		if e.SESEndpoint == "" {
			e.SESEndpoint = LocalSES
		}
	}
	if e.Region == "" && e.DynamoDBEndpoint != "" {
		e.Region = "us-east-1"
	}
	return e
}

// Local reports whether the endpoints point at local servers.
func (e Env) Local() bool { return e.DynamoDBEndpoint != "" || e.SESEndpoint != "" }

// LambdaConfig is the SDK configuration of a function, from what Lambda
// puts in its environment: the region and the execution role's
// credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), and endpoints where AWS_ENDPOINT_URL or
// AWS_ENDPOINT_URL_<SERVICE> name one. It is what config.LoadDefaultConfig
// resolves there, without linking the shared-config files, SSO, STS and
// instance-metadata providers a function never uses (about 2 MB of every
// binary). Against local servers without credentials in the environment
// it uses the dummy ones they accept.
func (e Env) LambdaConfig(getenv func(string) string) (aws.Config, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id != "" && secret != "":
	case e.Local():
		id, secret = "dummykey", "dummysecret"
	default:
		return aws.Config{}, fmt.Errorf("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the function's role)")
	}
	region := e.Region
	if region == "" {
		return aws.Config{}, fmt.Errorf("AWS_REGION is not set")
	}
	cfg := aws.Config{
		Region:        region,
		Credentials:   aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN"))),
		ConfigSources: []any{endpointsFromEnv(getenv)},
	}
	if u := getenv("AWS_ENDPOINT_URL"); u != "" {
		cfg.BaseEndpoint = aws.String(u)
	}
	return cfg, nil
}

// pooled is c keeping IdleConns connections: the SDK's default client
// (nil) or one configured as a BuildableClient (a custom CA bundle) gets
// the larger pool; any other client is the caller's choice and is kept.
func pooled(c aws.HTTPClient) aws.HTTPClient {
	b, ok := c.(*awshttp.BuildableClient)
	switch {
	case c == nil:
		b = awshttp.NewBuildableClient()
	case !ok:
		return c
	}
	return b.WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns, t.MaxIdleConnsPerHost = IdleConns, IdleConns
	})
}

// endpointsFromEnv gives the SDK clients a service's endpoint from
// AWS_ENDPOINT_URL_<SERVICE> (the SDK id upper-cased, spaces as
// underscores: AWS_ENDPOINT_URL_SSM), as the shared config loader does.
type endpointsFromEnv func(string) string

// GetServiceBaseEndpoint is what the clients ask their config sources.
func (e endpointsFromEnv) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v := e("AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(sdkID, " ", "_")))
	return v, v != "", nil
}

// IdleConns is how many idle connections the DynamoDB client keeps to its
// endpoint. The store runs up to 32 reads at once (a month's tickets, four
// per write it may run at once), a gateway more; the SDK's default of 10
// closed the rest after each call and opened new ones for the next, a TLS
// handshake each on AWS and, on DynamoDB Local, thousands of connections a
// second in TIME_WAIT.
const IdleConns = 64

// DynamoDB returns a client for the configured endpoint, whose connection
// pool keeps IdleConns connections open.
func (e Env) DynamoDB(cfg aws.Config, opts ...func(*dynamodb.Options)) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		o.HTTPClient = pooled(o.HTTPClient)
		if e.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(e.DynamoDBEndpoint)
			// DynamoDB Local's CRC32 header does not match its body.
			o.DisableValidateResponseChecksum = true
		}
	}}, opts...)...)
}
