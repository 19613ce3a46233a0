package demorun

import (
	"cmp"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"scorecard/shared/app/notifier"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/replay"
)

// capture passes mails on to the SES server and keeps the last one, so
// that the demo can follow its links as the recipient would.
type capture struct {
	next  Mailer
	meter *meter
	mu    sync.Mutex
	sent  []sentMail
}

type sentMail struct {
	To   []string
	Mail mail.Mail
}

func (c *capture) Send(ctx context.Context, to []string, m mail.Mail) (string, error) {
	id, err := c.next.Send(ctx, to, m)
	if err == nil {
		c.meter.mails.Add(1)
		for _, a := range m.Attachments {
			c.meter.attached.Add(int64(len(a.Data)))
		}
		for _, a := range m.Inline {
			c.meter.attached.Add(int64(len(a.Data)))
		}
		c.mu.Lock()
		c.sent = append(c.sent, sentMail{To: to, Mail: m})
		c.mu.Unlock()
	}
	return id, err
}

// take returns the mails sent since the last take.
func (c *capture) take() []sentMail {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sent
	c.sent = nil
	return out
}

// surveyLog remembers the surveys mailed per ticket, with their links.
type surveyLog struct {
	mu     sync.Mutex
	byTick map[dynamo.TicketKey][]mailedSurvey
}

type mailedSurvey struct {
	ResolvedAt time.Time
	Links      []string // the five rating links, 1 to 5
}

func newSurveyLog() *surveyLog { return &surveyLog{byTick: map[dynamo.TicketKey][]mailedSurvey{}} }

func (l *surveyLog) add(k dynamo.TicketKey, s mailedSurvey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byTick[k] = append(l.byTick[k], s)
}

// before is the last survey of ticket k for a resolution at or before t.
func (l *surveyLog) before(k dynamo.TicketKey, t time.Time) (mailedSurvey, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var found mailedSurvey
	ok := false
	for _, s := range l.byTick[k] {
		if !s.ResolvedAt.After(t) && (!ok || s.ResolvedAt.After(found.ResolvedAt)) {
			found, ok = s, true
		}
	}
	return found, ok
}

var surveyLinkRE = regexp.MustCompile(`href="(https?://[^"]+/s/[A-Za-z0-9_-]+)"`)

