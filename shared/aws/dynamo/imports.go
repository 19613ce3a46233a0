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

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/imports"
	"scorecard/shared/source"
)

// History imports (keys in keys.go): per source, when its first webhook was
// stored (written once) and the import's state (rewritten after each page).

// MarkSwitchover records that source's webhooks started at at, unless an
// earlier call recorded it already: the first one wins, whatever comes later.
func (s *Store) MarkSwitchover(ctx context.Context, source string, at time.Time) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			AttrPK: str(sourcePK(source)), AttrSK: str(switchoverSK), "at": str(stamp(at)),
		},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return unavailable("record the first webhook", err)
	}
	return nil
}

// Switchover is when source's first webhook was stored; false if none was.
func (s *Store) Switchover(ctx context.Context, source string) (time.Time, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{AttrPK: str(sourcePK(source)), AttrSK: str(switchoverSK)}})
	if err != nil {
		return time.Time{}, false, unavailable("read the first webhook", err)
	}
	if out.Item == nil {
		return time.Time{}, false, nil
	}
	v, _ := out.Item["at"].(*types.AttributeValueMemberS)
	if v == nil {
		return time.Time{}, false, fmt.Errorf("the first webhook of %s has no time", source)
	}
	at, err := time.Parse(time.RFC3339Nano, v.Value)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("decode the first webhook of %s: %w", source, err)
	}
	return at, true, nil
}

// ImportState is source's history import; errcode.NotFound if none ran.
func (s *Store) ImportState(ctx context.Context, source string) (imports.State, error) {
	var st imports.State
	found, err := s.getJSON(ctx, sourcePK(source), importSK, "state", &st)
	if err == nil && !found {
		err = errcode.Errorf(errcode.NotFound, "no history import of %s", source)
	}
	return st, err
}

// PutImportState stores source's history import.
func (s *Store) PutImportState(ctx context.Context, st imports.State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(sourcePK(st.Source)), AttrSK: str(importSK), "state": &types.AttributeValueMemberB{Value: b},
	}})
	if err != nil {
		return unavailable("store the import", err)
	}
	return nil
}

// DeployedAt is when the product started: the earliest of any source's
// first webhook and any history import's first run (both happen only once
// it is deployed); false before either.
func (s *Store) DeployedAt(ctx context.Context) (time.Time, bool, error) {
	var first time.Time
	for _, src := range source.Names() {
		if at, ok, err := s.Switchover(ctx, src); err != nil {
			return time.Time{}, false, err
		} else if ok && (first.IsZero() || at.Before(first)) {
			first = at
		}
		st, err := s.ImportState(ctx, src)
		switch {
		case errcode.Code(err) == errcode.NotFound:
		case err != nil:
			return time.Time{}, false, err
		case first.IsZero() || st.Started.Before(first):
			first = st.Started
		}
	}
	return first, !first.IsZero(), nil
}
