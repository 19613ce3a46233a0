// Package awsenv owns how the functions and the CLI reach AWS: the
// environment variables of DESIGN §5 (TABLE_NAME, AWS_REGION,
// DYNAMODB_ENDPOINT, SES_ENDPOINT) turned into SDK clients, built once at
// start. With a local endpoint and no credentials in the environment it uses
// the dummy credentials DynamoDB Local and the SES server accept.
package awsenv

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
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

// Config loads the SDK configuration. Against local servers without
// credentials in the environment, letters-only dummy credentials are used.
func (e Env) Config(ctx context.Context, getenv func(string) string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{}
	if e.Region != "" {
		opts = append(opts, config.WithRegion(e.Region))
	}
	if e.Local() && getenv("AWS_ACCESS_KEY_ID") == "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("dummykey", "dummysecret", "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	return cfg, nil
}

// DynamoDB returns a client for the configured endpoint.
func (e Env) DynamoDB(cfg aws.Config, opts ...func(*dynamodb.Options)) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		if e.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(e.DynamoDBEndpoint)
			// DynamoDB Local's CRC32 header does not match its body.
			o.DisableValidateResponseChecksum = true
		}
	}}, opts...)...)
}
