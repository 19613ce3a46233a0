package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/devkit/dynamostream"
	"scorecard/shared/devkit/dynamotest"
)

// TestTicketOfReadsTheStream reads the images DynamoDB Local's stream
// really carries after an ingest: each event item's image names its
// ticket, whose state the notifier then reads, and the month index
// entry's image names none.
func TestTicketOfReadsTheStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db := dynamotest.Client(t)
	table := "TestTicketOfReadsTheStream-" + time.Now().Format("150405.000000")
	if err := dynamo.CreateTable(ctx, db, table, dynamo.WithStream()); err != nil {
		t.Fatalf("create table (is the local DynamoDB running? `make up` starts it): %v", err)
	}
	t.Cleanup(func() { db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
	store := dynamo.New(db, table, dynamo.Options{})
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	evs := []event.Event{
		{ID: "e1", Source: "generic", TicketID: "T#1", Type: event.Created, OccurredAt: at, Customer: &event.CustomerInfo{ID: "c1", Email: "c1@example.com"}},
		{ID: "e2", Source: "generic", TicketID: "T#1", Type: event.StatusChanged, Status: event.StatusResolved, OccurredAt: at.Add(time.Hour)},
	}
	if _, err := store.Ingest(ctx, evs); err != nil {
		t.Fatal(err)
	}

	streams := dynamotest.Streams(db)
	r := &dynamostream.StreamReader{DB: db, Streams: streams, Table: table, Every: 50 * time.Millisecond}
	var tickets, others int
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	err := r.Run(runCtx, func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		for _, rec := range ev.Records {
			source, id, ok := dynamo.TicketOf(rec.Change.NewImage)
			if !ok {
				others++
				continue
			}
			tickets++
			if source != "generic" || id != "T#1" {
				t.Errorf("image %v names %q/%q", rec.Change.Keys, source, id)
			}
		}
		if tickets == 2 && others > 0 {
			stop()
		}
		return events.DynamoDBEventResponse{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tickets != 2 || others == 0 {
		t.Errorf("%d event images and %d others read; want 2 and some", tickets, others)
	}
}
