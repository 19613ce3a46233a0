package dynamo

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// TicketsInMonth returns every ticket with an event in month m, plus every
// ticket unresolved now (its SLA deadline may fall in m), without a Scan:
// the month's index shards and the open-ticket shards are queried in
// parallel. Keys come back sorted.
func (s *Store) TicketsInMonth(ctx context.Context, m month.Month) ([]TicketKey, error) {
	var (
		mu    sync.Mutex
		seen  = map[TicketKey]bool{}
		first error
		wg    sync.WaitGroup
	)
	query := func(pk string) {
		defer wg.Done()
		keys, err := s.queryIndex(ctx, pk)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && first == nil {
			first = err
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	for shard := range s.opt.Shards {
		wg.Add(2)
		go query(monthShardPK(m, shard))
		go query(openShardPK(shard))
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	keys := make([]TicketKey, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b TicketKey) int {
		if a.Source != b.Source {
			if a.Source < b.Source {
				return -1
			}
			return 1
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return keys, nil
}

// queryIndex reads one index partition, all pages.
func (s *Store) queryIndex(ctx context.Context, pk string) ([]TicketKey, error) {
	var out []TicketKey
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	}
	p := dynamodb.NewQueryPaginator(s.db, in)
	var last TicketKey
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("query index", err)
		}
		for _, item := range page.Items {
			var k struct {
				PK     string `dynamodbav:"pk"`
				GSI1SK string `dynamodbav:"gsi1sk"`
			}
			if err := attributevalue.UnmarshalMap(item, &k); err != nil {
				return nil, fmt.Errorf("unmarshal index entry: %w", err)
			}
			var tk TicketKey
			var ok bool
			if len(pk) > 4 && pk[:4] == "OPEN" {
				tk, ok = parseTicketPK(k.PK)
			} else {
				tk, ok = parseIndexSK(k.GSI1SK)
			}
			if ok && tk != last {
				out = append(out, tk)
				last = tk
			}
		}
	}
	return out, nil
}

// MonthTickets yields the state of every ticket TicketsInMonth finds.
func (s *Store) MonthTickets(ctx context.Context, m month.Month) iter.Seq2[*ticket.State, error] {
	return func(yield func(*ticket.State, error) bool) {
		keys, err := s.TicketsInMonth(ctx, m)
		if err != nil {
			yield(nil, err)
			return
		}
		for st, err := range s.Tickets(ctx, keys) {
			if !yield(st, err) || err != nil {
				return
			}
		}
	}
}

// Tickets reads the states of the given tickets, 100 at a time, yielding
// each state once read; memory holds one batch. A read fault stops the
// sequence with the error.
func (s *Store) Tickets(ctx context.Context, keys []TicketKey) iter.Seq2[*ticket.State, error] {
	return func(yield func(*ticket.State, error) bool) {
		for start := 0; start < len(keys); start += 100 {
			batch := keys[start:min(len(keys), start+100)]
			req := make([]map[string]types.AttributeValue, len(batch))
			for i, k := range batch {
				req[i] = map[string]types.AttributeValue{
					AttrPK: &types.AttributeValueMemberS{Value: ticketPK(k.Source, k.ID)},
					AttrSK: &types.AttributeValueMemberS{Value: ticketSK},
				}
			}
			pending := map[string]types.KeysAndAttributes{s.table: {Keys: req}}
			for tries := 0; len(pending) > 0; tries++ {
				out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				if err != nil {
					yield(nil, unavailable("read tickets", err))
					return
				}
				for _, item := range out.Responses[s.table] {
					var ti ticketItem
					if err := attributevalue.UnmarshalMap(item, &ti); err != nil {
						yield(nil, fmt.Errorf("unmarshal ticket: %w", err))
						return
					}
					evs, err := decodeEvents(ti.Source, ti.Events)
					if err != nil {
						yield(nil, fmt.Errorf("decode ticket %s/%s: %w", ti.Source, ti.TicketID, err))
						return
					}
					st := ticket.Reduce(evs)
					if !yield(&st, nil) {
						return
					}
				}
				pending = out.UnprocessedKeys
				if len(pending) > 0 && tries > 20 {
					yield(nil, unavailable("read tickets", fmt.Errorf("unprocessed keys after %d tries", tries)))
					return
				}
			}
		}
	}
}
