package webhook

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"scorecard/shared/core/policy"
	"scorecard/shared/core/records"
	"scorecard/shared/source"
	"scorecard/shared/source/generic"
)

// Sources returns the routes of DESIGN §3 by name: every system of the
// source registry, reading its webhooks with the policy's settings for it
// (custom statuses, the helpdesk's time zone), and the people records
// route, signed like the generic format (its body is read by the handler
// itself). A nil policy is the default one.
func Sources(p *policy.Policy) map[string]Source {
	if p == nil {
		p = policy.Default()
	}
	out := map[string]Source{records.Source: {Name: records.Source, Verify: generic.Verify}}
	for _, s := range source.All {
		out[s.Name] = Source{Name: s.Name, Verify: s.Verify, Parse: s.Parser(p.SourceFor(s.Name))}
	}
	return out
}

// CheckPolicy refuses a policy whose sources section names a source that
// does not exist (a typo would silently leave its settings unused).
func CheckPolicy(p *policy.Policy) error {
	for _, name := range slices.Sorted(maps.Keys(p.Sources)) {
		if _, ok := source.Get(name); !ok {
			return fmt.Errorf("policy sources.%s: not a source (%s)", name, strings.Join(source.Names(), ", "))
		}
	}
	return nil
}
