package main

import "time"

// The tables in this file are the whole per-function configuration of the
// stack: adding a function (functions/<name>/main.go) is one entry in
// functions, plus its routes or schedule. A test fails when a folder under
// functions/ has no entry or an entry has no folder.

// function describes one Lambda function. Its code is
// <build dir>/<Name>/bootstrap, which `make build` compiles from
// functions/<Name> for linux/arm64; it runs on provided.al2023 on Graviton.
type function struct {
	// Name is the folder under functions/ (and under build/).
	Name        string
	Description string
	// MemoryMB also buys CPU: Lambda gives one full vCPU at 1769 MB.
	MemoryMB int
	Timeout  time.Duration
	// Concurrency is the reserved concurrency from the configuration
	// (<name>Concurrency); 0 leaves the function unreserved.
	Concurrency func(Config) int

	// TableActions are the DynamoDB actions the function's code calls on the
	// table (shared/aws/dynamo), IndexActions those on gsi1. Both are granted on
	// exactly the table's and the index's ARN.
	TableActions []string
	IndexActions []string
	// Secrets: the function reads the SSM parameters under SecretsPrefix at
	// start (shared/aws/secrets) and refuses to start without them.
	Secrets bool
	// SendsMail: the function sends mail, through SES as the configured
	// identity and configuration set, or through the SMTP relay (MAIL_RATE
	// and SES_CONFIGURATION_SET or SMTP_* in its environment).
	SendsMail bool
	// Stream: the function consumes the table's stream (the notifier), with
	// bisect-on-error, retries, partial batch failures and a dead-letter
	// queue, and an iterator-age alarm.
	Stream bool
}

// functions is the per-function table. Memory and timeouts come from the
// benchmarks (make bench) and DESIGN §6.
var functions = []function{
	{
		Name:        "webhook",
		Description: "POST /webhooks/{source}: verifies, normalises and stores ticket webhooks",
		// A webhook costs well under 1 ms of CPU and one item write per
		// event (and a read of its month index entry); the time is DynamoDB
		// round trips. 256 MB keeps cold starts of the static binary short;
		// 10 s stays inside API Gateway's 30 s and leaves room for the SDK's
		// retries of a throttled write.
		MemoryMB: 256,
		Timeout:  10 * time.Second,
		// Reserve (webhookConcurrency) so that a storm of redeliveries cannot
		// take the table's whole on-demand throughput from the monthly run;
		// unreserved, the API's throttling is the bound.
		Concurrency: func(c Config) int { return c.WebhookConcurrency },
		// PutItem: each event's item, the month index entries, and each
		// source's first webhook (dynamo.MarkSwitchover); GetItem: whether
		// the ticket has its month index entry; BatchWriteItem: people
		// records posted to /webhooks/records.
		TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem"},
		Secrets:      true,
	},
	{
		Name:        "monthly",
		Description: "The scheduled jobs: the monthly run (scores, consequences, results, mails) and the assessment round",
		// Scoring 1 000 000 tickets for 10 000 engineers takes a few minutes
		// of one core (make bench), memory growing with engineers: 1769 MB
		// is exactly one vCPU, and the run fits the 15-minute maximum with
		// room to resume (a rerun continues where a timed-out one stopped).
		MemoryMB: 1769,
		Timeout:  15 * time.Minute,
		// monthlyConcurrency 1 runs one copy at a time; unreserved, a second
		// copy (a manual rerun during the scheduled one) only races for the
		// same mail claims, which let each mail out once.
		Concurrency: func(c Config) int { return c.MonthlyConcurrency },
		TableActions: []string{
			"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
			"dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
		},
		IndexActions: []string{"dynamodb:Query"}, // the month and open-ticket index, the directory, assessments
		Secrets:      true,                       // the link-signing key of the assessment round's links
		SendsMail:    true,
	},
	formsFunction,
	notifierFunction,
}

// plannedFunctions are drafted entries whose routes and schedules are ready
// in this file but whose folders are not there yet; routes and schedules of a
// function not in functions are left out. The tests synthesize a stack with
// them deployed too. (forms and notifier started here.)
var plannedFunctions []function

// formsFunction serves the survey and assessment links; the DynamoDB actions
// are those of shared/aws/dynamo/surveys.go (Survey, Answer, OptOut) and
// people.go (Assessment, Submit).
var formsFunction = function{
	Name:        "forms",
	Description: "GET/POST /s/{token}, /a/{token}, /e/{token} and /d/{token}: the survey and assessment forms, the evidence pages and disputes behind signed links",
	// One page render or one answer: an item read and a write.
	MemoryMB: 256,
	Timeout:  10 * time.Second,
	// People clicking links from mail: a handful at a time. Reserving
	// (formsConcurrency) keeps a link-scanner storm from taking table
	// throughput.
	Concurrency: func(c Config) int { return c.FormsConcurrency },
	// BatchGetItem and Query: the evidence page reads a card with its
	// override, the run, the evidence, the disputes and the directory
	// (evidencepage); a dispute is opened and settled in a transaction of
	// Puts and an Update (dynamo/disputes.go).
	TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem", "dynamodb:Query"},
	IndexActions: []string{"dynamodb:Query"},
	Secrets:      true, // the link-signing key
}

