// Package startup owns what every function does once per cold start: check
// its environment (failing with the missing variable's name), load the
// policy, build the AWS clients once, and read its secrets from SSM — a
// function refuses to start without the ones it needs.
package startup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/policy"
)

// Config is a started function's configuration.
type Config struct {
	Policy  *policy.Policy
	Env     awsenv.Env
	AWS     aws.Config
	Secrets secrets.Secrets
}

// Load reads the environment: vars must all be set; SECRETS_PREFIX names
// the SSM path the secrets are read from, and need lists the secrets the
// function cannot run without ("link-signing-key", "webhook/zendesk", …).
func Load(ctx context.Context, getenv func(string) string, vars []string, need ...string) (*Config, error) {
	// Mail through a relay logs in with the password in SSM.
	if getenv("SMTP_HOST") != "" && getenv("SMTP_USER") != "" {
		need = append(need, "smtp-password")
	}
	for _, name := range append([]string{"SECRETS_PREFIX"}, vars...) {
		if getenv(name) == "" {
			return nil, fmt.Errorf("%s is not set", name)
		}
	}
	pol := policy.Default()
	if path := getenv("POLICY_FILE"); path != "" {
		var err error
		if pol, err = policy.Load(path); err != nil {
			return nil, err
		}
	}
	env := awsenv.FromEnv(getenv, false)
	cfg, err := env.LambdaConfig(getenv)
	if err != nil {
		return nil, err
	}
	sec, err := secrets.Load(ctx, secrets.SSM(ssm.NewFromConfig(cfg)), getenv("SECRETS_PREFIX"), need...)
	if err != nil {
		return nil, err
	}
	return &Config{Policy: pol, Env: env, AWS: cfg, Secrets: sec}, nil
}

// Store is the DynamoDB store of TABLE_NAME.
func (c *Config) Store() *dynamo.Store {
	return dynamo.New(dynamo.SDK(c.Env.DynamoDB(c.AWS)), c.Env.Table, dynamo.Options{Location: c.Policy.Location(), Retention: c.Policy.Retention.RawEvents.D()})
}
