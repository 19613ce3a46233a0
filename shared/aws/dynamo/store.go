package dynamo

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	// Parallel bounds the tickets of one batch written at once.
	Parallel int
}

// Store is the single-table store.
type Store struct {
	db    DB
	table string
	opt   Options
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
	return &Store{db: db, table: table, opt: opt}
}

// maxTransactItems is DynamoDB's limit on items in one transaction.
const maxTransactItems = 100

// maxAttempts bounds optimistic-locking retries on a busy ticket.
const maxAttempts = 10

// ticketItem is a ticket as stored.
type ticketItem struct {
	PK       string `dynamodbav:"pk"`
	SK       string `dynamodbav:"sk"`
	Source   string `dynamodbav:"source"`
	TicketID string `dynamodbav:"ticket_id"`
	Version  int64  `dynamodbav:"v"`
	Events   []byte `dynamodbav:"events"` // the generic wire form in canonical order, compressed (encodeEvents)
	Count    int    `dynamodbav:"event_count"`
	Status   string `dynamodbav:"status"`
	Assignee string `dynamodbav:"assignee_id,omitempty"`
	Updated  string `dynamodbav:"updated_at"`
	GSI1PK   string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK   string `dynamodbav:"gsi1sk,omitempty"`
}

// eventItem is a raw event as stored.
type eventItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Source    string `dynamodbav:"source"`
	TicketID  string `dynamodbav:"ticket_id"`
	Type      string `dynamodbav:"type"`
	Occurred  string `dynamodbav:"occurred_at"`
	Received  string `dynamodbav:"received_at"`
	Body      []byte `dynamodbav:"body"`
	ExpiresAt int64  `dynamodbav:"expires_at"`
	GSI1PK    string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK    string `dynamodbav:"gsi1sk,omitempty"`
}

// Ingest stores events: each new event once, and each ticket's state with
// it, atomically per ticket. Events already stored are counted as
// duplicates and change nothing. A storage fault is errcode.Unavailable; the
// caller's sender should retry, which is safe.
func (s *Store) Ingest(ctx context.Context, events []event.Event) (event.Ingested, error) {
	groups := map[TicketKey][]event.Event{}
	var order []TicketKey
	for _, e := range events {
		k := TicketKey{e.Source, e.TicketID}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	var (
		mu    sync.Mutex
		total event.Ingested
		first error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, s.opt.Parallel)
	)
	for _, k := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got, err := s.ingestTicket(ctx, k, groups[k])
			mu.Lock()
			defer mu.Unlock()
			total.Stored += got.Stored
			total.Duplicates += got.Duplicates
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	return total, first
}

// ingestTicket adds events to one ticket with optimistic locking.
func (s *Store) ingestTicket(ctx context.Context, k TicketKey, evs []event.Event) (event.Ingested, error) {
	pending := ticket.Canonical(evs)
	var res event.Ingested
	for attempt := 0; len(pending) > 0; attempt++ {
		cur, version, err := s.loadTicket(ctx, k, true)
		if err != nil && errcode.Code(err) != errcode.NotFound {
			return res, err
		}
		have := make(map[string]bool, len(cur))
		for _, e := range cur {
			have[e.ID] = true
		}
		fresh := slices.DeleteFunc(slices.Clone(pending), func(e event.Event) bool { return have[e.ID] })
		dups := len(pending) - len(fresh)
		if len(fresh) == 0 {
			res.Duplicates += dups
			return res, nil
		}
		// A transaction holds the ticket and at most 99 raw events; a
		// larger group goes in several rounds.
		chunk := fresh[:min(len(fresh), maxTransactItems-1)]
		err = s.writeTicket(ctx, k, cur, chunk, version)
		var stored *alreadyStored
		switch {
		case err == nil:
			res.Stored += len(chunk)
			res.Duplicates += dups
			pending, attempt = fresh[len(chunk):], -1
		case errors.As(err, &stored):
			res.Duplicates += dups + len(stored.ids)
			pending = slices.DeleteFunc(fresh, func(e event.Event) bool { return slices.Contains(stored.ids, e.ID) })
		case errors.Is(err, errConflict) && attempt < maxAttempts:
			// Someone else wrote the ticket meanwhile: read it again.
			select {
			case <-ctx.Done():
				return res, errcode.Wrap(errcode.Unavailable, ctx.Err(), "storage unavailable; retry")
			case <-time.After(time.Duration(attempt*attempt+1) * 5 * time.Millisecond):
			}
		case errors.Is(err, errConflict):
			return res, errcode.Wrap(errcode.Unavailable, err, "ticket is busy; retry")
		default:
			return res, err
		}
	}
	return res, nil
}

