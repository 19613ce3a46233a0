package dynamo

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// maxCatchUp bounds how many months back TicketsInMonth goes to carry
// open tickets over when monthly runs were missed.
const maxCatchUp = 12

// TicketsInMonth returns every ticket with an event in month m, plus every
// ticket unresolved when the month began (its SLA deadline may fall in m),
// without a Scan: the month's index shards are queried in parallel. The
// tickets still open at a month's end are carried into the next month's
// index by the monthly run (CarryOpen); if that run has not carried them,
// this does it first, reading the month before. Keys come back sorted.
func (s *Store) TicketsInMonth(ctx context.Context, m month.Month) ([]TicketKey, error) {
	if err := s.ensureCarried(ctx, m, maxCatchUp); err != nil {
		return nil, err
	}
	keys, _, err := s.indexOf(ctx, m)
	return keys, err
}

// indexOf lists month m's index: its entries, the gsi1 entries of the
// layout before event items, and that layout's open tickets. current is
// false when m has no entry of the current layout.
func (s *Store) indexOf(ctx context.Context, m month.Month) (keys []TicketKey, current bool, err error) {
	var (
		mu    sync.Mutex
		seen  = map[TicketKey]bool{}
		first error
		wg    sync.WaitGroup
	)
	query := func(pk string, gsi, legacyOpen bool) {
		defer wg.Done()
		keys, err := s.queryIndex(ctx, pk, gsi, legacyOpen)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && first == nil {
			first = err
		}
		if !gsi && len(keys) > 0 {
			current = true
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	for shard := range s.opt.Shards {
		wg.Add(3)
		go query(monthShardPK(m, shard), false, false)
		go query(monthShardPK(m, shard), true, false)
		go query(openShardPK(shard), true, true)
	}
	wg.Wait()
	if first != nil {
		return nil, false, first
	}
	keys = make([]TicketKey, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b TicketKey) int {
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return keys, current, nil
}

// queryIndex reads one index partition, all pages: of the table (pk), or
// of gsi1 as the layout before event items wrote it.
func (s *Store) queryIndex(ctx context.Context, pk string, gsi, legacyOpen bool) ([]TicketKey, error) {
	var out []TicketKey
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ProjectionExpression:      aws.String("pk, sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	}
	if gsi {
		in.IndexName, in.KeyConditionExpression, in.ProjectionExpression = aws.String(IndexGSI1), aws.String("gsi1pk = :pk"), aws.String("pk, gsi1sk")
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
				SK     string `dynamodbav:"sk"`
				GSI1SK string `dynamodbav:"gsi1sk"`
			}
			if err := attributevalue.UnmarshalMap(item, &k); err != nil {
				return nil, fmt.Errorf("unmarshal index entry: %w", err)
			}
			var tk TicketKey
			var ok bool
			switch {
			case legacyOpen:
				tk, ok = parseTicketPK(k.PK)
			case gsi:
				tk, ok = parseIndexSK(k.GSI1SK)
			default:
				tk, ok = parseIndexSK(k.SK)
			}
			if ok && tk != last {
				out = append(out, tk)
				last = tk
			}
		}
	}
	return out, nil
}

// ensureCarried makes sure month m's index holds the tickets still open
// when the month before it ended: done when the month is marked carried;
// otherwise the month before is read (after making sure of it in turn, at
// most depth months back) and its open tickets are carried. A month
// before which the index has no entry of this layout has nothing to
// carry: the store began with it, or the tickets open before it are in
// the open list of the layout before event items, which is still read.
func (s *Store) ensureCarried(ctx context.Context, m month.Month, depth int) error {
	if s.indexed.has(carryPK(m)) {
		return nil
	}
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(carryPK(m), carrySK), ProjectionExpression: aws.String(AttrPK)})
	if err != nil {
		return unavailable("read carry mark", err)
	}
	if out.Item != nil {
		s.indexed.add(carryPK(m))
		return nil
	}
	prev := m.Add(-1)
	keys, current, err := s.indexOf(ctx, prev)
	if err != nil {
		return err
	}
	if !current || depth == 0 {
		return s.markCarried(ctx, m)
	}
	if !s.indexed.has(carryPK(prev)) {
		// The month before may itself hold tickets carried only now.
		if err := s.ensureCarried(ctx, prev, depth-1); err != nil {
			return err
		}
		if keys, _, err = s.indexOf(ctx, prev); err != nil {
			return err
		}
	}
	var open []TicketKey
	for st, err := range s.Tickets(ctx, keys) {
		if err != nil {
			return err
		}
		if !st.Status.Done() {
			open = append(open, TicketKey{Source: st.Source, ID: st.ID})
		}
	}
	return s.CarryOpen(ctx, m, open)
}

// CarryOpen writes the tickets still open at the end of the month before
// m into m's index and marks m carried: the monthly run, which reads every
// ticket of that month, calls it once the month is over, so that a ticket
// with no event in m is still read in m (its deadline may pass there).
// Events of the month before that arrive after it are indexed in m by
// Ingest. A month already marked is left as it is.
func (s *Store) CarryOpen(ctx context.Context, m month.Month, open []TicketKey) error {
	if s.indexed.has(carryPK(m)) {
		return nil
	}
	exp := s.opt.Now().Add(s.opt.Retention).Unix()
	reqs := make([]types.WriteRequest, 0, len(open))
	for _, k := range open {
		item, err := attributevalue.MarshalMap(indexItem{PK: monthShardPK(m, shardOf(k.Source, k.ID, s.opt.Shards)), SK: indexSK(k.Source, k.ID), ExpiresAt: exp})
		if err != nil {
			return fmt.Errorf("marshal index entry: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return err
	}
	return s.markCarried(ctx, m)
}

func (s *Store) markCarried(ctx context.Context, m month.Month) error {
	item := key(carryPK(m), carrySK)
	item["at"] = &types.AttributeValueMemberS{Value: stamp(s.opt.Now())}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item}); err != nil {
		return unavailable("write carry mark", err)
	}
	s.indexed.add(carryPK(m))
	return nil
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

// ticketWindow is how many tickets Tickets reads ahead of the one it
// yields.
const ticketWindow = 256

// Tickets reads the states of the given tickets, in the order given, each
// with one query of its partition (eventually consistent), four times
// opt.Parallel at a time (reads are small and many); memory holds one window of tickets. A ticket with no events
// is skipped. A read fault stops the sequence with the error.
func (s *Store) Tickets(ctx context.Context, keys []TicketKey) iter.Seq2[*ticket.State, error] {
	return func(yield func(*ticket.State, error) bool) {
		for start := 0; start < len(keys); start += ticketWindow {
			batch := keys[start:min(len(keys), start+ticketWindow)]
			states := make([]*ticket.State, len(batch))
			err := s.eachN(ctx, len(batch), 4*s.opt.Parallel, func(i int) error {
				evs, err := s.ticketEvents(ctx, batch[i], false)
				switch {
				case errcode.Code(err) == errcode.NotFound:
					return nil
				case err != nil:
					return err
				}
				st := ticket.Reduce(evs)
				states[i] = &st
				return nil
			})
			if err != nil {
				yield(nil, err)
				return
			}
			for _, st := range states {
				if st != nil && !yield(st, nil) {
					return
				}
			}
		}
	}
}
