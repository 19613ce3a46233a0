package notifier

import (
	"fmt"
	"time"

	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// Lookups builds the contact lookup of every source with API credentials
// (secrets.Secrets.API); now is their clock for rate limits.
func Lookups(creds map[string]vendorapi.Credentials, now func() time.Time) (map[string]ContactLookup, error) {
	out := map[string]ContactLookup{}
	for name, c := range creds {
		api, err := vendorapi.New(c)
		if err != nil {
			return nil, fmt.Errorf("%s API: %w", name, err)
		}
		api.Now = now
		src, ok := source.Get(name)
		if !ok || src.Contacts == nil {
			return nil, fmt.Errorf("%s has no API to read customers from", name)
		}
		out[name] = src.Contacts(api, c)
	}
	return out, nil
}
