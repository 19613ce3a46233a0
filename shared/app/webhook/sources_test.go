package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

var now = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)

// sign adds each source's authentication to a request's headers.
func sign(source string, secret, body []byte, h map[string]string) {
	switch source {
	case "zendesk":
		ts := now.Format(time.RFC3339)
		h["x-zendesk-webhook-signature-timestamp"] = ts
		h["x-zendesk-webhook-signature"] = zendesk.Sign(secret, ts, body)
	case "jira":
		h["x-hub-signature"] = jira.Sign(secret, body)
		h["x-atlassian-webhook-identifier"] = "wh-" + strings.Repeat("1", 8)
	case "freshdesk":
		h["authorization"] = "Bearer " + string(secret)
	}
}

// Every vendor sample payload, signed as its vendor signs, goes through the
// Lambda JSON layer into the real store on DynamoDB Local; a second
// delivery changes nothing.
func TestEverySourceSampleIsStoredOnce(t *testing.T) {
	db := dynamotest.Client(t)
	store := dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
	secrets := map[string][]byte{"zendesk": []byte("z-secret"), "jira": []byte("j-secret"), "freshdesk": []byte("f-secret"), "generic": secret}
	h := &webhook.Handler{Store: store, Sources: webhook.Sources(nil), Secrets: secrets, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, source := range []string{"zendesk", "jira", "freshdesk"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "source", source, "testdata", "*.json"))
		if len(files) == 0 {
			t.Fatalf("no %s samples", source)
		}
		for _, f := range files {
			t.Run(source+"/"+filepath.Base(f), func(t *testing.T) {
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				headers := map[string]string{"content-type": "application/json"}
				sign(source, secrets[source], body, headers)
				req := events.APIGatewayV2HTTPRequest{
					RawPath: "/webhooks/" + source, PathParameters: map[string]string{"source": source},
					Headers: headers, Body: string(body),
					RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: http.MethodPost}},
				}
				payload, _ := json.Marshal(req)
				var first, second event.Ingested
				for i, into := range []*event.Ingested{&first, &second} {
					out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), payload)
					if err != nil {
						t.Fatal(err)
					}
					var resp events.APIGatewayV2HTTPResponse
					json.Unmarshal(out, &resp)
					if resp.StatusCode != 200 {
						t.Fatalf("delivery %d: %d %s", i+1, resp.StatusCode, resp.Body)
					}
					json.Unmarshal([]byte(resp.Body), into)
				}
				if second.Stored != 0 || second.Duplicates != first.Stored+first.Duplicates {
					t.Errorf("first %+v, redelivery %+v: a redelivery must store nothing", first, second)
				}
			})
		}
	}
}
