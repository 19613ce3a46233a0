package demorun

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/event"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/cost"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/replay"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/vendorapi"
)

// Clock is the simulated time the gateway and every job read.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Mailer sends one mail (the SES adapter).
type Mailer interface {
	Send(ctx context.Context, to []string, m mail.Mail) (string, error)
}

// Config is what a demo run needs.
type Config struct {
	Demo    demo.Config
	Policy  *policy.Policy
	Store   *dynamo.Store // an empty table
	Mailer  Mailer        // to the SES server
	Secrets secrets.Secrets
	Gateway string // base URL of the local gateway, which reads Clock
	Clock   *Clock
	// Instances, when set, are the clocks of as many more instances of
	// the gateway at the same URL, each reached with InstanceHeader (as
	// many function instances would be): the customers answering surveys
	// use them to answer at once, each at the time they answered.
	Instances []*Clock
	SES       string // the SES server's URL, for its mail list
	Out       string // where the generated files, reports and screenshots go
	Senders   int    // concurrent webhook senders
	// Capacity, when set, is the store's client's request-unit counter
	// (dynamo.Capacity): the run's AWS cost is estimated from it.
	Capacity *dynamo.Capacity
	// Chromium is the browser for the screenshots; none are taken if it
	// is not installed.
	Chromium string
	Progress io.Writer
	Log      *slog.Logger
	// HistoryTickets, when above 0, imports the month before the first
	// live one from a local fake of each ticketing system's API, that many
	// tickets each, before the live months (scorecard history import).
	HistoryTickets int
}

// Summary is what a demo run did, month by month.
type Summary struct {
	Org       demo.Org
	Months    []MonthSummary
	Cards     map[month.Month][]scoring.Card
	Elapsed   time.Duration
	MailsSES  int    // mails the SES server holds at the end
	SESPage   string // the SES server's page listing them
	MailList  string // the same list as a file
	Out       string
	Reports   []string        // one manager report per team and month, HTML
	Shots     []string        // screenshots taken
	Lookups   map[string]int  // the ticketing systems' API requests by vendor and answer
	History   *HistorySummary // the month imported from history, if any
	ShotError string          // why none were taken, if so
	Tickets   int             // tickets generated
	Usage     cost.Usage
	Units     []dynamo.KindUse // DynamoDB's units by kind of item
	Bill      []cost.Line      // Usage at list prices
}

// MonthSummary is one month of a demo run.
type MonthSummary struct {
	Month month.Month
	// Ingestion.
	Events     int            // ticket events delivered (survey answers excluded)
	Requests   map[string]int // webhook requests by source
	Retries    int            // 503s answered by a retry
	IngestTime time.Duration
	Duplicates int // events the store had already
	// Surveys.
	Resolved       int // tickets resolved in the month
	SurveysMailed  int
	BySource       map[string]*SourceSurveys // resolved and surveyed tickets by source
	Answers        int                       // answered through the links
	AnswersSkipped int                       // generated answers of customers the product did not survey
	// Assessments and records.
	LeadForms, SelfForms, Reminders int
	Records                         int
	// The monthly run.
	Tickets   int
	RunTime   time.Duration
	MailsSent int
	// Disputes after the run: opened, settled, months rescored, and the
	// held notices mailed or withdrawn once the window closed.
	Disputes, Accepted, Rejected, Rescored int
	NoticesSent, Withdrawn                 int
	// Reviews are the quality reviews the leads sent of the month's sample.
	Reviews int
	// CheckIns are the month's mid-month check-ins, in order.
	CheckIns []CheckInSummary
}

// SourceSurveys counts one source's resolved and surveyed tickets.
type SourceSurveys struct{ Resolved, Surveyed int }

