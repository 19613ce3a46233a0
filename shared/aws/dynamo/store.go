package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// DB is the part of the DynamoDB API the store uses; *dynamodb.Client
// implements it.
type DB interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	CreateTable(context.Context, *dynamodb.CreateTableInput, ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTimeToLive(context.Context, *dynamodb.UpdateTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

var _ DB = (*dynamodb.Client)(nil)

// Options configure a Store.
type Options struct {
	Location  *time.Location   // months of the index are in this zone (the policy's)
	Retention time.Duration    // raw events expire this long after they are received
	Shards    int              // month index partitions (DefaultShards)
	Now       func() time.Time // the clock
	// Parallel bounds the writes (and the month's ticket reads) in
	// flight at once.
	Parallel int
}

// Store is the single-table store.
type Store struct {
	db    DB
	table string
	opt   Options
	// indexed remembers month index entries this process has seen or
	// written, so that a warm function does not read them again.
	indexed seenSet
}

// New returns a store on table.
func New(db DB, table string, opt Options) *Store {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Shards <= 0 {
		opt.Shards = DefaultShards
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Retention <= 0 {
		opt.Retention = 400 * 24 * time.Hour
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 8
	}
	return &Store{db: db, table: table, opt: opt, indexed: seenSet{max: 50_000}}
}

// eventItem is one event as stored, in its ticket's partition: the
// ticket is the sum of these items (and, in a table written before them,
// its legacy STATE item).
type eventItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Body      []byte `dynamodbav:"b"` // the generic wire form (JSON), deflated behind eventsDeflate when that is smaller
	Received  int64  `dynamodbav:"r"` // unix seconds
	ExpiresAt int64  `dynamodbav:"expires_at"`
}

// indexItem is a ticket's entry in one month's index.
type indexItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	ExpiresAt int64  `dynamodbav:"expires_at"`
}

// compressAbove is the body size from which an event's body is deflated:
// a write is billed by the KB, and all but long comments fit in one.
const compressAbove = 700

// Ingest stores events: each new event once, as one item in its ticket's
// partition, written with one conditional put, and the ticket's entry in
// the month index of each month its events fall in, when the ticket has
// none yet. Events already stored are counted as duplicates and change
// nothing. A storage fault is errcode.Unavailable; the caller's sender
// should retry, which is safe: the index entries are written before the
// events they index, so a retried event finds its entries in place.
func (s *Store) Ingest(ctx context.Context, events []event.Event) (event.Ingested, error) {
	groups := map[TicketKey][]event.Event{}
	var order []TicketKey
	for _, e := range events {
		k := TicketKey{Source: e.Source, ID: e.TicketID}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	var (
		mu    sync.Mutex
		total event.Ingested
		first error
	)
	// First each ticket's month entries, then the events.
	if err := s.ensureIndexed(ctx, order, groups); err != nil {
		return total, err
	}
	evs := slices.Concat(slices.Collect(func(yield func([]event.Event) bool) {
		for _, k := range order {
			if !yield(ticket.Canonical(groups[k])) {
				return
			}
		}
	})...)
	now := s.opt.Now().UTC()
	if len(evs) >= batchFrom {
		return s.ingestBatch(ctx, evs, now)
	}
	err := s.each(ctx, len(evs), func(i int) error {
		stored, err := s.putEvent(ctx, evs[i], now)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			if first == nil {
				first = err
			}
		case stored:
			total.Stored++
		default:
			total.Duplicates++
		}
		return nil
	})
	if err == nil {
		err = first
	}
	return total, err
}

// batchFrom is the number of events from which a delivery (a history
// import's page, a generic batch) is stored in batches rather than one
// conditional put each.
const batchFrom = 25

// ingestBatch stores many events with a few calls: which of them exist is
// read 100 at a time, the others are written 25 at a time. A write
// without a condition is safe to repeat — an event's item is the same
// whoever writes it — so the only thing a concurrent delivery of the same
// events can change is the count: both may report an event stored.
func (s *Store) ingestBatch(ctx context.Context, evs []event.Event, now time.Time) (event.Ingested, error) {
	var res event.Ingested
	keys := make([]map[string]types.AttributeValue, len(evs))
	for i, e := range evs {
		keys[i] = key(ticketPK(e.Source, e.TicketID), eventSK(e.ID))
	}
	exists, err := s.existing(ctx, keys, "read events")
	if err != nil {
		return res, err
	}
	var reqs []types.WriteRequest
	for _, e := range evs {
		pk, sk := ticketPK(e.Source, e.TicketID), eventSK(e.ID)
		if exists[pk+"\x00"+sk] {
			res.Duplicates++
			continue
		}
		body, err := encodeEvent(e)
		if err != nil {
			return res, fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		item, err := attributevalue.MarshalMap(eventItem{PK: pk, SK: sk, Body: body, Received: now.Unix(), ExpiresAt: now.Add(s.opt.Retention).Unix()})
		if err != nil {
			return res, fmt.Errorf("marshal event: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	chunks := (len(reqs) + 24) / 25
	if err := s.each(ctx, chunks, func(i int) error { return s.batchWrite(ctx, reqs[i*25:min(len(reqs), i*25+25)]) }); err != nil {
		return res, err
	}
	res.Stored = len(reqs)
	return res, nil
}

// each runs f(0..n-1), at most opt.Parallel at once, and returns the first
// error.
func (s *Store) each(ctx context.Context, n int, f func(int) error) error {
	return s.eachN(ctx, n, s.opt.Parallel, f)
}

// eachN is each with par at once.
func (s *Store) eachN(ctx context.Context, n, par int, f func(int) error) error {
	if n == 1 {
		return f(0)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, par)
	)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = errcode.Wrap(errcode.Unavailable, ctx.Err(), "storage unavailable; retry")
	}
	return first
}

// indexMonths are the months a ticket's events must be indexed under:
// each event's month, and — for an event of the previous month arriving
// after the month turned — the current month too, since the monthly run
// of the previous month may already have carried the ticket's open
// tickets over (CarryOpen) without it.
func (s *Store) indexMonths(evs []event.Event) []month.Month {
	now := month.Of(s.opt.Now(), s.opt.Location)
	var ms []month.Month
	for _, e := range evs {
		m := month.Of(e.OccurredAt, s.opt.Location)
		ms = append(ms, m)
		if m.Add(1) == now {
			ms = append(ms, now)
		}
	}
	slices.SortFunc(ms, func(a, b month.Month) int { return a.Index() - b.Index() })
	return slices.Compact(ms)
}

// ensureIndexed writes the month index entries the delivery's tickets
// need and do not have. An entry is read first (a quarter of the price of
// writing it) unless this process has seen it, or the delivery creates
// the ticket: a new ticket has no entries, and a redelivered creation
// only writes the same items again. An entry read as absent by an
// eventually consistent read is written again, which is as harmless.
// Many entries (a history page, a generic batch) are read 100 and
// written 25 to a call.
func (s *Store) ensureIndexed(ctx context.Context, order []TicketKey, groups map[TicketKey][]event.Event) error {
	var check, missing []map[string]types.AttributeValue
	for _, k := range order {
		shard := shardOf(k.Source, k.ID, s.opt.Shards)
		sk := indexSK(k.Source, k.ID)
		fresh := slices.ContainsFunc(groups[k], func(e event.Event) bool { return e.Type == event.Created })
		for _, m := range s.indexMonths(groups[k]) {
			pk := monthShardPK(m, shard)
			switch {
			case s.indexed.has(pk + "\x00" + sk):
			case fresh:
				missing = append(missing, key(pk, sk))
			default:
				check = append(check, key(pk, sk))
			}
		}
	}
	found, err := s.existing(ctx, check, "read month index")
	if err != nil {
		return err
	}
	for _, k := range check {
		if id := keyID(k); found[id] {
			s.indexed.add(id)
		} else {
			missing = append(missing, k)
		}
	}
	exp := s.opt.Now().Add(s.opt.Retention).Unix()
	reqs := make([]types.WriteRequest, len(missing))
	for i, k := range missing {
		pk, sk := k[AttrPK].(*types.AttributeValueMemberS), k[AttrSK].(*types.AttributeValueMemberS)
		item, err := attributevalue.MarshalMap(indexItem{PK: pk.Value, SK: sk.Value, ExpiresAt: exp})
		if err != nil {
			return fmt.Errorf("marshal index entry: %w", err)
		}
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: item}}
	}
	if len(reqs) == 1 {
		if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: reqs[0].PutRequest.Item}); err != nil {
			return unavailable("write month index", err)
		}
	} else if len(reqs) > 1 {
		chunks := (len(reqs) + 24) / 25
		if err := s.each(ctx, chunks, func(i int) error { return s.batchWrite(ctx, reqs[i*25:min(len(reqs), i*25+25)]) }); err != nil {
			return err
		}
	}
	for _, k := range missing {
		s.indexed.add(keyID(k))
	}
	return nil
}

