package main

import (
	"context"
	"flag"
	"time"

	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/policy"
)

// backend is what commands that touch the store share.
type backend struct {
	env    awsenv.Env
	policy *policy.Policy
	store  *dynamo.Store
	db     dynamo.DB
}

// storeFlags adds --local and --policy to a command.
type storeFlags struct {
	local  *bool
	policy *string
}

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		local:  fs.Bool("local", false, "use the local servers of `make up` (DynamoDB :8000, SES :8005), creating the table if missing"),
		policy: fs.String("policy", "", "policy YAML (default: POLICY_FILE, else the shipped policy)"),
	}
}

// open builds the store from the environment (DESIGN §5), once.
func (f storeFlags) open(ctx context.Context, e *env, opts ...dynamo.TableOption) (*backend, error) {
	path := *f.policy
	if path == "" {
		path = e.getenv("POLICY_FILE")
	}
	pol, err := loadPolicy(path)
	if err != nil {
		return nil, err
	}
	return f.openWith(ctx, e, pol, opts...)
}

func (f storeFlags) openWith(ctx context.Context, e *env, pol *policy.Policy, opts ...dynamo.TableOption) (*backend, error) {
	ae := awsenv.FromEnv(e.getenv, *f.local)
	cfg, err := awsconfig.Load(ctx, ae, e.getenv)
	if err != nil {
		return nil, err
	}
	db := ae.DynamoDB(cfg)
	if *f.local {
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := dynamo.CreateTable(cctx, db, ae.Table, opts...); err != nil {
			return nil, errcode.Wrap(errcode.Unavailable, err, "cannot reach the local DynamoDB at "+ae.DynamoDBEndpoint+"; start it with `make up`")
		}
	}
	store := dynamo.New(db, ae.Table, dynamo.Options{Location: pol.Location(), Retention: pol.Retention.RawEvents.D()})
	return &backend{env: ae, policy: pol, store: store, db: db}, nil
}