// errConflict is a lost optimistic-locking race.
var errConflict = errors.New("conflicting write")

// alreadyStored names raw events that exist though the ticket read before
// the write did not hold them (a write that raced ours, or a raw item left
// by an older layout): they are duplicates, not conflicts.
type alreadyStored struct{ ids []string }

func (a *alreadyStored) Error() string { return fmt.Sprintf("%d events already stored", len(a.ids)) }

func (s *Store) writeTicket(ctx context.Context, k TicketKey, cur, fresh []event.Event, version int64) error {
	merged := ticket.Canonical(append(slices.Clone(cur), fresh...))
	state := ticket.Reduce(merged)
	body, err := encodeEvents(merged)
	if err != nil {
		return fmt.Errorf("encode ticket %s/%s: %w", k.Source, k.ID, err)
	}
	now := s.opt.Now().UTC()
	ti := ticketItem{
		PK: ticketPK(k.Source, k.ID), SK: ticketSK, Source: k.Source, TicketID: k.ID,
		Version: version + 1, Events: body, Count: len(merged),
		Status: string(state.Status), Assignee: state.AssigneeID, Updated: now.Format(time.RFC3339Nano),
	}
	if !state.Status.Done() {
		ti.GSI1PK, ti.GSI1SK = openShardPK(shardOf(k.Source, k.ID, s.opt.Shards)), ti.PK
	}
	tItem, err := attributevalue.MarshalMap(ti)
	if err != nil {
		return fmt.Errorf("marshal ticket: %w", err)
	}
	put := &types.Put{TableName: &s.table, Item: tItem}
	if version == 0 {
		put.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		put.ConditionExpression = aws.String("v = :v")
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)}}
	}
	items := []types.TransactWriteItem{{Put: put}}
	shard := shardOf(k.Source, k.ID, s.opt.Shards)
	// The month index needs one entry per ticket and month: the first
	// event of the ticket in a month carries it, the others do not.
	indexed := map[month.Month]bool{}
	for _, e := range cur {
		indexed[month.Of(e.OccurredAt, s.opt.Location)] = true
	}
	for _, e := range fresh {
		b, err := json.Marshal(event.ToGeneric(e))
		if err != nil {
			return fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		ei := eventItem{
			PK: eventPK(e.Source, e.TicketID, e.ID), SK: eventSK, Source: e.Source, TicketID: e.TicketID, Type: string(e.Type),
			Occurred: e.OccurredAt.UTC().Format(time.RFC3339Nano), Received: now.Format(time.RFC3339Nano), Body: b,
			ExpiresAt: now.Add(s.opt.Retention).Unix(),
		}
		if m := month.Of(e.OccurredAt, s.opt.Location); !indexed[m] {
			indexed[m] = true
			ei.GSI1PK, ei.GSI1SK = monthShardPK(m, shard), eventIndexSK(e.Source, e.TicketID, e.ID)
		}
		item, err := attributevalue.MarshalMap(ei)
		if err != nil {
			return fmt.Errorf("marshal event: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		reasons := canceled.CancellationReasons
		var stored []string
		for i, r := range reasons {
			code := aws.ToString(r.Code)
			switch {
			case i == 0 && code != "" && code != "None":
				return errConflict // the ticket changed under us
			case i > 0 && code == "ConditionalCheckFailed":
				stored = append(stored, fresh[i-1].ID)
			case code == "TransactionConflict":
				return errConflict
			}
		}
		if len(stored) > 0 {
			return &alreadyStored{ids: stored}
		}
		return errConflict
	}
	var tc *types.TransactionConflictException
	if errors.As(err, &tc) {
		return errConflict
	}
	return unavailable("write ticket", err)
}

// unavailable wraps a storage fault so that callers answer 503.
func unavailable(what string, err error) error {
	return errcode.Wrap(errcode.Unavailable, fmt.Errorf("%s: %w", what, err), "storage unavailable; retry")
}

// A ticket item holds its events as the JSON list of their generic wire
// form, compressed with DEFLATE behind a one-byte marker: on-demand
// DynamoDB bills a write by the KB of the whole item, twice in a
// transaction, and every event rewrites its ticket, so the dozen events of
// a typical ticket cost a third of the units they would as plain JSON
// (make bench measures it). Items stored as plain JSON, which starts with
// '[', are read as they are.
const (
	eventsDeflate   = 0x01
	maxEventsDecode = 64 << 20 // a bound on what one item may inflate to
)

var (
	deflaters = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
		return w
	}}
	// inflaters keep the monthly run, which reads every ticket of the
	// month, from allocating a decompressor per ticket.
	inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}
)

