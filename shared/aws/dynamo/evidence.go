package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// Evidence (keys in keys.go): every ticket's part in an engineer's month,
// as a run counted it, in chunks of at most metric.MaxChunk contributions,
// each chunk one item keyed by the run's as-of time, so that a rerun's
// evidence stands beside the earlier run's instead of mixing with it.

// PutEvidence stores chunks of the run of month m as of asOf.
func (s *Store) PutEvidence(ctx context.Context, m month.Month, asOf time.Time, chunks []metric.Chunk) error {
	reqs := make([]types.WriteRequest, 0, len(chunks))
	for _, c := range chunks {
		if len(c.Items) > metric.MaxChunk {
			return fmt.Errorf("evidence chunk of %d contributions, over %d", len(c.Items), metric.MaxChunk)
		}
		b, err := deflateJSON(c.Items)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			AttrPK: str(evidencePK(m, c.EngineerID)), AttrSK: str(evidenceSK(asOf, c.Seq)),
			"items": &types.AttributeValueMemberB{Value: b},
		}}})
	}
	return s.batchWrite(ctx, reqs)
}

// Evidence is engineerID's evidence of the run of month m as of asOf, in
// the order the run counted it.
func (s *Store) Evidence(ctx context.Context, m month.Month, engineerID string, asOf time.Time) ([]metric.Contribution, error) {
	var out []metric.Contribution
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :run)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(evidencePK(m, engineerID)), ":run": str(stamp(asOf) + "#"),
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, unavailable("read evidence", err)
		}
		for _, item := range page.Items {
			b, err := binary(item, "items")
			if err != nil {
				return nil, err
			}
			var cs []metric.Contribution
			if err := inflateJSON(b, &cs); err != nil {
				return nil, fmt.Errorf("decode evidence of %s: %w", engineerID, err)
			}
			for i := range cs {
				cs[i].EngineerID = engineerID
			}
			out = append(out, cs...)
		}
	}
	return out, nil
}

func deflateJSON(v any) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return deflate(0, js)
}

func inflateJSON(b []byte, v any) error {
	js, err := inflate(b)
	if err != nil {
		return err
	}
	return json.Unmarshal(js, v)
}
