package notifier

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
)

// RulesFrom reads the survey settings of a policy.
func RulesFrom(p *policy.Policy) Rules {
	return Rules{
		Delay:        p.Surveys.Delay.D(),
		QuietPeriod:  p.Surveys.QuietPeriod.D(),
		LinkValidity: p.Surveys.LinkValidity.D(),
		NoSurveyTags: event.NormalizeTags(p.Surveys.NoSurveyTags),
		Locale:       p.Locale,
	}
}

// Sweep is what the notifier reports after sending due surveys.
type Sweep struct {
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
}

// HandleAny is the notifier Lambda's entry point for both its triggers: a
// batch of stream records, or the scheduler's sweep ({} or any payload
// without stream records) that sends surveys whose delay has passed.
func (h *StreamHandler) HandleAny(ctx context.Context, payload json.RawMessage) (any, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err == nil && len(ev.Records) > 0 && ev.Records[0].EventSource == "aws:dynamodb" {
		return h.Handle(ctx, ev)
	}
	sent, failed, err := h.Notifier.SendDue(ctx)
	return Sweep{Sent: sent, Failed: failed}, err
}
