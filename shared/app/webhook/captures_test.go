package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/zendesk"
)

// outcome is what a ticket's stored state must show after its captures.
type outcome struct {
	Status      event.Status
	Priority    event.Priority
	Assignee    string
	Type        string
	Tags        []string
	Created     bool     // the creation was seen
	Responder   string   // the first public agent reply's author, "" for none
	Persons     []string // authors of replies the source did not classify
	Resolutions []string // the engineer credited with each resolution
	Reopens     int
	Notes       int
	Customer    string // the requester's id, else e-mail; "" for none
	Email       string // the requester's address when the webhooks carry it
	Answers     []int  // survey ratings on the ticket
}

func outcomeOf(s ticket.State) outcome {
	o := outcome{Status: s.Status, Priority: s.Priority, Assignee: s.AssigneeID, Type: s.TicketType, Tags: s.Tags,
		Created: s.HasCreation(), Reopens: len(s.Reopens), Notes: len(s.Notes)}
	if s.FirstResponse != nil {
		o.Responder = s.FirstResponse.AgentID
	}
	for _, r := range s.PersonReplies {
		o.Persons = append(o.Persons, r.AgentID)
	}
	for _, r := range s.Resolutions {
		o.Resolutions = append(o.Resolutions, r.AgentID)
	}
	if c := s.Customer; c != nil {
		o.Customer, o.Email = c.ID, c.Email
		if c.ID == "" {
			o.Customer = c.Email
		}
	}
	for _, a := range s.Answers {
		o.Answers = append(o.Answers, a.Rating)
	}
	return o
}

// site is one ticketing account's captures, delivered in order one minute
// apart, and what each of its tickets must end up as.
type site struct {
	source string
	files  []string // under <source>/testdata/real
	want   map[string]outcome
	empty  []string // files that must be accepted and store nothing
}

