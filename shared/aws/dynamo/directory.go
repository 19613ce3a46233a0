package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/directory"
)

// PutEngineers upserts engineers (one item each, 25 per batch). The caller
// validates the whole directory first, so a fault midway leaves only whole,
// valid engineers behind and a rerun completes the import; engineers not in
// the list are kept (people who left keep their history).
func (s *Store) PutEngineers(ctx context.Context, engineers []directory.Engineer) error {
	for start := 0; start < len(engineers); start += 25 {
		var reqs []types.WriteRequest
		for _, e := range engineers[start:min(len(engineers), start+25)] {
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode engineer %s: %w", e.ID, err)
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				AttrPK:     &types.AttributeValueMemberS{Value: engineerPK(e.ID)},
				AttrSK:     &types.AttributeValueMemberS{Value: engineerSK},
				AttrGSI1PK: &types.AttributeValueMemberS{Value: directoryPK},
				AttrGSI1SK: &types.AttributeValueMemberS{Value: engineerPK(e.ID)},
				"profile":  &types.AttributeValueMemberB{Value: b},
			}}})
		}
		pending := map[string][]types.WriteRequest{s.table: reqs}
		for tries := 0; len(pending) > 0; tries++ {
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return unavailable("write engineers", err)
			}
			pending = out.UnprocessedItems
			if len(pending) > 0 {
				if tries > 20 {
					return unavailable("write engineers", fmt.Errorf("unprocessed items after %d tries", tries))
				}
				time.Sleep(time.Duration(tries+1) * 20 * time.Millisecond)
			}
		}
	}
	return nil
}

// Engineers reads the whole directory.
func (s *Store) Engineers(ctx context.Context) ([]directory.Engineer, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: directoryPK}},
	}
	var keys []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("list engineers", err)
		}
		for _, item := range page.Items {
			keys = append(keys, map[string]types.AttributeValue{AttrPK: item[AttrPK], AttrSK: item[AttrSK]})
		}
	}
	var out []directory.Engineer
	for start := 0; start < len(keys); start += 100 {
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys[start:min(len(keys), start+100)]}}
		for tries := 0; len(pending) > 0; tries++ {
			res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
			if err != nil {
				return nil, unavailable("read engineers", err)
			}
			for _, item := range res.Responses[s.table] {
				b, ok := item["profile"].(*types.AttributeValueMemberB)
				if !ok {
					return nil, fmt.Errorf("engineer item without profile")
				}
				var e directory.Engineer
				if err := json.Unmarshal(b.Value, &e); err != nil {
					return nil, fmt.Errorf("decode engineer: %w", err)
				}
				out = append(out, e)
			}
			pending = res.UnprocessedKeys
			if len(pending) > 0 && tries > 20 {
				return nil, unavailable("read engineers", fmt.Errorf("unprocessed keys after %d tries", tries))
			}
		}
	}
	return directory.New(out).All(), nil
}
