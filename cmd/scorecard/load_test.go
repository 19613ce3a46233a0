package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/devkit/dynamotest"
)

// A short `scorecard load`: mixed-source webhooks, out of order and
// redelivered, through the gateway into the local DynamoDB; every distinct
// event is stored once and every fully sent ticket holds its events' state.
func TestLoadMixedSources(t *testing.T) {
	table := fmt.Sprintf("load-test-%d", time.Now().UnixNano())
	t.Cleanup(func() {
		dynamotest.Client(t).DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table})
	})
	vars := map[string]string{"DYNAMODB_ENDPOINT": dynamotest.Endpoint()}
	var out, errOut bytes.Buffer
	code := runWith(&out, &errOut, func(k string) string { return vars[k] },
		// Bounded by count, not time: all 50 tickets go out (a few
		// seconds), however busy the machine is, and every one is checked.
		"load", "--duration", "5m", "--tickets", "50", "--senders", "4", "--table", table)
	t.Log(out.String())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	report := out.String()
	num := func(re string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(report)
		if m == nil {
			t.Fatalf("the report has no %q:\n%s", re, report)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	distinct, stored := num(`(\d+) distinct`), num(`stored +(\d+) new`)
	if distinct == 0 || stored != distinct {
		t.Errorf("stored %d, distinct events sent %d", stored, distinct)
	}
	if got := num(`(\d+) mismatches`); got != 0 {
		t.Errorf("%d mismatches", got)
	}
	if got := num(`verified +(\d+) fully sent tickets`); got != 50 {
		t.Errorf("%d tickets verified, want all 50", got)
	}
	for _, source := range []string{"zendesk", "jira", "freshdesk", "generic"} {
		if num(source+` (\d+)`) == 0 {
			t.Errorf("no %s request was sent", source)
		}
	}
}
