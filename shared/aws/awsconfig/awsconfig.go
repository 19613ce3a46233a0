// Package awsconfig loads the SDK configuration for the CLI and the tests,
// who may reach AWS through a profile or SSO. Functions do not link it:
// they read what Lambda puts in their environment (awsenv.LambdaConfig).
package awsconfig

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"scorecard/shared/aws/awsenv"
)

// Load loads the SDK configuration the way the AWS CLI does (profiles,
// SSO, the shared config files, the environment). Against local servers without
// credentials in the environment, letters-only dummy credentials are used.
func Load(ctx context.Context, e awsenv.Env, getenv func(string) string) (aws.Config, error) {
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
