package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
		if sk, _ := item[AttrSK].(*types.AttributeValueMemberS); sk != nil && strings.HasPrefix(sk.Value, checkInDonePrefix) {
			continue
		}
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

// MarkCheckInDone implements monthly.Store: the summary of the day's
// check-in, once it mailed everyone it should. The first mark stands.
func (s *Store) MarkCheckInDone(ctx context.Context, m month.Month, day string, summary []byte) error {
	if day == "" || m.IsZero() {
		return errcode.Errorf(errcode.Invalid, "check-in done: a month and day are required")
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table,
		Item: map[string]types.AttributeValue{
			AttrPK: str(checkInPK(m)), AttrSK: str(checkInDoneSK(day)), "summary": &types.AttributeValueMemberB{Value: summary},
		},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return unavailable("mark check-in done", err)
	}
	return nil
}

// CheckInDone implements monthly.Store: the summary MarkCheckInDone kept
// for the day; ok is false when the day's check-in has not gone out whole.
// The read is strongly consistent: a rerun soon after must see the mark.
func (s *Store) CheckInDone(ctx context.Context, m month.Month, day string) ([]byte, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table,
		Key: key(checkInPK(m), checkInDoneSK(day)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, false, unavailable("read check-in done", err)
	}
	if out.Item == nil {
		return nil, false, nil
	}
	b, err := binary(out.Item, "summary")
	return b, err == nil, err
}