// keyID is an item key as one string (pk, NUL, sk).
func keyID(k map[string]types.AttributeValue) string {
	pk, _ := k[AttrPK].(*types.AttributeValueMemberS)
	sk, _ := k[AttrSK].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return ""
	}
	return pk.Value + "\x00" + sk.Value
}

// existing reads which of keys are items of the table, by keyID: one
// eventually consistent GetItem for a single key, else BatchGetItem 100
// keys to a call, up to opt.Parallel calls at once.
func (s *Store) existing(ctx context.Context, keys []map[string]types.AttributeValue, what string) (map[string]bool, error) {
	found := map[string]bool{}
	switch len(keys) {
	case 0:
		return found, nil
	case 1:
		out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: keys[0], ProjectionExpression: aws.String(AttrPK + ", " + AttrSK)})
		if err != nil {
			return nil, unavailable(what, err)
		}
		if out.Item != nil {
			found[keyID(keys[0])] = true
		}
		return found, nil
	}
	var mu sync.Mutex
	chunks := (len(keys) + 99) / 100
	err := s.each(ctx, chunks, func(i int) error {
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys[i*100 : min(len(keys), i*100+100)], ProjectionExpression: aws.String(AttrPK + ", " + AttrSK)}}
		for tries := 0; len(pending) > 0; tries++ {
			out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return unavailable(what, err)
			}
			mu.Lock()
			for _, item := range out.Responses[s.table] {
				found[keyID(item)] = true
			}
			mu.Unlock()
			pending = out.UnprocessedKeys
			if len(pending) > 0 {
				if tries > 20 {
					return unavailable(what, fmt.Errorf("unprocessed keys after %d tries", tries))
				}
				time.Sleep(time.Duration(tries+1) * 20 * time.Millisecond)
			}
		}
		return nil
	})
	return found, err
}

