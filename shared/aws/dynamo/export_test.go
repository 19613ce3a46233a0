package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// EncodeEventsForTest is encodeEvents, for the external tests.
var EncodeEventsForTest = encodeEvents

// PlainEventsForTest is how ticket items stored their events before they
// were compressed.
func PlainEventsForTest(evs []event.Event) ([]byte, error) {
	wire := make([]event.GenericEvent, len(evs))
	for i, e := range evs {
		wire[i] = event.ToGeneric(e)
	}
	return json.Marshal(wire)
}

// DecodeTicket reads a legacy ticket item's events attribute, for the
// capacity test.
func DecodeTicket(source string, b []byte) (*ticket.State, error) {
	evs, err := decodeEvents(source, b)
	if err != nil {
		return nil, fmt.Errorf("decode ticket: %w", err)
	}
	st := ticket.Reduce(evs)
	return &st, nil
}

// WriteLegacyForTest writes a ticket as the layout before event items did
// (store.go at 6a6abea): its STATE item with all its events compressed,
// on the open list while unresolved, and a raw event item per event, the
// first of each month carrying the month index in gsi1.
func (s *Store) WriteLegacyForTest(ctx context.Context, evs []event.Event) error {
	evs = ticket.Canonical(evs)
	k := TicketKey{Source: evs[0].Source, ID: evs[0].TicketID}
	state := ticket.Reduce(evs)
	body, err := encodeEvents(evs)
	if err != nil {
		return err
	}
	now := s.opt.Now().UTC()
	shard := shardOf(k.Source, k.ID, s.opt.Shards)
	ti := ticketItem{PK: ticketPK(k.Source, k.ID), SK: legacyTicketSK, Source: k.Source, TicketID: k.ID, Version: 1,
		Events: body, Count: len(evs), Status: string(state.Status), Updated: now.Format(time.RFC3339Nano)}
	if !state.Status.Done() {
		ti.GSI1PK, ti.GSI1SK = openShardPK(shard), ti.PK
	}
	items := []any{ti}
	indexed := map[month.Month]bool{}
	for _, e := range evs {
		b, err := json.Marshal(event.ToGeneric(e))
		if err != nil {
			return err
		}
		ei := struct {
			PK       string `dynamodbav:"pk"`
			SK       string `dynamodbav:"sk"`
			Source   string `dynamodbav:"source"`
			TicketID string `dynamodbav:"ticket_id"`
			Body     []byte `dynamodbav:"body"`
			GSI1PK   string `dynamodbav:"gsi1pk,omitempty"`
			GSI1SK   string `dynamodbav:"gsi1sk,omitempty"`
		}{PK: legacyEventPK(e.Source, e.TicketID, e.ID), SK: legacyEventSK, Source: e.Source, TicketID: e.TicketID, Body: b}
		if m := month.Of(e.OccurredAt, s.opt.Location); !indexed[m] {
			indexed[m] = true
			ei.GSI1PK, ei.GSI1SK = monthShardPK(m, shard), legacyIndexSK(e.Source, e.TicketID, e.ID)
		}
		items = append(items, ei)
	}
	for _, v := range items {
		item, err := attributevalue.MarshalMap(v)
		if err != nil {
			return err
		}
		if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
			return err
		}
	}
	return nil
}

// MissedReadsForTest is missedReads.
var MissedReadsForTest = missedReads