// Run plays cfg.Demo's months through the local stack.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	start := time.Now()
	r, err := newRunner(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer r.vendors.Close()
	sum := &Summary{Org: r.org, Cards: map[month.Month][]scoring.Card{}, Out: cfg.Out, SESPage: cfg.SES}
	r.progress("directory: %d engineers in %d teams (%s)", len(r.org.Engineers), len(r.org.Teams), filepath.Join(cfg.Out, "engineers.csv"))
	if cfg.HistoryTickets > 0 {
		h := r.cfg.Demo.Start.Add(-1)
		hs, cards, err := r.historyMonth(ctx, h, cfg.HistoryTickets)
		if err != nil {
			return sum, fmt.Errorf("%s (history): %w", h, err)
		}
		sum.History = &hs
		sum.Cards[h] = cards
		for _, team := range r.org.Teams {
			sum.Reports = append(sum.Reports, filepath.Join(cfg.Out, "reports", h.String(), reportName(team)+".html"))
		}
	}
	for i := range r.cfg.Demo.Months {
		m := r.cfg.Demo.Start.Add(i)
		ms, cards, err := r.month(ctx, i, m)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", m, err)
		}
		sum.Months = append(sum.Months, ms)
		sum.Cards[m] = cards
		for _, team := range r.org.Teams {
			sum.Reports = append(sum.Reports, filepath.Join(cfg.Out, "reports", m.String(), reportName(team)+".html"))
		}
	}
	sum.Tickets = len(r.plan.Tickets)
	read, write := 0.0, 0.0
	if cfg.Capacity != nil {
		read, write = cfg.Capacity.Read(), cfg.Capacity.Write()
		sum.Units = cfg.Capacity.Kinds()
	}
	sum.Usage = r.meter.usage(read, write)
	sum.Bill = cost.ListPrices().Bill(sum.Usage)
	sum.MailList = filepath.Join(cfg.Out, "mails.tsv")
	if sum.MailsSES, err = listSESMails(ctx, cfg.SES, sum.MailList); err != nil {
		sum.MailList = ""
		r.progress("the SES server's mail list: %v", err)
	}
	sum.Lookups = r.fake.Requests()
	sum.Shots, sum.ShotError = r.screenshots(ctx, sum)
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// runner holds a run's generated data and connections.
type runner struct {
	cfg    Config
	loc    *time.Location
	org    demo.Org
	people []demo.People
	plan   replay.Plan
	events map[string][]event.Event // generic-source tickets' events, by ticket
	// resolving holds when each ticket was resolved or closed, by its id in
	// the generated events: the tickets a period's surveys can be for.
	resolving map[string][]time.Time
	answers   []demo.Event // the generated survey answers, in time order
	surveys   *surveyLog
	http      *http.Client
	meter     *meter
	// The ticketing systems' APIs, on loopback: the addresses of customers
	// the Zendesk and Jira webhooks name only by id.
	fake     *vendorfake.Server
	vendors  *httptest.Server
	contacts map[string]notifier.ContactLookup
}

func newRunner(ctx context.Context, cfg Config) (*runner, error) {
	if cfg.Senders < 1 {
		cfg.Senders = 8
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if err := cfg.Demo.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, loc: cfg.Policy.Location(), surveys: newSurveyLog(), meter: newMeter()}
	r.http = &http.Client{
		Transport: meteredTransport{next: &http.Transport{MaxIdleConnsPerHost: cfg.Senders + 2}, meter: r.meter},
		Timeout:   60 * time.Second,
	}
	t0 := time.Now()
	org, generated := demo.Generate(cfg.Demo)
	r.org = org
	r.people = demo.GeneratePeople(cfg.Demo, org)
	if err := r.writeInputs(generated); err != nil {
		return nil, err
	}
	var tickets []demo.Event
	for _, g := range generated {
		if g.Type == demo.TypeSurveyAnswered {
			r.answers = append(r.answers, g)
			continue
		}
		tickets = append(tickets, g)
	}
	evs, err := demo.ModelEvents(tickets)
	if err != nil {
		return nil, err
	}
	plan, err := replay.Replay(evs, replay.Options{Secrets: replay.Secrets(cfg.Secrets.Webhook), Agents: org.AgentIDs(), Now: cfg.Clock.Now()})
	if err != nil {
		return nil, err
	}
	r.plan = plan
	r.events = map[string][]event.Event{}
	r.resolving = map[string][]time.Time{}
	for _, e := range evs {
		if e.Type == event.StatusChanged && e.Status.Done() {
			r.resolving[e.TicketID] = append(r.resolving[e.TicketID], e.OccurredAt)
		}
		if plan.Tickets[e.TicketID] == "generic" {
			r.events[e.TicketID] = append(r.events[e.TicketID], e)
		}
	}
	if err := r.startVendors(evs); err != nil {
		return nil, err
	}
	r.progress("generated %d tickets, %d events and %d survey answers over %d months in %s; %d events go generic where a system cannot carry them (%s)",
		len(plan.Tickets), len(evs), len(r.answers), cfg.Demo.Months, time.Since(t0).Round(time.Millisecond), fallbacks(plan), filepath.Join(cfg.Out, "events.jsonl"))
	return r, r.putDirectory(ctx)
}

// startVendors serves the ticketing systems' user APIs with the generated
// customers, as the accounts the webhooks come from know them.
func (r *runner) startVendors(evs []event.Event) error {
	people := map[string]map[string]vendorfake.Person{}
	for _, e := range evs {
		src := r.plan.Tickets[e.TicketID]
		if e.Customer == nil || e.Customer.ID == "" || src == "generic" {
			continue
		}
		if people[src] == nil {
			people[src] = map[string]vendorfake.Person{}
		}
		people[src][e.Customer.ID] = vendorfake.Person{Email: e.Customer.Email, Name: e.Customer.Name}
	}
	r.fake = &vendorfake.Server{People: people, User: "demo@example.com/token", Token: "demo-api-token", Now: time.Now}
	r.vendors = httptest.NewServer(r.fake)
	creds := map[string]vendorapi.Credentials{}
	for _, src := range source.WithAPI() {
		creds[src] = r.fake.Credentials(r.vendors.URL, src)
	}
	var err error
	r.contacts, err = notifier.Lookups(creds, time.Now)
	return err
}

