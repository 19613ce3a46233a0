package zendesk

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/event"
)

// SatisfactionTemplate is the JSON body of the trigger that reports a
// rating a customer gave in Zendesk's own satisfaction survey (see the
// package doc): Zendesk's event subscriptions carry no ratings.
const SatisfactionTemplate = `{"satisfaction": {
  "ticket_id": "{{ticket.id}}",
  "rating": "{{satisfaction.current_rating}}",
  "comment": "{{satisfaction.current_comment}}",
  "rated_at": "{{ticket.updated_at_with_timestamp}}",
  "requester_id": "{{ticket.requester.id}}"
}}`

type satisfactionBody struct {
	TicketID    event.ID `json:"ticket_id"`
	Rating      event.ID `json:"rating"`
	Comment     string   `json:"comment"`
	RatedAt     string   `json:"rated_at"`
	RequesterID event.ID `json:"requester_id"`
}

// satisfaction reads the satisfaction trigger's body into a survey answer
// of the ticket, credited like the product's own: to the assignee at the
// last resolution before it. Good is 5, bad 1, a 1–5 score as it is; an
// offered-but-unanswered survey (unoffered, offered, empty) is no answer.
func satisfaction(d event.Delivery, raw json.RawMessage) ([]event.Event, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, event.Invalid("satisfaction", "must be an object")
	}
	var b satisfactionBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, event.JSONProblem("satisfaction.", err)
	}
	e := event.Event{Source: Source, Type: event.SurveyAnswered}
	var err error
	if e.TicketID, err = event.RequiredID("satisfaction.ticket_id", string(b.TicketID)); err != nil {
		return nil, err
	}
	rating := strings.ToLower(strings.TrimSpace(string(b.Rating)))
	switch {
	case strings.HasPrefix(rating, "good"):
		e.Rating = 5
	case strings.HasPrefix(rating, "bad"):
		e.Rating = 1
	case rating == "" || strings.Contains(rating, "offered"):
		return nil, nil
	default:
		n, err := strconv.Atoi(rating)
		if err != nil || n < 1 || n > 5 {
			return nil, event.Invalid("satisfaction.rating", "%q is not good, bad or 1–5", event.Clip(string(b.Rating)))
		}
		e.Rating = n
	}
	e.OccurredAt = d.Received.UTC()
	if at := strings.TrimSpace(b.RatedAt); at != "" {
		if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
			e.OccurredAt = t.UTC()
		} else {
			d.Warnf("satisfaction.rated_at", "%q is not an RFC 3339 time: the time received is used", event.Clip(at))
		}
	}
	if e.OccurredAt, err = event.CheckTime("satisfaction.rated_at", e.OccurredAt); err != nil {
		return nil, err
	}
	e.Comment = strings.TrimSpace(b.Comment)
	if id, err := event.OptionalID("satisfaction.requester_id", string(b.RequesterID)); err != nil {
		return nil, err
	} else if id != "" {
		e.Actor = event.Actor{ID: id, Kind: event.Customer}
		e.Customer = &event.CustomerInfo{ID: id}
	}
	// A changed rating is a new answer that replaces the old one.
	e.ID = "csat:" + e.TicketID + ":" + e.OccurredAt.Format(time.RFC3339Nano)
	if e.ID, err = event.RequiredID("satisfaction.ticket_id", e.ID); err != nil {
		return nil, err
	}
	return []event.Event{e}, nil
}
