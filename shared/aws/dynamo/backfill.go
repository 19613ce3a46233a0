package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// Backfill writes whole tickets in bulk (25 items a call, parallel): each
// ticket item with all its events, and for each month it touches the one
// raw event that indexes it. It is for loading history into an empty table
// (a migration, a benchmark), not for live traffic: it overwrites without
// conditions and writes no other raw events.
func (s *Store) Backfill(ctx context.Context, tickets [][]event.Event) error {
	var reqs []types.WriteRequest
	now := s.opt.Now().UTC()
	for _, evs := range tickets {
		evs = ticket.Canonical(evs)
		if len(evs) == 0 {
			continue
		}
		k := TicketKey{evs[0].Source, evs[0].TicketID}
		state := ticket.Reduce(evs)
		body, err := encodeEvents(evs)
		if err != nil {
			return err
		}
		ti := ticketItem{PK: ticketPK(k.Source, k.ID), SK: ticketSK, Source: k.Source, TicketID: k.ID, Version: 1,
			Events: body, Count: len(evs), Status: string(state.Status), Assignee: state.AssigneeID, Updated: now.Format("2006-01-02T15:04:05Z")}
		shard := shardOf(k.Source, k.ID, s.opt.Shards)
		if !state.Status.Done() {
			ti.GSI1PK, ti.GSI1SK = openShardPK(shard), ti.PK
		}
		item, err := attributevalue.MarshalMap(ti)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		seen := map[month.Month]bool{}
		for _, e := range evs {
			m := month.Of(e.OccurredAt, s.opt.Location)
			if seen[m] {
				continue
			}
			seen[m] = true
			b, err := json.Marshal(event.ToGeneric(e))
			if err != nil {
				return err
			}
			ei := eventItem{PK: eventPK(e.Source, e.TicketID, e.ID), SK: eventSK, Source: e.Source, TicketID: e.TicketID, Type: string(e.Type),
				Occurred: e.OccurredAt.UTC().Format("2006-01-02T15:04:05Z"), Received: now.Format("2006-01-02T15:04:05Z"), Body: b,
				ExpiresAt: now.Add(s.opt.Retention).Unix(), GSI1PK: monthShardPK(m, shard), GSI1SK: eventIndexSK(e.Source, e.TicketID, e.ID)}
			item, err := attributevalue.MarshalMap(ei)
			if err != nil {
				return err
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, s.opt.Parallel)
	)
	for start := 0; start < len(reqs); start += 25 * 8 {
		chunk := reqs[start:min(len(reqs), start+25*8)]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := s.batchWrite(ctx, chunk); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("backfill: %w", err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}
