package notifier

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
)

// Reader reads the event a stream record's new image holds; ok is false
// for any other item. The store knows its items' shape
// (dynamo.EventImage); the notifier does not.
type Reader func(img map[string]events.DynamoDBAttributeValue) (e event.Event, ok bool, err error)

// Loader reads a ticket's state as stored now (strongly consistent, so
// that it holds the event the record announced).
type Loader func(ctx context.Context, source, ticketID string) (ticket.State, error)

// StreamHandler is the Lambda entry point for the table's stream: for
// every stored event that can bear on a survey (Matters), its ticket is
// read and considered, once per batch however many of its events the
// batch holds. A record that cannot be handled is reported as a batch item
// failure, so only it (and the records after it) are retried
// (bisect-on-error and the dead-letter queue do the rest).
type StreamHandler struct {
	Notifier *Notifier
	Read     Reader
	Load     Loader
}

// Matters reports whether an event can change the survey a ticket's final
// resolution calls for: a status change (a resolution, a reopening), the
// ticket's creation or its tags (the requester, a no-survey tag), an
// answer given in the ticketing system, or anything naming the requester's
// address. Replies, notes, assignments and priorities cannot: the survey
// of a resolution is recorded once, with the engineer credited when it was
// decided, and an event of these kinds arriving later changes nothing of
// it.
func Matters(e event.Event) bool {
	switch e.Type {
	case event.Created, event.StatusChanged, event.TagsChanged, event.SurveyAnswered:
		return true
	}
	return e.HasTags || e.Customer != nil && e.Customer.Email != ""
}

// Handle handles one batch of stream records: it reads the tickets the
// records that matter name (each once), reads in one batch which of their
// surveys are recorded (Prefetch), then considers each ticket.
func (h *StreamHandler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	type key struct{ source, id string }
	var (
		done   = map[key]error{}
		states = map[key]*ticket.State{}
		order  []key
		keys   = make([]key, len(ev.Records))
		failed = make([]error, len(ev.Records))
		matter = make([]bool, len(ev.Records))
	)
	for i, rec := range ev.Records {
		e, ok, err := h.Read(rec.Change.NewImage)
		if !ok || err == nil && !Matters(e) {
			continue
		}
		matter[i] = true
		if err != nil {
			failed[i] = err
			continue
		}
		k := key{e.Source, e.TicketID}
		keys[i] = k
		if _, seen := done[k]; seen {
			continue
		}
		st, err := h.Load(ctx, e.Source, e.TicketID)
		done[k] = err
		if err == nil {
			states[k] = &st
			order = append(order, k)
		}
	}
	list := make([]*ticket.State, len(order))
	for i, k := range order {
		list[i] = states[k]
	}
	if err := h.Notifier.Prefetch(ctx, list); err != nil {
		h.Notifier.Log.Warn("surveys not read in a batch; each ticket reads its own", "err", err)
	}
	for _, k := range order {
		done[k] = h.Notifier.Consider(ctx, states[k])
	}
	for i, rec := range ev.Records {
		if !matter[i] {
			continue
		}
		err := failed[i]
		if err == nil {
			err = done[keys[i]]
		}
		if err != nil {
			h.Notifier.Log.Error("stream record failed", "event_id", rec.EventID, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}
