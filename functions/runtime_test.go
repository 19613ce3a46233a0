// Package functions_test runs every function binary under the AWS Lambda
// Runtime Interface Emulator — the runtime API Lambda gives a
// provided.al2023 function — with the events Lambda delivers in AWS, on
// DynamoDB Local and the SES server, secrets from a stand-in for SSM.
package functions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/devkit/dynamostream"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/mailpit"
	"scorecard/shared/devkit/rie"
	"scorecard/shared/devkit/ssmfake"
	"scorecard/shared/source/generic"
)

const prefix = "/rie"

// The SMTP relay's login, the password served as the smtp-password secret.
const relayUser, relayPassword = "rie-relay", "rie-relay-password"

// stack is one table with a stream, the secrets, and the environment the
// stack gives every function.
type stack struct {
	db    *dynamodb.Client
	table string
	env   []string
}

func newStack(t *testing.T) stack {
	t.Helper()
	ctx := context.Background()
	db := dynamotest.Client(t)
	table := "rie-" + time.Now().Format("150405.000000")
	if err := dynamo.CreateTable(ctx, db, table, dynamo.WithStream()); err != nil {
		t.Fatalf("create table (is the local DynamoDB running? `make up` starts it): %v", err)
	}
	t.Cleanup(func() { db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
	ssm := httptest.NewServer(&ssmfake.Server{Params: map[string]string{
		prefix + "/webhook/generic":  "rie-generic-secret",
		prefix + "/webhook/records":  "rie-records-secret",
		prefix + "/link-signing-key": "rie-signing-key",
		prefix + "/smtp-password":    relayPassword,
	}})
	t.Cleanup(ssm.Close)
	ses := os.Getenv("SES_ENDPOINT")
	if ses == "" {
		ses = awsenv.LocalSES
	}
	return stack{db: db, table: table, env: []string{
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=dummykey", "AWS_SECRET_ACCESS_KEY=dummysecret", "AWS_SESSION_TOKEN=dummytoken",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_ENDPOINT_URL_SSM=" + ssm.URL,
		"DYNAMODB_ENDPOINT=" + dynamotest.Endpoint(), "SES_ENDPOINT=" + ses,
		"TABLE_NAME=" + table, "SECRETS_PREFIX=" + prefix,
		"MAIL_FROM=scorecard@example.com", "BASE_URL=https://scorecard.example.com",
	}}
}

// start runs a function under the emulator.
func (s stack) start(t *testing.T, name string, env ...string) *rie.Function {
	t.Helper()
	return rie.Start(t, rie.Emulator(t, ".."), rie.Build(t, "..", name), append(append([]string{}, s.env...), env...)...)
}

// captured is an API Gateway v2 request as the handlers' tests keep it in
// testdata (file), made a request for path with body; headers are set over
// the captured ones, an empty value removing one.
func captured(t *testing.T, file, path string, headers map[string]string, body string) []byte {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	req.RawPath, req.RequestContext.HTTP.Path, req.Body, req.IsBase64Encoded = path, path, body, false
	for k := range req.PathParameters {
		req.PathParameters[k] = path[strings.LastIndex(path, "/")+1:]
	}
	for k, v := range headers {
		if v == "" {
			delete(req.Headers, k)
		} else {
			req.Headers[k] = v
		}
	}
	b, _ := json.Marshal(req)
	return b
}

const (
	webhookCapture = "../shared/app/webhook/testdata/apigw-generic.json"
	urlCapture     = "../shared/app/webhook/testdata/lambda-url-generic.json"
	formsCapture   = "../shared/app/surveyform/testdata/apigw-get.json"
)

func response(t *testing.T, b []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(b, &resp); err != nil || resp.StatusCode == 0 {
		t.Fatalf("not an API Gateway answer: %s", b)
	}
	return resp
}

func TestFunctionsInTheLambdaRuntime(t *testing.T) {
	ctx := context.Background()
	s := newStack(t)
	store := dynamo.New(s.db, s.table, dynamo.Options{})
	now := time.Now().UTC()
	if err := store.PutEngineers(ctx, []directory.Engineer{{ID: "E1", Name: "Ann Lee", Email: "ann@example.com", Team: "North",
		ManagerEmail: "mia@example.com", External: map[string]string{generic.Source: "ag-1"}}}); err != nil {
		t.Fatal(err)
	}

	t.Run("webhook: an API Gateway request stores a signed event and refuses an unsigned one", func(t *testing.T) {
		fn := s.start(t, "webhook")
		body := fmt.Sprintf(`{"events": [
			{"event_id": "rie-1", "ticket_id": "RIE-1", "type": "created", "occurred_at": %q, "customer": {"id": "c-1", "email": "bob@example.com"}},
			{"event_id": "rie-2", "ticket_id": "RIE-1", "type": "assigned", "assignee_id": "ag-1", "occurred_at": %q},
			{"event_id": "rie-3", "ticket_id": "RIE-1", "type": "status_changed", "status": "resolved", "occurred_at": %q}]}`,
			now.Add(-3*time.Hour).Format(time.RFC3339), now.Add(-2*time.Hour).Format(time.RFC3339), now.Add(-5*time.Minute).Format(time.RFC3339))
		signed := map[string]string{"x-signature": generic.Sign([]byte("rie-generic-secret"), []byte(body))}
		resp := response(t, fn.Invoke(t, captured(t, webhookCapture, "/webhooks/generic", signed, body)))
		if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"stored":3`) {
			t.Fatalf("signed webhook: %d %s", resp.StatusCode, resp.Body)
		}
		if st, _, err := store.Ticket(ctx, generic.Source, "RIE-1"); err != nil || st.Status != "resolved" {
			t.Errorf("stored ticket %+v, %v", st, err)
		}
		unsigned := response(t, fn.Invoke(t, captured(t, webhookCapture, "/webhooks/generic", map[string]string{"x-signature": ""}, body)))
		if unsigned.StatusCode != 401 || !strings.Contains(unsigned.Body, "X-Signature") {
			t.Errorf("unsigned webhook: %d %s", unsigned.StatusCode, unsigned.Body)
		}
	})

	t.Run("webhook: a function URL request (no path parameters) stores a signed event", func(t *testing.T) {
		fn := s.start(t, "webhook")
		body := fmt.Sprintf(`{"event_id": "url-1", "ticket_id": "URL-1", "type": "created", "occurred_at": %q, "customer": {"id": "c-2"}}`, now.Add(-time.Hour).Format(time.RFC3339))
		signed := map[string]string{"x-signature": generic.Sign([]byte("rie-generic-secret"), []byte(body))}
		resp := response(t, fn.Invoke(t, captured(t, urlCapture, "/webhooks/generic", signed, body)))
		if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"stored":1`) {
			t.Fatalf("signed webhook through the URL: %d %s", resp.StatusCode, resp.Body)
		}
		if _, _, err := store.Ticket(ctx, generic.Source, "URL-1"); err != nil {
			t.Errorf("stored ticket: %v", err)
		}
		other := response(t, fn.Invoke(t, captured(t, urlCapture, "/", signed, body)))
		if other.StatusCode != 400 || !strings.Contains(other.Body, "unknown source") {
			t.Errorf("a path that is no source: %d %s", other.StatusCode, other.Body)
		}
	})

	t.Run("forms: an invalid link is the 404 page in both languages", func(t *testing.T) {
		resp := response(t, s.start(t, "forms").Invoke(t, captured(t, formsCapture, "/s/not-a-token", map[string]string{"accept-language": "zh-CN"}, "")))
		if resp.StatusCode != 404 || !strings.HasPrefix(resp.Headers["Content-Type"], "text/html") || !strings.Contains(resp.Body, "链接无效") || !strings.Contains(resp.Body, "Link not found") {
			t.Errorf("forms: %d %v\n%s", resp.StatusCode, resp.Headers, resp.Body)
		}
	})

	t.Run("notifier: a stream batch records the survey, and only the broken record fails", func(t *testing.T) {
		fn := s.start(t, "notifier", "MAIL_RATE=100")
		streams := dynamotest.Streams(s.db)
		r := &dynamostream.StreamReader{DB: s.db, Streams: streams, Table: s.table, Every: 50 * time.Millisecond}
		var batch events.DynamoDBEvent
		readCtx, stop := context.WithTimeout(ctx, 20*time.Second)
		defer stop()
		r.Run(readCtx, func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
			batch.Records = append(batch.Records, ev.Records...)
			for _, rec := range ev.Records {
				if strings.HasPrefix(rec.Change.NewImage["pk"].String(), "TKT#") {
					stop()
				}
			}
			return events.DynamoDBEventResponse{}, nil
		})
		// An event item that cannot be read: its ticket cannot be.
		corrupt := map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "TKT#generic#BROKEN"}, "sk": &types.AttributeValueMemberS{Value: "E#x"},
			"b": &types.AttributeValueMemberB{Value: []byte("not an event")},
		}
		if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: corrupt}); err != nil {
			t.Fatal(err)
		}
		broken := events.DynamoDBEventRecord{EventSource: "aws:dynamodb", EventName: "INSERT", Change: events.DynamoDBStreamRecord{
			SequenceNumber: "999", NewImage: map[string]events.DynamoDBAttributeValue{
				"pk": events.NewStringAttribute("TKT#generic#BROKEN"), "sk": events.NewStringAttribute("E#x"),
				"b": events.NewBinaryAttribute([]byte("not an event")),
			}}}
		batch.Records = append(batch.Records, broken)
		payload, _ := json.Marshal(batch)
		var resp events.DynamoDBEventResponse
		if b := fn.Invoke(t, payload); json.Unmarshal(b, &resp) != nil {
			t.Fatalf("not a batch response: %s", b)
		}
		if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "999" {
			t.Errorf("batchItemFailures %+v, want the broken record's alone (%d records)", resp.BatchItemFailures, len(batch.Records))
		}
		// Resolved five minutes ago: due after the policy's delay.
		due, err := store.DueSurveys(ctx, now.Add(48*time.Hour))
		if err != nil || len(due) != 1 || due[0].TicketID != "RIE-1" || due[0].CustomerEmail != "bob@example.com" {
			t.Errorf("due surveys %+v, %v: want RIE-1's", due, err)
		}
	})

	t.Run("monthly: a run of this month scores the engineer; the round's and the check-in's ticks answer", func(t *testing.T) {
		fn := s.start(t, "monthly")
		var sum struct {
			Month     string `json:"month"`
			Engineers int    `json:"engineers"`
			Tickets   int    `json:"tickets"`
		}
		m := now.In(time.FixedZone("", 8*3600)).Format("2006-01")                                                                                                       // the policy's Asia/Shanghai
		if b := fn.Invoke(t, []byte(`{"month": "`+m+`", "mail": false}`)); json.Unmarshal(b, &sum) != nil || sum.Month != m || sum.Engineers != 1 || sum.Tickets != 2 { // RIE-1, URL-1
			t.Errorf("monthly run: %s", b)
		}
		if b := fn.Invoke(t, []byte(`{"round": "tick"}`)); strings.Contains(string(b), "errorMessage") {
			t.Errorf("round tick: %s", b)
		}
		// Today may or may not be a check-in day (the 10th or 20th): either
		// way the tick answers with the month and what it did.
		var ci struct {
			Month string `json:"month"`
			Day   string `json:"day"`
		}
		if b := fn.Invoke(t, []byte(`{"check_in": "tick"}`)); json.Unmarshal(b, &ci) != nil || ci.Month != m || strings.Contains(string(b), "errorMessage") {
			t.Errorf("check-in tick: %s", b)
		}
	})

	t.Run("monthly, where mail goes through an SMTP relay: the report and the scorecard arrive whole", func(t *testing.T) {
		relay := mailpit.Start(t, "..", mailpit.Options{Users: map[string]string{relayUser: relayPassword}})
		fn := s.start(t, "monthly", "SMTP_HOST=127.0.0.1", fmt.Sprintf("SMTP_PORT=%d", relay.SMTPPort), "SMTP_USER="+relayUser,
			// The relay's certificate is the one root the function trusts,
			// read the way Go reads the system's roots.
			"SSL_CERT_FILE="+relay.CertFile, "SES_ENDPOINT=http://127.0.0.1:1")
		m := now.In(time.FixedZone("", 8*3600)).Format("2006-01")
		if b := fn.Invoke(t, []byte(`{"month": "`+m+`", "mail": true, "force": true}`)); strings.Contains(string(b), "errorMessage") {
			t.Fatalf("monthly run: %s\n%s", b, fn.Logs())
		}
		byTo := map[string]mailpit.Message{}
		for _, sum := range relay.Messages(t) {
			msg := relay.Message(t, sum.ID)
			if len(msg.To) == 1 && slices.Contains(msg.Tags, relayUser) {
				byTo[msg.To[0].Address] = msg
			}
		}
		report, card := byTo["mia@example.com"], byTo["ann@example.com"]
		if len(byTo) != 2 || report.ID == "" || card.ID == "" {
			t.Fatalf("mails to %v, want the manager's report and the engineer's scorecard, sent with the relay's login", slices.Collect(maps.Keys(byTo)))
		}
		if len(report.Attachments) != 1 || !strings.HasSuffix(report.Attachments[0].FileName, ".xlsx") || !strings.Contains(card.Text, "Ann Lee") {
			t.Fatalf("the report arrived with attachments %+v; the scorecard's text: %.200q", report.Attachments, card.Text)
		}
		// One engineer with one ticket has too little data for a chart:
		// shared/aws/smtp's test sends a report with both charts.
		for _, p := range report.Inline {
			if png := relay.Part(t, report.ID, p.PartID); !bytes.HasPrefix(png, []byte("\x89PNG\r\n")) || !strings.Contains(report.HTML, "cid:"+p.ContentID) {
				t.Errorf("inline %s (%s, %d bytes) is not the chart the HTML shows", p.FileName, p.ContentID, len(png))
			}
		}
		if x := relay.Part(t, report.ID, report.Attachments[0].PartID); !bytes.HasPrefix(x, []byte("PK\x03\x04")) {
			t.Errorf("the workbook arrived as %d bytes that are not a zip", len(x))
		}
		if strings.Contains(fn.Logs(), relayPassword) {
			t.Error("the relay's password is in the logs")
		}
	})

	t.Run("a missing secret stops the function at init", func(t *testing.T) {
		fn := s.start(t, "forms", "SECRETS_PREFIX=/nothing-here")
		status, b := fn.InvokeStatus(t, captured(t, formsCapture, "/s/x", nil, ""))
		if status != 502 || !fn.WaitLogs("secrets missing: /nothing-here/link-signing-key", "Init failed") {
			t.Errorf("HTTP %d %s; logs:\n%s", status, b, fn.Logs())
		}
	})
}