// The real captures of every vendor (see each testdata/real/README.md),
// signed as the vendor signs, go through the Lambda JSON layer into the
// store on DynamoDB Local; every ticket they touch must reduce to the state
// the captures describe — status, assignee, first response and its author,
// resolutions, reopens, notes, requester — and a second delivery of every
// capture must change nothing.
func TestRealCapturesReduceToTheirTickets(t *testing.T) {
	sites := []site{
		{source: "zendesk", files: []string{
			"zendesk-sample_ticket_created.json",
			"kers-engine_ticket_comment_added_messaging_transcript_private.json",
			"kers-engine_ticket_status_changed_new_to_open_trimmed.json",
			"kers-engine_messaging_message_added_end_user_reduced.json",
			"docs_messaging_ticket_message_added_system.json",
		}, want: map[string]outcome{
			// An agent opened a ticket for themselves: they are its requester.
			"5158": {Status: event.StatusOpen, Priority: event.Low, Assignee: "8447388090494", Type: "task", Tags: []string{"ticket-info-test-tag"}, Created: true, Customer: "8447388090494"},
			// A messaging ticket: the transcript is the customer's own private comment, no response.
			"71447": {Status: event.StatusOpen, Priority: event.Normal, Customer: "58789189659033"},
			"73053": {Status: event.StatusNew, Priority: event.Normal},
			// The answer bot's greeting is no response.
			"141": {Status: event.StatusNew, Priority: event.Normal},
		}},
		{source: "jira", files: []string{ // Jira Cloud, 2019: one issue's life plus another's creation
			"mmjira_cloud2019_issue_created.json",
			"mmjira_cloud2019_issue_updated_issuetype.json",
			"mmjira_cloud2019_comment_created.json",
			"mmjira_cloud2019_issue_generic_status.json",
			"mmjira_cloud2019_issue_assigned.json",
			"mmjira_cloud2019_issue_updated_labels.json",
			"mmjira_cloud2019_issue_updated_priority.json",
		}, want: map[string]outcome{
			"10509": {Status: event.StatusOpen, Priority: event.Normal, Assignee: "5cedcb4355a88a0fc86388ba", Type: "task", Tags: []string{"label1", "label2"}, Created: true,
				Customer: "5cedcb4355a88a0fc86388ba", Email: "user@example.com"},
			// The changelog names the assignee "admin"; the fields give the accountId. The
			// comment without accountType is the reporter's own.
			"10040": {Status: event.StatusOpen, Priority: event.Low, Assignee: "5c5f880629be9642ba529340", Type: "bug", Tags: []string{"sad", "test-label"},
				Customer: "5c5f880629be9642ba529340", Email: "some-instance-test@gmail.com"},
		}},
		{source: "jira", files: []string{ // Jira Server: a comment arrives twice, once without its issue
			"mmjira_server_comment_created.json",
			"mmjira_server_issue_updated_commented.json",
			"mmjira_server_issue_resolved.json",
			"mmjira_server_issue_updated_assigned.json",
			"mmjira_server_issue_updated_labels.json",
		}, empty: []string{"mmjira_server_issue_updated_commented.json"}, // the same comment again
			want: map[string]outcome{
				// Recorded once, as comment_created had it: a person's reply for the directory to judge.
				"10013": {Status: event.StatusNew, Priority: event.Normal, Persons: []string{"levbrouk"}},
				"10300": {Status: event.StatusResolved, Priority: event.Normal, Resolutions: []string{""}, Customer: "admin", Email: "admin@admin.com"},
				"10226": {Status: event.StatusNew, Priority: event.Normal, Assignee: "admin", Customer: "admin", Email: "some-instance-test@gmail.com"},
				"10400": {Status: event.StatusNew, Priority: event.Normal, Tags: []string{"\"oh", "dc", "ee", "h", "yeah\""}, Customer: "mickmister", Email: "user@example.com"},
			}},
		{source: "jira", files: []string{ // Jira Cloud, 2021: accountIds only, localised names
			"jirabot_cloud_comment_created.json",
			"jirabot_cloud_issue_assigned.json",
			"jirabot_cloud_issue_generic_status.json",
			"jirabot_cloud_issue_unassigned.json",
		}, want: map[string]outcome{
			"10509": {Status: event.StatusNew, Priority: event.Normal, Responder: "557058:bf39af2f-2a15-473b-ba9b-fecfcab48e41"},
			"10376": {Status: event.StatusNew, Priority: event.Normal, Assignee: "557058:bf39af2f-2a15-473b-ba9b-fecfcab48e41", Customer: "60b8a7caa5be0a0069f3301f"},
			"10446": {Status: event.StatusOpen, Priority: event.Normal, Customer: "60e55212f90dee00694cff7e"},
			"10328": {Status: event.StatusNew, Priority: event.Normal, Customer: "60b8a7caa5be0a0069f3301f"},
		}},
		{source: "jira", files: []string{"jirabot_dc_issue_updated_jirauser_keys.json", "zulip_cloud_comment_created_accountid.json"},
			empty: []string{"jirabot_dc_issue_updated_jirauser_keys.json"}, // an attachment: nothing the model records
			want: map[string]outcome{
				"10002": {Status: event.StatusNew, Priority: event.Normal, Responder: "619a4432ebce470067f20384"},
			}},
		{source: "freshdesk", files: []string{ // Zulip's rule bodies for one ticket's life, then live accounts' bodies
			"zulip_ticket_created.json",
			"zulip_ticket_created_trailing_comma.json",
			"zulip_status_changed.json",
			"zulip_private_note.json",
			"zulip_public_note.json",
			"zulip_priority_changed.json",
			"zulip_status_changed_missing_event.json",
			"zulip_unknown_event.json",
			"zulip_inline_images.json",
			"opsgenie_ticket_created.json",
			"parkwhiz_ticket_created.json",
			"telemeds_ticket_resolved.json",
			"theeye_ticket_created.json",
		}, empty: []string{"zulip_ticket_created_trailing_comma.json", "zulip_private_note.json", "zulip_public_note.json"},
			want: map[string]outcome{
				// Created pending and high; lowered; resolved when the last body showed it so.
				"11": {Status: event.StatusResolved, Priority: event.Low, Type: "incident", Created: true, Resolutions: []string{""},
					Customer: "requester-bob@example.com", Email: "requester-bob@example.com"},
				"12":      {Status: event.StatusOpen, Priority: event.Urgent, Type: "problem", Created: true, Customer: "requester-bob@example.com", Email: "requester-bob@example.com"},
				"2":       {Status: event.StatusOpen, Priority: event.Normal, Assignee: "agent1@asd.com", Type: "incident", Tags: []string{"tag1", "tag2"}, Created: true, Customer: "requester.one@example.com", Email: "requester.one@example.com"},
				"1228307": {Status: event.StatusOpen, Priority: event.Low, Customer: "customer.one@example.com", Email: "customer.one@example.com"},
				// Resolved by the agent the body names: the assignment folds first.
				"366":  {Status: event.StatusResolved, Priority: event.Normal, Assignee: "doctor.one@example.com", Type: "spam call", Resolutions: []string{"doctor.one@example.com"}},
				"3695": {Status: event.StatusOpen, Priority: event.Normal},
			}},
	}
	for _, s := range sites {
		t.Run(s.source+"/"+strings.SplitN(s.files[0], "_", 3)[0]+"_"+strings.SplitN(s.files[0], "_", 3)[1], func(t *testing.T) {
			playSite(t, s)
		})
	}
}

