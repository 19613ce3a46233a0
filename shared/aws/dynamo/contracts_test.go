package dynamo_test

import (
	"scorecard/shared/app/history"
	"scorecard/shared/app/monthly"
	"scorecard/shared/app/notifier"
	"scorecard/shared/app/round"
	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/dynamo"
)

// The store is what the services ask of storage. These checks live in the
// tests so that the store does not import the services: a function links
// only the services it runs.
var (
	_ notifier.Store        = (*dynamo.Store)(nil)
	_ notifier.ContactCache = (*dynamo.Store)(nil)
	_ webhook.Store         = (*dynamo.Store)(nil)
	_ webhook.RecordStore   = (*dynamo.Store)(nil)
	_ monthly.Store         = (*dynamo.Store)(nil)
	_ round.Store           = (*dynamo.Store)(nil)
	_ history.Store         = (*dynamo.Store)(nil)
	_ webhook.Switchovers   = (*dynamo.Store)(nil)
)