func encodeEvents(evs []event.Event) ([]byte, error) {
	wire := make([]event.GenericEvent, len(evs))
	for i, e := range evs {
		wire[i] = event.ToGeneric(e)
	}
	js, err := json.Marshal(wire)
	if err != nil {
		return nil, err
	}
	return deflate(eventsDeflate, js)
}

// deflate compresses js after the marker byte (none when marker is 0).
func deflate(marker byte, js []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(js)/3 + 16)
	if marker != 0 {
		buf.WriteByte(marker)
	}
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflate decompresses b, refusing more than maxEventsDecode bytes.
func inflate(b []byte) ([]byte, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	js, err := io.ReadAll(io.LimitReader(r, maxEventsDecode+1))
	if err != nil {
		return nil, err
	}
	if len(js) > maxEventsDecode {
		return nil, fmt.Errorf("over %d bytes", maxEventsDecode)
	}
	return js, nil
}

func decodeEvents(source string, b []byte) ([]event.Event, error) {
	if len(b) > 0 && b[0] == eventsDeflate {
		js, err := inflate(b[1:])
		if err != nil {
			return nil, fmt.Errorf("inflate events: %w", err)
		}
		b = js
	}
	var wire []event.GenericEvent
	if err := json.Unmarshal(b, &wire); err != nil {
		return nil, err
	}
	out := make([]event.Event, len(wire))
	for i, g := range wire {
		e, err := g.Normalize("")
		if err != nil {
			return nil, err
		}
		e.Source = source
		out[i] = e
	}
	return out, nil
}

// loadTicket reads a ticket's events and version; errcode.NotFound if none.
func (s *Store) loadTicket(ctx context.Context, k TicketKey, consistent bool) ([]event.Event, int64, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.table,
		Key:            map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: ticketPK(k.Source, k.ID)}, AttrSK: &types.AttributeValueMemberS{Value: ticketSK}},
		ConsistentRead: aws.Bool(consistent),
	})
	if err != nil {
		return nil, 0, unavailable("read ticket", err)
	}
	if out.Item == nil {
		return nil, 0, errcode.Errorf(errcode.NotFound, "no ticket %s in %s", k.ID, k.Source)
	}
	var ti ticketItem
	if err := attributevalue.UnmarshalMap(out.Item, &ti); err != nil {
		return nil, 0, fmt.Errorf("unmarshal ticket: %w", err)
	}
	evs, err := decodeEvents(ti.Source, ti.Events)
	if err != nil {
		return nil, 0, fmt.Errorf("decode ticket %s/%s: %w", k.Source, k.ID, err)
	}
	return evs, ti.Version, nil
}

// Ticket returns a ticket's state and its events in canonical order.
func (s *Store) Ticket(ctx context.Context, source, id string) (ticket.State, []event.Event, error) {
	evs, _, err := s.loadTicket(ctx, TicketKey{source, id}, true)
	if err != nil {
		return ticket.State{}, nil, err
	}
	return ticket.Reduce(evs), evs, nil
}

// Event reads a stored raw event.
func (s *Store) Event(ctx context.Context, source, ticketID, id string) (event.Event, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table,
		Key:       map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: eventPK(source, ticketID, id)}, AttrSK: &types.AttributeValueMemberS{Value: eventSK}},
	})
	if err != nil {
		return event.Event{}, unavailable("read event", err)
	}
	if out.Item == nil {
		return event.Event{}, errcode.Errorf(errcode.NotFound, "no event %s in %s", id, source)
	}
	var ei eventItem
	if err := attributevalue.UnmarshalMap(out.Item, &ei); err != nil {
		return event.Event{}, fmt.Errorf("unmarshal event: %w", err)
	}
	evs, err := decodeEvents(ei.Source, append(append([]byte("["), ei.Body...), ']'))
	if err != nil {
		return event.Event{}, fmt.Errorf("decode event: %w", err)
	}
	return evs[0], nil
}
