package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// PutCheckIns stores what a check-in said of each engineer, once a day: the
// first check-in of a day stands (it is the one mailed), so a rerun that
// day changes nothing.
func (s *Store) PutCheckIns(ctx context.Context, said []checkin.Said) error {
	for _, x := range said {
		if x.Day == "" || x.EngineerID == "" || x.Month.IsZero() {
			return errcode.Errorf(errcode.Invalid, "check-in: a month, day and engineer are required")
		}
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table,
			Item: map[string]types.AttributeValue{
				AttrPK: str(checkInPK(x.Month)), AttrSK: str(checkInSK(x.Day, x.EngineerID)), "checkin": &types.AttributeValueMemberB{Value: b},
			},
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		})
		var ccf *types.ConditionalCheckFailedException
		if err != nil && !errors.As(err, &ccf) {
			return unavailable("write check-in", err)
		}
	}
	return nil
}

// CheckIns is everything month m's check-ins said, by day then engineer.
func (s *Store) CheckIns(ctx context.Context, m month.Month) ([]checkin.Said, error) {
	items, err := s.queryAll(ctx, checkInPK(m), "")
	if err != nil {
		return nil, err
	}
	out := make([]checkin.Said, 0, len(items))
	for _, item := range items {
		b, err := binary(item, "checkin")
		if err != nil {
			return nil, err
		}
		var x checkin.Said
		if err := json.Unmarshal(b, &x); err != nil {
			return nil, fmt.Errorf("decode check-in: %w", err)
		}
		out = append(out, x)
	}
	return out, nil
}
