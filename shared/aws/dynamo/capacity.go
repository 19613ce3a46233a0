package dynamo

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
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
	mu          sync.Mutex
	kinds       map[string]*KindUse
}

// KindUse is what the calls on one kind of item consumed: the items are
// named by their partition key's prefix (TKT events, EVM the month index,
// SRV surveys, …; the key table in keys.go), a call on several items by
// its first.
type KindUse struct {
	Kind          string
	Read, Write   float64
	Reads, Writes int // calls
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
	kind := kindOf(in.Parameters)
	var units uint64
	defer func() { c.add(kind, read, units) }()
	// A put refused by its condition writes nothing, but DynamoDB bills
	// the write units the item would have taken; DynamoDB Local reports
	// none, so they are counted here.
	var refused *types.ConditionalCheckFailedException
	if p, ok := in.Parameters.(*dynamodb.PutItemInput); ok && errors.As(err, &refused) {
		units += 1000 * uint64((itemSize(p.Item)+1023)/1024)
		c.write.Add(1000 * uint64((itemSize(p.Item)+1023)/1024))
	}
	// A key BatchGetItem finds no item for is billed as a read all the
	// same (as GetItem's is); DynamoDB Local reports nothing for it.
	if p, ok := in.Parameters.(*dynamodb.BatchGetItemInput); ok && err == nil {
		if r, ok := out.Result.(*dynamodb.BatchGetItemOutput); ok {
			u := missedReads(p, r)
			units += u
			c.read.Add(u)
		}
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
		u := uint64(aws.ToFloat64(cc.CapacityUnits) * 1000)
		units += u
		if read {
			c.read.Add(u)
		} else {
			c.write.Add(u)
		}
	}
	return out, md, err
}

// missedReads is what the keys of a BatchGetItem that found no item
// cost, in thousandths of a unit: half a unit each read eventually
// consistent, one strongly (a key left unprocessed was not read).
func missedReads(in *dynamodb.BatchGetItemInput, out *dynamodb.BatchGetItemOutput) uint64 {
	var n uint64
	for table, ka := range in.RequestItems {
		missed := len(ka.Keys) - len(out.Responses[table]) - len(out.UnprocessedKeys[table].Keys)
		if missed <= 0 {
			continue
		}
		per := uint64(500)
		if aws.ToBool(ka.ConsistentRead) {
			per = 1000
		}
		n += uint64(missed) * per
	}
	return n
}

func (c *Capacity) add(kind string, read bool, units uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kinds == nil {
		c.kinds = map[string]*KindUse{}
	}
	k := c.kinds[kind]
	if k == nil {
		k = &KindUse{Kind: kind}
		c.kinds[kind] = k
	}
	if read {
		k.Read += float64(units) / 1000
		k.Reads++
	} else {
		k.Write += float64(units) / 1000
		k.Writes++
	}
}

// Kinds is the use so far by kind of item, most write units first.
func (c *Capacity) Kinds() []KindUse {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]KindUse, 0, len(c.kinds))
	for _, k := range c.kinds {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b KindUse) int {
		if a.Write != b.Write {
			return cmp.Compare(b.Write, a.Write)
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return out
}

// kindOf names the kind of item a call is on: its (first) partition key
// up to the first '#'.
func kindOf(params any) string {
	pk := func(item map[string]types.AttributeValue) string {
		if v, ok := item[AttrPK].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	var key string
	switch p := params.(type) {
	case *dynamodb.GetItemInput:
		key = pk(p.Key)
	case *dynamodb.PutItemInput:
		key = pk(p.Item)
	case *dynamodb.UpdateItemInput:
		key = pk(p.Key)
	case *dynamodb.DeleteItemInput:
		key = pk(p.Key)
	case *dynamodb.QueryInput:
		if v, ok := p.ExpressionAttributeValues[":pk"].(*types.AttributeValueMemberS); ok {
			key = v.Value
		}
		if p.IndexName != nil {
			key = aws.ToString(p.IndexName) + ":" + key
		}
	case *dynamodb.ScanInput:
		key = "scan"
	case *dynamodb.BatchGetItemInput:
		for _, ka := range p.RequestItems {
			if len(ka.Keys) > 0 {
				key = pk(ka.Keys[0])
			}
		}
	case *dynamodb.BatchWriteItemInput:
		for _, reqs := range p.RequestItems {
			if len(reqs) > 0 && reqs[0].PutRequest != nil {
				key = pk(reqs[0].PutRequest.Item)
			} else if len(reqs) > 0 && reqs[0].DeleteRequest != nil {
				key = pk(reqs[0].DeleteRequest.Key)
			}
		}
	case *dynamodb.TransactWriteItemsInput:
		if len(p.TransactItems) > 0 {
			switch t := p.TransactItems[0]; {
			case t.Put != nil:
				key = pk(t.Put.Item)
			case t.Update != nil:
				key = pk(t.Update.Key)
			case t.Delete != nil:
				key = pk(t.Delete.Key)
			case t.ConditionCheck != nil:
				key = pk(t.ConditionCheck.Key)
			}
		}
	case *dynamodb.TransactGetItemsInput:
		if len(p.TransactItems) > 0 && p.TransactItems[0].Get != nil {
			key = pk(p.TransactItems[0].Get.Key)
		}
	}
	if i := strings.IndexByte(key, '#'); i >= 0 {
		key = key[:i]
	}
	if key == "" {
		key = "?"
	}
	return key
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
