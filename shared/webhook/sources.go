package webhook

import (
	"scorecard/shared/freshdesk"
	"scorecard/shared/generic"
	"scorecard/shared/jira"
	"scorecard/shared/zendesk"
)

// Sources returns the adapters of DESIGN §3 by route name, and the people
// records route (its body is read by the handler itself).
func Sources() map[string]Source {
	return map[string]Source{
		zendesk.Source:   {Name: zendesk.Source, Verify: zendesk.Verify, Parse: zendesk.Parse},
		jira.Source:      {Name: jira.Source, Verify: jira.Verify, Parse: jira.Parse},
		freshdesk.Source: {Name: freshdesk.Source, Verify: freshdesk.Verify, Parse: freshdesk.Parse},
		generic.Source:   {Name: generic.Source, Verify: generic.Verify, Parse: generic.Parse},
		RecordsSource:    {Name: RecordsSource, Verify: generic.Verify},
	}
}
