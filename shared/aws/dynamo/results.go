package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
	"scorecard/shared/core/scoring"
)

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// PutResults stores the month's cards and history records. Writes are
// idempotent (the same cards give the same items), so a rerun or a resumed
// run may write them again.
func (s *Store) PutResults(ctx context.Context, m month.Month, cards []scoring.Card) error {
	var reqs []types.WriteRequest
	for i := range cards {
		c := &cards[i]
		card, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode card %s: %w", c.EngineerID, err)
		}
		rec, err := json.Marshal(c.Record())
		if err != nil {
			return fmt.Errorf("encode record %s: %w", c.EngineerID, err)
		}
		reqs = append(reqs,
			types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				AttrPK: str(resultPK(m)), AttrSK: str(engineerPK(c.EngineerID)), "card": &types.AttributeValueMemberB{Value: card},
			}}},
			types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				AttrPK: str(historyPK(m)), AttrSK: str(engineerPK(c.EngineerID)), "record": &types.AttributeValueMemberB{Value: rec},
			}}})
	}
	return s.batchWrite(ctx, reqs)
}

func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for start := 0; start < len(reqs); start += 25 {
		pending := map[string][]types.WriteRequest{s.table: reqs[start:min(len(reqs), start+25)]}
		for tries := 0; len(pending) > 0; tries++ {
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return unavailable("write results", err)
			}
			pending = out.UnprocessedItems
			if len(pending) > 0 {
				if tries > 20 {
					return unavailable("write results", fmt.Errorf("unprocessed items after %d tries", tries))
				}
				time.Sleep(time.Duration(tries+1) * 20 * time.Millisecond)
			}
		}
	}
	return nil
}

// queryAll reads every item of a partition whose sort key starts with prefix.
func (s *Store) queryAll(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
	}
	if prefix != "" { // DynamoDB refuses an empty begins_with
		in.KeyConditionExpression = aws.String("pk = :pk AND begins_with(sk, :p)")
		in.ExpressionAttributeValues[":p"] = str(prefix)
	}
	var items []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("query "+pk, err)
		}
		items = append(items, page.Items...)
	}
	return items, nil
}

func binary(item map[string]types.AttributeValue, name string) ([]byte, error) {
	b, ok := item[name].(*types.AttributeValueMemberB)
	if !ok {
		return nil, fmt.Errorf("item without %s", name)
	}
	return b.Value, nil
}

// Results reads the month's stored cards, with any overrides, sorted by
// engineer id; errcode.NotFound when the month was never run.
func (s *Store) Results(ctx context.Context, m month.Month) ([]scoring.Card, error) {
	items, err := s.queryAll(ctx, resultPK(m), engineerPrefix)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errcode.Errorf(errcode.NotFound, "no results for %s: run the month first", m)
	}
	overrides, err := s.Overrides(ctx, m)
	if err != nil {
		return nil, err
	}
	cards, err := decodeCards(items)
	if err != nil {
		return nil, err
	}
	for i := range cards {
		if o := overrides[cards[i].EngineerID]; o != nil {
			cards[i].Override = o
		}
	}
	return cards, nil
}

// decodeCards reads the cards of result items.
func decodeCards(items []map[string]types.AttributeValue) ([]scoring.Card, error) {
	cards := make([]scoring.Card, 0, len(items))
	for _, item := range items {
		b, err := binary(item, "card")
		if err != nil {
			return nil, err
		}
		var c scoring.Card
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("decode card: %w", err)
		}
		cards = append(cards, c)
	}
	return cards, nil
}

