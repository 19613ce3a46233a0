// Package dynamostream reads a DynamoDB table's stream the way the Lambda
// event source mapping does in AWS, for the local gateway on DynamoDB Local.
// It is apart from package dynamo so that functions, which get the stream
// from Lambda, do not link the Streams client.
package dynamostream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"scorecard/shared/aws/dynamo"
)

// StreamReader reads a table's stream the way the Lambda event source
// mapping does in AWS, and hands each batch to the same handler as a
// Lambda DynamoDB event: `scorecard serve` uses it on DynamoDB Local. Records
// a handler reports as failed are retried on the next poll of their shard.
type StreamReader struct {
	DB      dynamo.DB
	Streams *dynamodbstreams.Client
	Table   string
	Every   time.Duration // poll interval
}

// Run polls until ctx ends.
func (r *StreamReader) Run(ctx context.Context, handle func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error)) error {
	desc, err := r.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &r.Table})
	if err != nil {
		return fmt.Errorf("describe table: %w", err)
	}
	arn := aws.ToString(desc.Table.LatestStreamArn)
	if arn == "" {
		return fmt.Errorf("table %s has no stream", r.Table)
	}
	iters := map[string]*string{} // shard id → next iterator
	for {
		if err := r.discover(ctx, arn, iters); err != nil && ctx.Err() == nil {
			return err
		}
		for shard, it := range iters {
			if it == nil {
				continue
			}
			out, err := r.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
			if err != nil {
				// An expired iterator, or one DynamoDB Local has trimmed
				// past under load, starts again from the shard's oldest
				// record, as the event source mapping does; handlers are
				// idempotent, so records seen again change nothing.
				var expired *st.ExpiredIteratorException
				var trimmed *st.TrimmedDataAccessException
				if errors.As(err, &expired) || errors.As(err, &trimmed) {
					delete(iters, shard)
					continue
				}
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("read stream: %w", err)
			}
			if len(out.Records) > 0 {
				ev := toLambdaEvent(out.Records)
				resp, err := handle(ctx, ev)
				if err != nil || len(resp.BatchItemFailures) > 0 {
					// Keep the iterator: the same records come again.
					continue
				}
			}
			iters[shard] = out.NextShardIterator
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.Every):
		}
	}
}

// discover starts reading new shards from their beginning.
func (r *StreamReader) discover(ctx context.Context, arn string, iters map[string]*string) error {
	out, err := r.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})
	if err != nil {
		return fmt.Errorf("describe stream: %w", err)
	}
	for _, sh := range out.StreamDescription.Shards {
		id := aws.ToString(sh.ShardId)
		if _, ok := iters[id]; ok {
			continue
		}
		it, err := r.Streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
			StreamArn: &arn, ShardId: sh.ShardId, ShardIteratorType: st.ShardIteratorTypeTrimHorizon,
		})
		if err != nil {
			return fmt.Errorf("shard iterator: %w", err)
		}
		iters[id] = it.ShardIterator
	}
	return nil
}

func toLambdaEvent(recs []st.Record) events.DynamoDBEvent {
	var ev events.DynamoDBEvent
	for _, rec := range recs {
		r := events.DynamoDBEventRecord{EventID: aws.ToString(rec.EventID), EventName: string(rec.EventName), EventSource: "aws:dynamodb"}
		if d := rec.Dynamodb; d != nil {
			r.Change.SequenceNumber = aws.ToString(d.SequenceNumber)
			r.Change.Keys = toLambdaMap(d.Keys)
			r.Change.NewImage = toLambdaMap(d.NewImage)
			r.Change.StreamViewType = string(d.StreamViewType)
		}
		ev.Records = append(ev.Records, r)
	}
	return ev
}

func toLambdaMap(m map[string]st.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = toLambdaValue(v)
	}
	return out
}

func toLambdaValue(v st.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *st.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *st.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *st.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *st.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *st.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *st.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *st.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *st.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, x := range v.Value {
			l[i] = toLambdaValue(x)
		}
		return events.NewListAttribute(l)
	case *st.AttributeValueMemberM:
		return events.NewMapAttribute(toLambdaMap(v.Value))
	}
	return events.NewNullAttribute()
}