func playSite(t *testing.T, s site) {
	db := dynamotest.Client(t)
	store := dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
	secrets := map[string][]byte{"zendesk": []byte("z-secret"), "jira": []byte("j-secret"), "freshdesk": []byte("f-secret")}
	clock := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	h := &webhook.Handler{Store: store, Sources: webhook.Sources(policy.Default()), Secrets: secrets, Now: func() time.Time { return clock },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range s.files {
		body, err := os.ReadFile(filepath.Join("..", "..", "source", s.source, "testdata", "real", f))
		if err != nil {
			t.Fatal(err)
		}
		first := deliver(t, h, s.source, secrets[s.source], body, clock)
		// A redelivery, as a vendor retries: nothing new.
		again := deliver(t, h, s.source, secrets[s.source], body, clock)
		if again.Stored != 0 {
			t.Errorf("%s: a redelivery stored %d events", f, again.Stored)
		}
		if slices.Contains(s.empty, f) != (first.Stored == 0) {
			t.Errorf("%s stored %d events (expected none: %v)", f, first.Stored, slices.Contains(s.empty, f))
		}
		clock = clock.Add(time.Minute)
	}
	for id, want := range s.want {
		st, _, err := store.Ticket(context.Background(), s.source, id)
		if err != nil {
			t.Errorf("ticket %s: %v", id, err)
			continue
		}
		if diff := cmp.Diff(want, outcomeOf(st)); diff != "" {
			t.Errorf("ticket %s (-want +got):\n%s", id, diff)
		}
	}
}

// deliver posts one signed capture through the Lambda JSON layer; it must be
// accepted.
func deliver(t *testing.T, h *webhook.Handler, source string, secret, body []byte, now time.Time) event.Ingested {
	t.Helper()
	headers := map[string]string{"content-type": "application/json"}
	sign(source, secret, body, headers)
	if source == "zendesk" {
		headers["x-zendesk-webhook-signature-timestamp"] = now.Format(time.RFC3339)
		headers["x-zendesk-webhook-signature"] = zendesk.Sign(secret, now.Format(time.RFC3339), body)
	}
	req := events.APIGatewayV2HTTPRequest{
		RawPath: "/webhooks/" + source, PathParameters: map[string]string{"source": source},
		Headers: headers, Body: string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: http.MethodPost}},
	}
	payload, _ := json.Marshal(req)
	out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", source, resp.StatusCode, resp.Body)
	}
	var got event.Ingested
	json.Unmarshal([]byte(resp.Body), &got)
	return got
}