// History reads the history records of the given months by engineer id,
// overrides applied.
func (s *Store) History(ctx context.Context, months []month.Month) (map[string][]consequence.Record, error) {
	out := map[string][]consequence.Record{}
	for _, m := range months {
		items, err := s.queryAll(ctx, historyPK(m), engineerPrefix)
		if err != nil {
			return nil, err
		}
		overrides, err := s.Overrides(ctx, m)
		if err != nil {
			return nil, err
		}
		for _, item := range items {
			b, err := binary(item, "record")
			if err != nil {
				return nil, err
			}
			var r consequence.Record
			if err := json.Unmarshal(b, &r); err != nil {
				return nil, fmt.Errorf("decode history: %w", err)
			}
			id := idAfter(engineerPrefix, item[AttrSK].(*types.AttributeValueMemberS).Value)
			if o := overrides[id]; o != nil {
				r.Override = o
			}
			out[id] = append(out[id], r)
		}
	}
	return out, nil
}

// Overrides reads the month's overrides by engineer id.
func (s *Store) Overrides(ctx context.Context, m month.Month) (map[string]*consequence.Override, error) {
	items, err := s.queryAll(ctx, resultPK(m), overridePrefix)
	if err != nil {
		return nil, err
	}
	out := map[string]*consequence.Override{}
	for _, item := range items {
		b, err := binary(item, "override")
		if err != nil {
			return nil, err
		}
		var o consequence.Override
		if err := json.Unmarshal(b, &o); err != nil {
			return nil, fmt.Errorf("decode override: %w", err)
		}
		out[idAfter(overridePrefix, item[AttrSK].(*types.AttributeValueMemberS).Value)] = &o
	}
	return out, nil
}

// PutOverride records a manager's override of an engineer's month and an
// audit entry, atomically; the stored card keeps the computed result.
func (s *Store) PutOverride(ctx context.Context, m month.Month, engineerID string, o consequence.Override) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
			AttrPK: str(resultPK(m)), AttrSK: str(overrideSK(engineerID)), "override": &types.AttributeValueMemberB{Value: b},
		}}},
		{Put: &types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
			AttrPK: str(auditPK(m)), AttrSK: str(auditSK(o.At, engineerID)),
			"engineer_id": str(engineerID), "override": &types.AttributeValueMemberB{Value: b},
		}}},
	}})
	if err != nil {
		return unavailable("write override", err)
	}
	return nil
}

// GetRun reads a month's run record; errcode.NotFound if it never ran.
func (s *Store) GetRun(ctx context.Context, m month.Month) (monthrun.Run, error) {
	var r monthrun.Run
	found, err := s.getJSON(ctx, runPK(m), runSK, "run", &r)
	if err == nil && !found {
		err = errcode.Errorf(errcode.NotFound, "%s has not run", m)
	}
	return r, err
}

// getJSON reads the JSON in attribute attr of item pk/sk into v,
// consistently; false when there is no such item.
func (s *Store) getJSON(ctx context.Context, pk, sk, attr string, v any) (bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{AttrPK: str(pk), AttrSK: str(sk)}})
	if err != nil {
		return false, unavailable("read "+attr, err)
	}
	if out.Item == nil {
		return false, nil
	}
	b, err := binary(out.Item, attr)
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", attr, err)
	}
	return true, nil
}

// PutRun writes a month's run record.
func (s *Store) PutRun(ctx context.Context, r monthrun.Run) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(runPK(r.Month)), AttrSK: str(runSK), "run": &types.AttributeValueMemberB{Value: b},
	}})
	if err != nil {
		return unavailable("write run", err)
	}
	return nil
}

// ClaimMail records that a mail is about to be sent; monthrun.ErrMailClaimed
// if it was sent already. A claim whose send failed is released with ReleaseMail;
// force takes the claim whatever its state.
func (s *Store) ClaimMail(ctx context.Context, m month.Month, key string, now time.Time, force bool) error {
	in := &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(mailPK(m)), AttrSK: str(mailSK(key)), "state": str("sending"), "claimed_at": str(now.UTC().Format(time.RFC3339Nano)),
	}}
	if !force {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	}
	_, err := s.db.PutItem(ctx, in)
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return monthrun.ErrMailClaimed
	}
	if err != nil {
		return unavailable("claim mail", err)
	}
	return nil
}