// putEvent writes one event item unless its key exists; stored is false
// for a duplicate.
func (s *Store) putEvent(ctx context.Context, e event.Event, now time.Time) (stored bool, err error) {
	body, err := encodeEvent(e)
	if err != nil {
		return false, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	item, err := attributevalue.MarshalMap(eventItem{
		PK: ticketPK(e.Source, e.TicketID), SK: eventSK(e.ID), Body: body,
		Received: now.Unix(), ExpiresAt: now.Add(s.opt.Retention).Unix(),
	})
	if err != nil {
		return false, fmt.Errorf("marshal event: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var failed *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &failed):
		return false, nil
	default:
		return false, unavailable("write event", err)
	}
}

// encodeEvent is an event's stored body: its generic wire form, deflated
// when it is long.
func encodeEvent(e event.Event) ([]byte, error) {
	js, err := json.Marshal(event.ToGeneric(e))
	if err != nil {
		return nil, err
	}
	if len(js) <= compressAbove {
		return js, nil
	}
	z, err := deflate(eventsDeflate, js)
	if err != nil || len(z) >= len(js) {
		return js, err
	}
	return z, nil
}

// decodeEvent reads an event item's body back.
func decodeEvent(source string, b []byte) (event.Event, error) {
	js, err := unmarker(b)
	if err != nil {
		return event.Event{}, err
	}
	var g event.GenericEvent
	if err := json.Unmarshal(js, &g); err != nil {
		return event.Event{}, err
	}
	e, err := g.Normalize("")
	if err != nil {
		return event.Event{}, err
	}
	e.Source = source
	return e, nil
}

// unavailable wraps a storage fault so that callers answer 503.
func unavailable(what string, err error) error {
	return errcode.Wrap(errcode.Unavailable, fmt.Errorf("%s: %w", what, err), "storage unavailable; retry")
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: pk}, AttrSK: &types.AttributeValueMemberS{Value: sk}}
}

