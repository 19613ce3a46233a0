package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/quality"
)

// PutReviewAssignments stores month m's sampled tickets with their
// reviewers; a ticket already stored keeps its first assignment, so a
// second draw changes nothing.
func (s *Store) PutReviewAssignments(ctx context.Context, m month.Month, as []quality.Assignment) error {
	for _, a := range as {
		if a.EngineerID == "" || a.Source == "" || a.TicketID == "" {
			return errcode.Errorf(errcode.Invalid, "review assignment: an engineer, source and ticket are required")
		}
		if err := s.putOnce(ctx, qualityPK(m), assignmentSK(a.EngineerID, a.Source, a.TicketID), "assignment", a); err != nil && errcode.Code(err) != errcode.Conflict {
			return err
		}
	}
	return nil
}

// ReviewAssignments are month m's sampled tickets and their reviewers.
func (s *Store) ReviewAssignments(ctx context.Context, m month.Month) ([]quality.Assignment, error) {
	return queryJSON[quality.Assignment](ctx, s, qualityPK(m), "A#", "assignment")
}

// PutReview stores one reviewer's review of a ticket; a second review of
// the same ticket by the same reviewer is errcode.Conflict.
func (s *Store) PutReview(ctx context.Context, r quality.Review) error {
	if r.EngineerID == "" || r.Source == "" || r.TicketID == "" || r.Reviewer == "" || r.Month.IsZero() {
		return errcode.Errorf(errcode.Invalid, "review: a month, engineer, ticket and reviewer are required")
	}
	err := s.putOnce(ctx, qualityPK(r.Month), reviewSK(r.EngineerID, r.Source, r.TicketID, r.Reviewer), "review", r)
	if errcode.Code(err) == errcode.Conflict {
		return errcode.Errorf(errcode.Conflict, "this ticket was already reviewed by you")
	}
	return err
}

// Reviews are month m's reviews, by engineer, ticket and reviewer.
func (s *Store) Reviews(ctx context.Context, m month.Month) ([]quality.Review, error) {
	return queryJSON[quality.Review](ctx, s, qualityPK(m), "R#", "review")
}

// putOnce writes v as JSON under attr unless the item exists
// (errcode.Conflict then).
func (s *Store) putOnce(ctx context.Context, pk, sk, attr string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table,
		Item:                map[string]types.AttributeValue{AttrPK: str(pk), AttrSK: str(sk), attr: &types.AttributeValueMemberB{Value: b}},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return errcode.Errorf(errcode.Conflict, "already stored")
	}
	if err != nil {
		return unavailable("write "+attr, err)
	}
	return nil
}

// queryJSON reads the JSON attribute attr of every item of pk whose sort
// key starts with prefix.
func queryJSON[T any](ctx context.Context, s *Store, pk, prefix, attr string) ([]T, error) {
	items, err := s.queryAll(ctx, pk, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for _, item := range items {
		b, err := binary(item, attr)
		if err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", attr, err)
		}
		out = append(out, v)
	}
	return out, nil
}
