package faultproxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/generic"
)

// The fault tests talk to the local servers of `make up` (make test starts
// them) through a proxy, like every other storage and mail test: the
// endpoints come from the environment, else the servers' default ports.

func needDynamoDB(t *testing.T) string {
	t.Helper()
	return dynamotest.Endpoint()
}

func needSES(t *testing.T) string {
	t.Helper()
	if e := os.Getenv("SES_ENDPOINT"); e != "" {
		return strings.TrimRight(e, "/")
	}
	return awsenv.LocalSES
}

// dynamoAt is a DynamoDB client on endpoint (the server, or a proxy to it)
// with the given retryer.
func dynamoAt(t *testing.T, endpoint string, retryer func() aws.Retryer) *dynamodb.Client {
	t.Helper()
	env := awsenv.Env{DynamoDBEndpoint: endpoint, Region: "us-east-1"}
	cfg := awsConfig(t, env)
	cfg.Retryer = retryer
	return env.DynamoDB(cfg)
}

// awsConfig is the configuration the functions load, for the local servers.
func awsConfig(t *testing.T, env awsenv.Env) aws.Config {
	t.Helper()
	cfg, err := awsconfig.Load(context.Background(), env, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// dynamoDBRetries is the retryer the DynamoDB client builds by default —
// the standard one (throttling, 5xx and connection errors retried) with
// four attempts — its backoff capped at 20 ms instead of 20 s so that the
// tests stay short.
func dynamoDBRetries() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 4
		o.MaxBackoff = 20 * time.Millisecond
	})
}

// noRetries makes every fault reach the caller.
func noRetries() aws.Retryer { return aws.NopRetryer{} }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// aug is the month the tests generate.
var aug = month.Month{Year: 2026, Month: time.August}

// ticketsPerMonth is n, or FAULT_TICKETS when set: a larger month makes a
// longer run of the webhook and monthly fault tests.
func ticketsPerMonth(t *testing.T, n int) int {
	t.Helper()
	if v := os.Getenv("FAULT_TICKETS"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 {
			t.Fatalf("FAULT_TICKETS=%q: want a number of tickets per month", v)
		}
		return m
	}
	return n
}

// demoMonths generates months of a small organisation in the policy's time
// zone, as model events.
func demoMonths(t *testing.T, pol *policy.Policy, months, tickets int) (demo.Org, []event.Event) {
	t.Helper()
	org, raw := demo.Generate(demo.Config{Seed: 11, Start: aug, Months: months, TicketsPerMonth: tickets, TimeZone: pol.Location()})
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		t.Fatal(err)
	}
	return org, evs
}

// byTicket groups events by ticket, as Store.Backfill takes them.
func byTicket(evs []event.Event) [][]event.Event {
	idx := map[[2]string]int{}
	var out [][]event.Event
	for _, e := range evs {
		k := [2]string{e.Source, e.TicketID}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], e)
	}
	return out
}

// engineers is the directory of a demo organisation, every address moved to
// domain so that the test's mail can be told from other tests'.
func engineers(org demo.Org, domain string) []directory.Engineer {
	out := make([]directory.Engineer, 0, len(org.Engineers))
	for _, e := range org.Engineers {
		out = append(out, directory.Engineer{
			ID: e.ID, Name: e.Name, Email: rehome(e.Email, domain), Team: e.Team, ManagerEmail: rehome(e.ManagerEmail, domain),
			HireDate: e.HireDate, BaseBonus: e.BaseBonus, Locale: e.Locale,
			External: map[string]string{generic.Source: e.GenericID},
		})
	}
	return out
}

func rehome(addr, domain string) string {
	local, _, _ := strings.Cut(addr, "@")
	return local + "@" + domain
}

// testDomain is a mail domain no other test run uses.
func testDomain() string {
	return fmt.Sprintf("t%016x.example.com", rand.Uint64())
}

// storedMail is a mail as the local SES server's GET /store lists it.
type storedMail struct {
	MessageID   string `json:"messageId"`
	Subject     string `json:"subject"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
}

// mailsTo reads the SES server's store for the mails to addresses in domain
// received since a time (the store is shared and large; its ?since= keeps
// the answer small).
func mailsTo(t *testing.T, endpoint, domain string, since time.Time) []storedMail {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/store?since=%d", endpoint, since.Unix()-1))
	if err != nil {
		t.Fatalf("SES server: %v", err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []storedMail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatalf("GET /store: %v", err)
	}
	var out []storedMail
	for _, m := range store.Emails {
		for _, to := range m.Destination.To {
			if strings.HasSuffix(strings.TrimSuffix(to, ">"), "@"+domain) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}
