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

	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
)

// People inputs (keys in keys.go): records are upserted by id, so
// importing a file twice leaves the same data.

var _ assessment.Store = (*Store)(nil)

// PutRecords upserts records, each under the month of its date.
func (s *Store) PutRecords(ctx context.Context, recs []records.Record) error {
	reqs := make([]types.WriteRequest, 0, len(recs))
	seen := map[string]bool{}
	for _, r := range recs {
		key := recordPK(month.Of(r.Date, time.UTC)) + "|" + recordSK(string(r.Kind), r.ID)
		if seen[key] {
			continue // BatchWriteItem refuses two writes of one key
		}
		seen[key] = true
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode record %s: %w", r.ID, err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			AttrPK: str(recordPK(month.Of(r.Date, time.UTC))), AttrSK: str(recordSK(string(r.Kind), r.ID)),
			"record": &types.AttributeValueMemberB{Value: b},
		}}})
	}
	return s.batchWrite(ctx, reqs)
}

// Records reads the records dated in month m.
func (s *Store) Records(ctx context.Context, m month.Month) ([]records.Record, error) {
	items, err := s.queryAll(ctx, recordPK(m), "")
	if err != nil {
		return nil, err
	}
	out := make([]records.Record, 0, len(items))
	for _, it := range items {
		b, err := binary(it, "record")
		if err != nil {
			return nil, err
		}
		var r records.Record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("decode record: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// PutAssessment stores an assessment unless it exists (a round started twice
// creates nothing new); it reports whether it was created.
func (s *Store) PutAssessment(ctx context.Context, a assessment.Assessment) (bool, error) {
	item, err := assessmentItem(a)
	if err != nil {
		return false, err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return false, nil
	}
	if err != nil {
		return false, unavailable("write assessment", err)
	}
	return true, nil
}

func assessmentItem(a assessment.Assessment) (map[string]types.AttributeValue, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode assessment: %w", err)
	}
	return map[string]types.AttributeValue{
		AttrPK: str(assessmentPK(a.ID)), AttrSK: str(assessmentSK), "assessment": &types.AttributeValueMemberB{Value: b},
		AttrGSI1PK: str(assessmentsPK(a.Month)), AttrGSI1SK: str(a.ID),
	}, nil
}

// Assessment implements assessment.Store.
func (s *Store) Assessment(ctx context.Context, id string) (assessment.Assessment, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{AttrPK: str(assessmentPK(id)), AttrSK: str(assessmentSK)}})
	if err != nil {
		return assessment.Assessment{}, unavailable("read assessment", err)
	}
	if out.Item == nil {
		return assessment.Assessment{}, errcode.Errorf(errcode.NotFound, "link not found")
	}
	return decodeAssessment(out.Item)
}

func decodeAssessment(item map[string]types.AttributeValue) (assessment.Assessment, error) {
	b, err := binary(item, "assessment")
	if err != nil {
		return assessment.Assessment{}, err
	}
	var a assessment.Assessment
	if err := json.Unmarshal(b, &a); err != nil {
		return assessment.Assessment{}, fmt.Errorf("decode assessment: %w", err)
	}
	return a, nil
}

// Submit implements assessment.Store: answers before the deadline are kept
// (a resubmission replaces them); after it the form is closed.
func (s *Store) Submit(ctx context.Context, id string, answers map[string]assessment.Scores, now time.Time) (assessment.Assessment, error) {
	a, err := s.Assessment(ctx, id)
	if err != nil {
		return a, err
	}
	if !now.Before(a.Deadline) {
		return a, errcode.Errorf(errcode.Gone, "the assessment is closed")
	}
	if err := a.CheckAnswers(answers); err != nil {
		return a, err
	}
	a.Answers, a.SubmittedAt = answers, now
	return a, s.saveAssessment(ctx, a)
}

// MarkAssessment records that an invitation or reminder went out.
func (s *Store) MarkAssessment(ctx context.Context, a assessment.Assessment) error {
	return s.saveAssessment(ctx, a)
}

func (s *Store) saveAssessment(ctx context.Context, a assessment.Assessment) error {
	item, err := assessmentItem(a)
	if err != nil {
		return err
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item}); err != nil {
		return unavailable("write assessment", err)
	}
	return nil
}

// Assessments lists the month's assessments.
func (s *Store) Assessments(ctx context.Context, m month.Month) ([]assessment.Assessment, error) {
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName: &s.table, IndexName: aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(assessmentsPK(m))},
	})
	var out []assessment.Assessment
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("list assessments", err)
		}
		for _, it := range page.Items {
			id := it[AttrGSI1SK].(*types.AttributeValueMemberS).Value
			a, err := s.Assessment(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}
