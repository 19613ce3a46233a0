package webhook

import (
	"fmt"
	"maps"
	"slices"

	"scorecard/shared/core/policy"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// Sources returns the adapters of DESIGN §3 by route name, each reading
// its webhooks with the policy's settings for it (custom statuses, the
// helpdesk's time zone), and the people records route (its body is read
// by the handler itself). A nil policy is the default one.
func Sources(p *policy.Policy) map[string]Source {
	if p == nil {
		p = policy.Default()
	}
	return map[string]Source{
		zendesk.Source:   {Name: zendesk.Source, Verify: zendesk.Verify, Parse: zendesk.Parser(p.SourceFor(zendesk.Source))},
		jira.Source:      {Name: jira.Source, Verify: jira.Verify, Parse: jira.Parser(p.SourceFor(jira.Source))},
		freshdesk.Source: {Name: freshdesk.Source, Verify: freshdesk.Verify, Parse: freshdesk.Parser(p.SourceFor(freshdesk.Source))},
		generic.Source:   {Name: generic.Source, Verify: generic.Verify, Parse: generic.Parse},
		RecordsSource:    {Name: RecordsSource, Verify: generic.Verify},
	}
}

// CheckPolicy refuses a policy whose sources section names a source that
// does not exist (a typo would silently leave its settings unused).
func CheckPolicy(p *policy.Policy) error {
	known := Sources(p)
	for _, name := range slices.Sorted(maps.Keys(p.Sources)) {
		if _, ok := known[name]; !ok || name == RecordsSource {
			return fmt.Errorf("policy sources.%s: not a source (zendesk, jira, freshdesk, generic)", name)
		}
	}
	return nil
}