// MarkMailSent records the message id of a sent mail.
func (s *Store) MarkMailSent(ctx context.Context, m month.Month, key, messageID string, now time.Time) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(mailPK(m)), AttrSK: str(mailSK(key)), "state": str("sent"), "message_id": str(messageID), "sent_at": str(now.UTC().Format(time.RFC3339Nano)),
	}})
	if err != nil {
		return unavailable("mark mail", err)
	}
	return nil
}

// ReleaseMail removes a claim whose send failed, so a rerun tries again.
func (s *Store) ReleaseMail(ctx context.Context, m month.Month, key string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table,
		Key: map[string]types.AttributeValue{AttrPK: str(mailPK(m)), AttrSK: str(mailSK(key))}})
	if err != nil {
		return unavailable("release mail", err)
	}
	return nil
}

// MailsSent counts the month's sent mails.
func (s *Store) MailsSent(ctx context.Context, m month.Month) (int, error) {
	items, err := s.queryAll(ctx, mailPK(m), "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if v, ok := it["state"].(*types.AttributeValueMemberS); ok && v.Value == "sent" {
			n++
		}
	}
	return n, nil
}

// Card is one engineer's card of month m, with the manager's override if
// there is one; errcode.NotFound when the month has none for them.
func (s *Store) Card(ctx context.Context, m month.Month, engineerID string) (scoring.Card, error) {
	out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		s.table: {ConsistentRead: aws.Bool(true), Keys: []map[string]types.AttributeValue{
			{AttrPK: str(resultPK(m)), AttrSK: str(engineerPK(engineerID))},
			{AttrPK: str(resultPK(m)), AttrSK: str(overrideSK(engineerID))},
		}},
	}})
	if err != nil {
		return scoring.Card{}, unavailable("read card", err)
	}
	if len(out.UnprocessedKeys) > 0 {
		return scoring.Card{}, errcode.Errorf(errcode.Unavailable, "read card: throttled; retry")
	}
	var c scoring.Card
	var o *consequence.Override
	found := false
	for _, item := range out.Responses[s.table] {
		if b, ok := item["card"].(*types.AttributeValueMemberB); ok {
			if err := json.Unmarshal(b.Value, &c); err != nil {
				return scoring.Card{}, fmt.Errorf("decode card: %w", err)
			}
			found = true
		}
		if b, ok := item["override"].(*types.AttributeValueMemberB); ok {
			o = &consequence.Override{}
			if err := json.Unmarshal(b.Value, o); err != nil {
				return scoring.Card{}, fmt.Errorf("decode override: %w", err)
			}
		}
	}
	if !found {
		return scoring.Card{}, errcode.Errorf(errcode.NotFound, "no card of %s for %s", engineerID, m)
	}
	if o != nil {
		c.Override = o
	}
	return c, nil
}

// KeepResults copies month m's stored cards, as the run as of asOf left
// them, beside the month's results under that run (RESV#<yyyy-mm>#<as-of>),
// before a rerun replaces them: a rescored month keeps every version.
// Nothing stored is nothing to keep.
func (s *Store) KeepResults(ctx context.Context, m month.Month, asOf time.Time) error {
	items, err := s.queryAll(ctx, resultPK(m), engineerPrefix)
	if err != nil {
		return err
	}
	reqs := make([]types.WriteRequest, 0, len(items))
	for _, item := range items {
		card, ok := item["card"].(*types.AttributeValueMemberB)
		if !ok {
			continue
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			AttrPK: str(resultVersionPK(m, asOf)), AttrSK: item[AttrSK], "card": card,
		}}})
	}
	return s.batchWrite(ctx, reqs)
}

// ResultVersion is month m's cards as the run as of asOf stored them.
func (s *Store) ResultVersion(ctx context.Context, m month.Month, asOf time.Time) ([]scoring.Card, error) {
	items, err := s.queryAll(ctx, resultVersionPK(m, asOf), engineerPrefix)
	if err != nil {
		return nil, err
	}
	return decodeCards(items)
}
