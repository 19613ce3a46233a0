package dynamo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// PutExclusion takes a ticket out of an engineer's metric for month m, with
// an audit entry, atomically; excluding the same place again replaces it.
func (s *Store) PutExclusion(ctx context.Context, m month.Month, x metric.Exclusion) error {
	if x.EngineerID == "" || x.Metric == "" || x.Source == "" || x.TicketID == "" || x.By == "" || x.Reason == "" || x.At.IsZero() {
		return errcode.Errorf(errcode.Invalid, "exclusion: engineer, metric, ticket, who, why and when are all required")
	}
	b, err := json.Marshal(x)
	if err != nil {
		return err
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
			AttrPK: str(exclusionPK(m)), AttrSK: str(exclusionSK(x)), "exclusion": &types.AttributeValueMemberB{Value: b},
		}}},
		{Put: &types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
			AttrPK: str(auditPK(m)), AttrSK: str(auditSK(x.At, x.EngineerID)),
			"engineer_id": str(x.EngineerID), "exclusion": &types.AttributeValueMemberB{Value: b},
		}}},
	}})
	if err != nil {
		return unavailable("write exclusion", err)
	}
	return nil
}

// Exclusions are month m's exclusions.
func (s *Store) Exclusions(ctx context.Context, m month.Month) ([]metric.Exclusion, error) {
	items, err := s.queryAll(ctx, exclusionPK(m), "")
	if err != nil {
		return nil, err
	}
	out := make([]metric.Exclusion, 0, len(items))
	for _, item := range items {
		b, err := binary(item, "exclusion")
		if err != nil {
			return nil, err
		}
		var x metric.Exclusion
		if err := json.Unmarshal(b, &x); err != nil {
			return nil, fmt.Errorf("decode exclusion: %w", err)
		}
		out = append(out, x)
	}
	return out, nil
}
