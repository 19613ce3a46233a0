package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/devkit/dynamostream"
	"scorecard/shared/devkit/dynamotest"
)

// TestEventImageReadsTheStream reads the images DynamoDB Local's stream
// really carries after an ingest: each event item's image gives the event
// as stored (the notifier then reads its ticket), and the month index
// entry's image is no event.
func TestEventImageReadsTheStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db := dynamotest.Client(t)
	table := "TestEventImageReadsTheStream-" + time.Now().Format("150405.000000")
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
			e, ok, err := dynamo.EventImage(rec.Change.NewImage)
			if !ok {
				others++
				continue
			}
			tickets++
			if err != nil {
				t.Errorf("image %v: %v", rec.Change.Keys, err)
				continue
			}
			want, err := store.Event(ctx, "generic", "T#1", e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("the event from the stream image (-store +image):\n%s", diff)
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