// survey hands every ticket resolved in [from, to) to the notifier, as the
// table's stream would, at its resolution time plus the policy's delay.
// One customer's tickets go in order (the quiet period depends on it);
// customers in parallel.
func (r *runner) survey(ctx context.Context, keys []dynamo.TicketKey, from, to time.Time, ms *MonthSummary) error {
	slices.SortFunc(keys, func(a, b dynamo.TicketKey) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	byCustomer := map[string][]*ticket.State{}
	for st, err := range r.cfg.Store.Tickets(ctx, keys) {
		if err != nil {
			return err
		}
		res, ok := st.FinalResolution()
		if !ok || res.At.Before(from) || !res.At.Before(to) {
			continue
		}
		ms.Resolved++
		ms.source(st.Source).Resolved++
		if st.Customer == nil {
			continue
		}
		k := notifier.CustomerKey(st.Source, st.Customer.ID, st.Customer.Email)
		byCustomer[k] = append(byCustomer[k], st)
	}
	groups := make([][]*ticket.State, 0, len(byCustomer))
	for _, g := range byCustomer {
		slices.SortFunc(g, func(a, b *ticket.State) int {
			ra, _ := a.FinalResolution()
			rb, _ := b.FinalResolution()
			return ra.At.Compare(rb.At)
		})
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b []*ticket.State) int { return cmp.Compare(a[0].ID, b[0].ID) })

	// Workers take batches of up to 100 tickets, whole customers, as a
	// stream batch: the notifier reads their surveys in one call.
	var batches [][]*ticket.State
	for _, g := range groups {
		if n := len(batches); n == 0 || len(batches[n-1])+len(g) > 100 {
			batches = append(batches, nil)
		}
		batches[len(batches)-1] = append(batches[len(batches)-1], g...)
	}

	rules := notifier.RulesFrom(r.cfg.Policy)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan []*ticket.State)
	)
	for range r.cfg.Senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var now time.Time
			mails := &capture{next: r.cfg.Mailer, meter: r.meter}
			n := &notifier.Notifier{
				Store: r.cfg.Store, Mailer: mails, Key: r.cfg.Secrets.SigningKey, BaseURL: r.cfg.Gateway,
				Rules: rules, Now: func() time.Time { return now }, Log: r.cfg.Log,
				Contacts: r.contacts, Cache: r.cfg.Store,
				Engineers: &notifier.DirectoryEngineers{Load: r.cfg.Store.Engineers, TTL: time.Hour, Now: time.Now},
			}
			for g := range next {
				t0 := time.Now()
				if err := n.Prefetch(ctx, g); err != nil {
					r.cfg.Log.Warn("surveys not read in a batch", "err", err)
				}
				r.meter.addTime("notifier", time.Since(t0))
				for _, st := range g {
					res, _ := st.FinalResolution()
					now = res.At.Add(rules.Delay)
					t0 := time.Now()
					err := n.Consider(ctx, st)
					r.meter.addTime("notifier", time.Since(t0))
					sent := mails.take()
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("survey for %s ticket %s: %w", st.Source, st.ID, err)
					}
					for _, m := range sent {
						var links []string
						for _, l := range surveyLinkRE.FindAllStringSubmatch(m.Mail.HTML, -1) {
							links = append(links, l[1])
						}
						if len(links) < 5 {
							if firstErr == nil {
								firstErr = fmt.Errorf("survey mail for %s ticket %s has %d links", st.Source, st.ID, len(links))
							}
							continue
						}
						r.surveys.add(dynamo.TicketKey{Source: st.Source, ID: st.ID}, mailedSurvey{ResolvedAt: res.At, Links: links[:5]})
						ms.SurveysMailed++
						ms.source(st.Source).Surveyed++
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, b := range batches {
		next <- b
	}
	close(next)
	wg.Wait()
	return firstErr
}

// source is the month's counts of one source.
func (ms *MonthSummary) source(name string) *SourceSurveys {
	if ms.BySource == nil {
		ms.BySource = map[string]*SourceSurveys{}
	}
	if ms.BySource[name] == nil {
		ms.BySource[name] = &SourceSurveys{}
	}
	return ms.BySource[name]
}

// answer plays the generated survey answers of [from, to): each customer
// who was surveyed opens the link for their rating at the time they
// answered, and submits the form. With the gateway's instances
// (Config.Instances) customers answer at once, each instance on its own
// clock and one ticket's answers in order on one instance; without, one
// at a time on the gateway's clock.
func (r *runner) answer(ctx context.Context, from, to time.Time, ms *MonthSummary) error {
	type answer struct {
		demo.Event
		link string
	}
	queues := make([][]answer, max(1, len(r.cfg.Instances)))
	for _, a := range r.answers {
		if a.OccurredAt.Before(from) || !a.OccurredAt.Before(to) {
			continue
		}
		source := r.plan.Tickets[a.TicketID]
		vendor, err := replay.VendorTicketID(source, a.TicketID)
		if err != nil {
			return err
		}
		sv, ok := r.surveys.before(dynamo.TicketKey{Source: source, ID: vendor}, a.OccurredAt)
		if !ok || a.Rating < 1 || a.Rating > 5 {
			ms.AnswersSkipped++
			continue
		}
		q := int(crc32.ChecksumIEEE([]byte(a.TicketID)) % uint32(len(queues)))
		queues[q] = append(queues[q], answer{a, sv.Links[a.Rating-1]})
	}
	errs := make([]error, len(queues))
	var wg sync.WaitGroup
	for i, q := range queues {
		clock, ctx := r.cfg.Clock, ctx
		if len(r.cfg.Instances) > 0 {
			clock, ctx = r.cfg.Instances[i], context.WithValue(ctx, instanceKey{}, i)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, a := range q {
				clock.Set(a.OccurredAt)
				if err := r.submitSurvey(ctx, a.link, a.Event); err != nil {
					errs[i] = fmt.Errorf("answer the survey of ticket %s: %w", a.TicketID, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, q := range queues {
		if errs[i] != nil {
			return errs[i]
		}
		ms.Answers += len(q)
	}
	return nil
}

// InstanceHeader names the gateway instance (Config.Instances) a request
// is for.
const InstanceHeader = "X-Demo-Instance"

// instanceKey is the context key of the instance a request goes to.
type instanceKey struct{}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// submitSurvey opens a rating link and submits its form as the customer.
func (r *runner) submitSurvey(ctx context.Context, link string, a demo.Event) error {
	page, err := r.get(ctx, link)
	if err != nil {
		return err
	}
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("no form on the survey page")
	}
	form := url.Values{"csrf": {m[1]}, "rating": {strconv.Itoa(a.Rating)}}
	if a.Solved != nil {
		form.Set("solved", map[bool]string{true: "yes", false: "no"}[*a.Solved])
	}
	if a.Comment != "" {
		form.Set("comment", a.Comment)
	}
	page, err = r.postForm(ctx, link, form)
	if err != nil {
		return err
	}
	if !strings.Contains(page, `data-page="thanks"`) {
		return fmt.Errorf("the survey did not thank the customer")
	}
	return nil
}

// get fetches a page; anything but 200 is an error.
func (r *runner) get(ctx context.Context, link string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", err
	}
	return r.page(req)
}

// postForm submits a form to link from a page of the gateway.
func (r *runner) postForm(ctx context.Context, link string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", strings.TrimRight(r.cfg.Gateway, "/"))
	return r.page(req)
}

func (r *runner) page(req *http.Request) (string, error) {
	if i, ok := req.Context().Value(instanceKey{}).(int); ok {
		req.Header.Set(InstanceHeader, strconv.Itoa(i))
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s %s: %d", req.Method, req.URL.Path[:min(len(req.URL.Path), 12)], resp.StatusCode)
	}
	return string(b), nil
}
