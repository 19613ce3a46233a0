// Package dynamotest gives tests a fresh table on the DynamoDB-API server
// that `make up` (and `make test`) runs on loopback: DYNAMODB_ENDPOINT, or
// http://127.0.0.1:8000.
package dynamotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
)

// Endpoint is the server tests use.
func Endpoint() string {
	if e := os.Getenv("DYNAMODB_ENDPOINT"); e != "" {
		return e
	}
	return awsenv.LocalDynamoDB
}

// Client returns a client for the test server. It retries as the SDK's
// default does: on a loaded machine DynamoDB Local may close a pooled
// connection under a read, which a second attempt on the same dead pool
// does not always survive.
func Client(t testing.TB, opts ...func(*dynamodb.Options)) *dynamodb.Client {
	t.Helper()
	return ClientAt(t, Endpoint(), append([]func(*dynamodb.Options){func(o *dynamodb.Options) { o.RetryMaxAttempts = 5 }}, opts...)...)
}

// ClientAt returns a client for a given endpoint (a fault proxy, a dead
// port), with two attempts so that a dead endpoint fails fast.
func ClientAt(t testing.TB, endpoint string, opts ...func(*dynamodb.Options)) *dynamodb.Client {
	t.Helper()
	env := awsenv.Env{DynamoDBEndpoint: endpoint, Region: "us-east-1"}
	cfg, err := awsconfig.Load(context.Background(), env, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.RetryMaxAttempts = 2
	return env.DynamoDB(cfg, opts...)
}

var unsafe = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// Table creates a table of its own for the test and deletes it afterwards.
func Table(t testing.TB, db *dynamodb.Client) string {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	name := unsafe.ReplaceAllString(t.Name(), "_")
	if len(name) > 200 {
		name = name[:200]
	}
	name += "-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := dynamo.CreateTable(ctx, db, name); err != nil {
		t.Fatalf("create table on %s (is the local DynamoDB running? `make up` starts it): %v", Endpoint(), err)
	}
	t.Cleanup(func() {
		db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name
}

// Streams returns a DynamoDB Streams client for the test server, with db's
// credentials, for reading a table's stream as Lambda's event source
// mapping does (dynamostream.StreamReader).
func Streams(db *dynamodb.Client) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: db.Options().Credentials},
		func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(Endpoint()) })
}