// ticketEvents reads a ticket's partition — its event items and, in a
// table written before them, its STATE item — into its events in
// canonical order; errcode.NotFound if it has none.
func (s *Store) ticketEvents(ctx context.Context, k TicketKey, consistent bool) ([]event.Event, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: ticketPK(k.Source, k.ID)}},
		ConsistentRead:            aws.Bool(consistent),
	}
	var evs []event.Event
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("read ticket", err)
		}
		for _, item := range page.Items {
			got, err := itemEvents(k.Source, item)
			if err != nil {
				return nil, fmt.Errorf("decode ticket %s/%s: %w", k.Source, k.ID, err)
			}
			evs = append(evs, got...)
		}
	}
	if len(evs) == 0 {
		return nil, errcode.Errorf(errcode.NotFound, "no ticket %s in %s", k.ID, k.Source)
	}
	return ticket.Canonical(evs), nil
}

// itemEvents reads the events of one item of a ticket's partition.
func itemEvents(source string, item map[string]types.AttributeValue) ([]event.Event, error) {
	sk, _ := item[AttrSK].(*types.AttributeValueMemberS)
	switch {
	case sk == nil:
		return nil, nil
	case strings.HasPrefix(sk.Value, eventSKPrefix):
		b, _ := item["b"].(*types.AttributeValueMemberB)
		if b == nil {
			return nil, fmt.Errorf("event item %s has no body", sk.Value)
		}
		e, err := decodeEvent(source, b.Value)
		if err != nil {
			return nil, err
		}
		return []event.Event{e}, nil
	case sk.Value == legacyTicketSK:
		var ti ticketItem
		if err := attributevalue.UnmarshalMap(item, &ti); err != nil {
			return nil, fmt.Errorf("unmarshal ticket: %w", err)
		}
		return decodeEvents(ti.Source, ti.Events)
	}
	return nil, nil
}

// Ticket returns a ticket's state and its events in canonical order.
func (s *Store) Ticket(ctx context.Context, source, id string) (ticket.State, []event.Event, error) {
	evs, err := s.ticketEvents(ctx, TicketKey{Source: source, ID: id}, true)
	if err != nil {
		return ticket.State{}, nil, err
	}
	return ticket.Reduce(evs), evs, nil
}

// Event reads a stored event: its item, or in a table written before
// event items, its raw event item.
func (s *Store) Event(ctx context.Context, source, ticketID, id string) (event.Event, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(ticketPK(source, ticketID), eventSK(id))})
	if err != nil {
		return event.Event{}, unavailable("read event", err)
	}
	if out.Item != nil {
		evs, err := itemEvents(source, out.Item)
		if err != nil || len(evs) != 1 {
			return event.Event{}, fmt.Errorf("decode event: %v", err)
		}
		return evs[0], nil
	}
	return s.legacyEvent(ctx, source, ticketID, id)
}

// seenSet is a bounded set of strings: it forgets everything when full.
type seenSet struct {
	mu  sync.Mutex
	m   map[string]struct{}
	max int
}

func (c *seenSet) has(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[k]
	return ok
}

func (c *seenSet) add(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[string]struct{})
	}
	c.m[k] = struct{}{}
}

// TicketState is Ticket's state alone (the notifier's Loader).
func (s *Store) TicketState(ctx context.Context, source, id string) (ticket.State, error) {
	st, _, err := s.Ticket(ctx, source, id)
	return st, err
}