// writeInputs keeps the generated organisation and events beside the
// reports: the same files `scorecard score-file` reads.
func (r *runner) writeInputs(evs []demo.Event) error {
	var csv, jsonl bytes.Buffer
	if err := demo.WriteEngineersCSV(&csv, r.org); err != nil {
		return err
	}
	if err := demo.WriteJSONL(&jsonl, evs); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.cfg.Out, "engineers.csv"), csv.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(r.cfg.Out, "events.jsonl"), jsonl.Bytes(), 0o644)
}

// putDirectory imports the engineers CSV as `scorecard import engineers`
// does.
func (r *runner) putDirectory(ctx context.Context) error {
	f, err := os.Open(filepath.Join(r.cfg.Out, "engineers.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	engs, err := source.Directory().ParseCSV(f)
	if err != nil {
		return err
	}
	// The new hire's accounts in the ticketing systems are newer than the
	// CSV: the admin adds them, and the replay sends his own agent id.
	for i := range engs {
		for _, src := range source.Names() {
			if engs[i].External[src] == "" && engs[i].External[generic.Source] != "" {
				engs[i].External[src] = engs[i].External[generic.Source]
			}
		}
	}
	return r.cfg.Store.PutEngineers(ctx, engs)
}

func fallbacks(p replay.Plan) int {
	n := 0
	for _, c := range p.Fallbacks {
		n += c
	}
	return n
}

// month plays month m (the i-th) through the stack.
func (r *runner) month(ctx context.Context, i int, m month.Month) (MonthSummary, []scoring.Card, error) {
	ms := MonthSummary{Month: m, Requests: map[string]int{}}
	from, to := m.Start(r.loc), m.End(r.loc)
	if i == 0 {
		from = time.Time{} // nothing is sent before the first month; be safe
	}
	// The month arrives as the systems send it: up to each check-in
	// moment (the 10th and 20th at 09:00), the check-in, then on.
	cuts := r.checkInTimes(m)
	bounds := slices.Concat([]time.Time{from}, cuts, []time.Time{to})
	var surveyTime, answerTime, checkInTime time.Duration
	for k := 0; k+1 < len(bounds); k++ {
		t0 := time.Now()
		keys, err := r.ingest(ctx, bounds[k], bounds[k+1], &ms)
		if err != nil {
			return ms, nil, err
		}
		ms.IngestTime += time.Since(t0)
		t0 = time.Now()
		if err := r.survey(ctx, keys, bounds[k], bounds[k+1], &ms); err != nil {
			return ms, nil, err
		}
		surveyTime += time.Since(t0)
		t0 = time.Now()
		if err := r.answer(ctx, bounds[k], bounds[k+1], &ms); err != nil {
			return ms, nil, err
		}
		answerTime += time.Since(t0)
		if k < len(cuts) {
			t0 = time.Now()
			if err := r.checkIn(ctx, m, cuts[k], &ms); err != nil {
				return ms, nil, err
			}
			checkInTime += time.Since(t0)
		}
	}
	r.meter.records.Add(int64(ms.Events - ms.Duplicates))
	var bySource []string
	for _, src := range source.Names() {
		bySource = append(bySource, fmt.Sprintf("%s %d", src, ms.Requests[src]))
	}
	r.progress("%s  webhooks: %d events in %d requests (%s) in %s, %d retried after 503",
		m, ms.Events, total(ms.Requests), strings.Join(bySource, ", "), ms.IngestTime.Round(time.Second), ms.Retries)
	r.meter.records.Add(int64(ms.Answers))
	r.progress("%s  surveys: %d tickets resolved, %d surveys mailed in %s, %d answered through their links in %s (%d answers of customers not surveyed left out); the check-ins took %s",
		m, ms.Resolved, ms.SurveysMailed, surveyTime.Round(time.Second), ms.Answers, answerTime.Round(time.Second), ms.AnswersSkipped, checkInTime.Round(time.Second))

	t0 := time.Now()
	if err := r.assess(ctx, m, r.people[i], &ms); err != nil {
		return ms, nil, err
	}
	if err := r.sendRecords(ctx, m, r.people[i], &ms); err != nil {
		return ms, nil, err
	}
	r.progress("%s  people: %d lead and %d self assessments submitted, %d reminders; %d records on the records webhook, in %s", m, ms.LeadForms, ms.SelfForms, ms.Reminders, ms.Records, time.Since(t0).Round(time.Second))

	cards, err := r.runMonth(ctx, m, &ms)
	if err != nil {
		return ms, nil, err
	}
	r.progress("%s  monthly run: %d engineers, %d tickets, %d mails, in %s", m, len(cards), ms.Tickets, ms.MailsSent, ms.RunTime.Round(time.Millisecond))
	t0 = time.Now()
	if cards, err = r.disputeMonth(ctx, m, cards, &ms); err != nil {
		return ms, nil, err
	}
	r.progress("%s  disputes and quality reviews took %s", m, time.Since(t0).Round(time.Second))
	return ms, cards, nil
}

func (r *runner) progress(format string, args ...any) {
	fmt.Fprintf(r.cfg.Progress, format+"\n", args...)
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// reportName is the file name the monthly run gives a team's report.
func reportName(team string) string { return "team-" + team }
