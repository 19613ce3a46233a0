package dynamo

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// Capacity counts the read and write request units a client's calls
// consume, as DynamoDB reports them (ReturnConsumedCapacity TOTAL, which
// the option sets on every call that takes it). On-demand tables bill
// exactly these units, so the demo and the benchmarks measure cost with it.
type Capacity struct {
	read, write atomic.Uint64 // thousandths of a unit
	calls       atomic.Int64
}

// Option adds the counting to a client: dynamodb.NewFromConfig(cfg, c.Option()).
func (c *Capacity) Option() func(*dynamodb.Options) {
	return func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("CountCapacity", c.handle), middleware.After)
		})
	}
}

// Read and Write are the units consumed so far; Calls the calls made.
func (c *Capacity) Read() float64  { return float64(c.read.Load()) / 1000 }
func (c *Capacity) Write() float64 { return float64(c.write.Load()) / 1000 }
func (c *Capacity) Calls() int64   { return c.calls.Load() }

func (c *Capacity) handle(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	total := types.ReturnConsumedCapacityTotal
	read := false
	switch p := in.Parameters.(type) {
	case *dynamodb.GetItemInput:
		p.ReturnConsumedCapacity, read = total, true
	case *dynamodb.QueryInput:
		p.ReturnConsumedCapacity, read = total, true
	case *dynamodb.ScanInput:
		p.ReturnConsumedCapacity, read = total, true
	case *dynamodb.BatchGetItemInput:
		p.ReturnConsumedCapacity, read = total, true
	case *dynamodb.TransactGetItemsInput:
		p.ReturnConsumedCapacity, read = total, true
	case *dynamodb.PutItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.UpdateItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.DeleteItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.BatchWriteItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.TransactWriteItemsInput:
		p.ReturnConsumedCapacity = total
	default:
		return next.HandleInitialize(ctx, in)
	}
	out, md, err := next.HandleInitialize(ctx, in)
	c.calls.Add(1)
	// A put refused by its condition writes nothing, but DynamoDB bills
	// the write units the item would have taken; DynamoDB Local reports
	// none, so they are counted here.
	var refused *types.ConditionalCheckFailedException
	if p, ok := in.Parameters.(*dynamodb.PutItemInput); ok && errors.As(err, &refused) {
		c.write.Add(1000 * uint64((itemSize(p.Item)+1023)/1024))
	}
	var ccs []types.ConsumedCapacity
	switch r := out.Result.(type) {
	case *dynamodb.GetItemOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.QueryOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.ScanOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.PutItemOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.UpdateItemOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.DeleteItemOutput:
		ccs = one(r.ConsumedCapacity)
	case *dynamodb.BatchGetItemOutput:
		ccs = r.ConsumedCapacity
	case *dynamodb.TransactGetItemsOutput:
		ccs = r.ConsumedCapacity
	case *dynamodb.BatchWriteItemOutput:
		ccs = r.ConsumedCapacity
	case *dynamodb.TransactWriteItemsOutput:
		ccs = r.ConsumedCapacity
	}
	for _, cc := range ccs {
		units := uint64(aws.ToFloat64(cc.CapacityUnits) * 1000)
		if read {
			c.read.Add(units)
		} else {
			c.write.Add(units)
		}
	}
	return out, md, err
}

// itemSize is an item's size as DynamoDB bills it: its attribute names
// and values (numbers are counted as their text, at most 21 bytes).
func itemSize(item map[string]types.AttributeValue) int {
	n := 0
	for name, v := range item {
		n += len(name)
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			n += len(v.Value)
		case *types.AttributeValueMemberB:
			n += len(v.Value)
		case *types.AttributeValueMemberN:
			n += min(len(v.Value), 21)
		default:
			n += 1
		}
	}
	return n
}

func one(cc *types.ConsumedCapacity) []types.ConsumedCapacity {
	if cc == nil {
		return nil
	}
	return []types.ConsumedCapacity{*cc}
}
