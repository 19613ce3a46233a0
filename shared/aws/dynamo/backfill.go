package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// Backfill writes whole tickets in bulk (25 items a call, parallel): every
// event's item and the ticket's entry in each month it touches, the same
// items Ingest writes. It is for loading history into an empty table (a
// migration, a benchmark), not for live traffic: it overwrites without
// conditions and carries no open tickets over (the first read of a month
// does, TicketsInMonth).
func (s *Store) Backfill(ctx context.Context, tickets [][]event.Event) error {
	var reqs []types.WriteRequest
	now := s.opt.Now().UTC()
	exp := now.Add(s.opt.Retention).Unix()
	put := func(v any) error {
		item, err := attributevalue.MarshalMap(v)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		return nil
	}
	for _, evs := range tickets {
		evs = ticket.Canonical(evs)
		if len(evs) == 0 {
			continue
		}
		k := TicketKey{Source: evs[0].Source, ID: evs[0].TicketID}
		shard := shardOf(k.Source, k.ID, s.opt.Shards)
		seen := map[month.Month]bool{}
		for _, e := range evs {
			if m := month.Of(e.OccurredAt, s.opt.Location); !seen[m] {
				seen[m] = true
				if err := put(indexItem{PK: monthShardPK(m, shard), SK: indexSK(k.Source, k.ID), ExpiresAt: exp}); err != nil {
					return err
				}
			}
			body, err := encodeEvent(e)
			if err != nil {
				return err
			}
			if err := put(eventItem{PK: ticketPK(k.Source, k.ID), SK: eventSK(e.ID), Body: body, Received: now.Unix(), ExpiresAt: exp}); err != nil {
				return err
			}
		}
	}
	const perCall = 25 * 8
	err := s.each(ctx, (len(reqs)+perCall-1)/perCall, func(i int) error {
		return s.batchWrite(ctx, reqs[i*perCall:min(len(reqs), (i+1)*perCall)])
	})
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	return nil
}
