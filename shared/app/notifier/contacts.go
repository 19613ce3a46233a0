package notifier

import (
	"fmt"
	"time"

	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/vendorapi"
	"scorecard/shared/source/zendesk"
)

// Lookups builds the contact lookup of every source with API credentials
// (secrets.Secrets.API); now is their clock for rate limits.
func Lookups(creds map[string]vendorapi.Credentials, now func() time.Time) (map[string]ContactLookup, error) {
	out := map[string]ContactLookup{}
	for source, c := range creds {
		api, err := vendorapi.New(c)
		if err != nil {
			return nil, fmt.Errorf("%s API: %w", source, err)
		}
		api.Now = now
		switch source {
		case zendesk.Source:
			out[source] = zendesk.Users{API: api}
		case jira.Source:
			out[source] = jira.NewUsers(api, c)
		case freshdesk.Source:
			out[source] = freshdesk.Contacts{API: api}
		default:
			return nil, fmt.Errorf("%s has no API to read customers from", source)
		}
	}
	return out, nil
}