// notifierFunction records and mails the survey a final resolution calls for,
// from the table's stream and from a sweep schedule for surveys whose delay
// has passed; the DynamoDB actions are those of shared/aws/dynamo/surveys.go
// (RecordSurvey's conditional Update, which returns the customer's item, and Put; DueSurveys, the
// claims, the addresses cached on customer items), the ticket an event
// names (a query of its partition) and the directory read (engineers' own
// tickets are not surveyed). It reads customers' addresses
// from the ticketing systems' APIs over the internet (no VPC).
var notifierFunction = function{
	Name:        "notifier",
	Description: "Records the survey due on each final resolution (table stream) and mails due surveys (sweep schedule)",
	// A batch of up to 100 stream records, each at most one transaction,
	// one address lookup (10 s at most) and one mail; a sweep stops 15 s
	// before its deadline and leaves the rest due.
	MemoryMB: 512,
	Timeout:  5 * time.Minute,
	// Best unreserved: a stream consumer runs one copy per shard, and a
	// reserved limit would only add throttles and iterator age.
	Concurrency: func(c Config) int { return c.NotifierConcurrency },
	TableActions: []string{
		"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem",
	},
	IndexActions: []string{"dynamodb:Query"}, // due surveys by time, the directory
	Secrets:      true,                       // the link-signing key, the ticketing systems' API credentials
	SendsMail:    true,
	Stream:       true,
}

// route is one HTTP API route to a function.
type route struct {
	Method   string // GET or POST
	Path     string
	Function string
}

// routes of the HTTP API (DESIGN §4). A route whose function is not in
// functions is not created.
var routes = []route{
	{"POST", "/webhooks/{source}", "webhook"},
	// Survey and assessment links: a GET only shows the form (mail scanners
	// prefetch links), the POST records. Enabled when "forms" is deployed.
	{"GET", "/s/{token}", "forms"},
	{"POST", "/s/{token}", "forms"},
	{"GET", "/a/{token}", "forms"},
	{"POST", "/a/{token}", "forms"},
	{"GET", "/e/{token}", "forms"},
	{"POST", "/e/{token}", "forms"}, // an engineer opens a dispute
	{"GET", "/d/{token}", "forms"},
	{"POST", "/d/{token}", "forms"}, // the lead settles it
	{"GET", "/q/{token}", "forms"},  // a quality review of a sampled ticket
	{"POST", "/q/{token}", "forms"},
}

// schedule is one EventBridge Scheduler schedule invoking a function.
type schedule struct {
	Name        string
	Description string
	Function    string
	// Expression is the schedule, in Config.TimeZone.
	Expression func(Config) string
	// Input is the event the function receives.
	Input string
}

// schedules invoke functions in the policy's time zone, with retries and
// the failed-runs dead-letter queue. A schedule of a function not in
// functions is left out.
var schedules = []schedule{
	{
		Name:        "Monthly",
		Description: "The monthly run on the 1st: scores the previous month and mails the results",
		Function:    "monthly",
		Expression:  func(c Config) string { return c.MonthlySchedule },
		Input:       "{}", // the previous month in the policy's time zone, with mail
	},
	{
		Name:        "SurveySweep",
		Description: "Mails the surveys whose delay has passed",
		Function:    "notifier",
		Expression:  func(Config) string { return "rate(15 minutes)" },
		Input:       "{}", // not stream records: a sweep
	},
	{
		Name:        "DisputeFollowUp",
		Description: "Every 10 minutes: mails new disputes to their leads and settled ones to their engineers, rescores months with accepted disputes, and mails the warnings and position adjustments whose dispute window has closed",
		Function:    "monthly",
		Expression:  func(Config) string { return "rate(10 minutes)" },
		Input:       `{"follow_up":true}`,
	},
	{
		Name:        "CheckIn",
		Description: "The mid-month check-in, daily: on the policy's check-in days it scores the month so far and mails the engineers below the pass mark or with tickets about to breach, and each lead the team's outlook",
		Function:    "monthly",
		Expression:  func(c Config) string { return c.RoundSchedule },
		Input:       `{"check_in":"tick"}`, // the policy decides whether today is a check-in day
	},
	{
		Name:        "AssessmentRound",
		Description: "The assessment round, daily: on the policy's day it mails the self- and lead-assessment links, later the reminders",
		Function:    "monthly",
		Expression:  func(c Config) string { return c.RoundSchedule },
		Input:       `{"round":"tick"}`, // shared/app/round decides what today holds
	},
}
