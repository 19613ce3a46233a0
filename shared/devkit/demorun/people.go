package demorun

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/app/round"
	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/source/generic"
)

var (
	assessLinkRE  = regexp.MustCompile(`href="(https?://[^"]+/a/[A-Za-z0-9_-]+)"`)
	assessInputRE = regexp.MustCompile(`name="(attitude|problem_solving|collaboration):([^"]+)"`)
)

// assess runs month m's assessment round: invitations on the round's day,
// the leads' and most engineers' answers over HTTP that afternoon, the
// reminder a day before the deadline to the rest.
func (r *runner) assess(ctx context.Context, m month.Month, p demo.People, ms *MonthSummary) error {
	mails := &capture{next: r.cfg.Mailer, meter: r.meter}
	rd := &round.Round{Store: r.cfg.Store, Mailer: mails, Policy: r.cfg.Policy, Key: r.cfg.Secrets.SigningKey,
		BaseURL: r.cfg.Gateway, Now: r.cfg.Clock.Now, Log: r.cfg.Log}
	day := round.Day(m, r.loc)
	r.cfg.Clock.Set(day.Add(10 * time.Hour))
	t0 := time.Now()
	if _, err := rd.Start(ctx, m); err != nil {
		return err
	}
	r.meter.add("monthly", time.Since(t0)) // the daily schedule's tick that starts the round
	managers := map[string]bool{}
	byEmail := map[string]demo.Engineer{}
	for _, e := range r.org.Engineers {
		managers[strings.ToLower(e.ManagerEmail)] = true
		byEmail[strings.ToLower(e.Email)] = e
	}
	r.cfg.Clock.Set(day.Add(15 * time.Hour))
	for _, sent := range mails.take() {
		link := assessLinkRE.FindStringSubmatch(sent.Mail.HTML)
		if link == nil || len(sent.To) != 1 {
			return fmt.Errorf("an invitation without its link")
		}
		to := strings.ToLower(sent.To[0])
		scores := p.Lead
		if !managers[to] {
			e, ok := byEmail[to]
			if _, answers := p.Self[e.ID]; !ok || !answers {
				continue // leaves it for the reminder
			}
			scores = p.Self
		}
		if err := r.submitAssessment(ctx, link[1], scores); err != nil {
			return fmt.Errorf("assessment of %s: %w", map[bool]string{true: "a team lead", false: "an engineer"}[managers[to]], err)
		}
		if managers[to] {
			ms.LeadForms++
		} else {
			ms.SelfForms++
		}
	}
	r.cfg.Clock.Set(rd.Deadline(m).Add(-r.cfg.Policy.Assessments.ReminderBefore.D()).Add(time.Hour))
	t0 = time.Now()
	sum, err := rd.Remind(ctx, m)
	r.meter.add("monthly", time.Since(t0))
	ms.Reminders = sum.Reminded
	mails.take()
	return err
}

// submitAssessment opens an assessment link and submits the scores of
// every engineer on the form.
func (r *runner) submitAssessment(ctx context.Context, link string, scores map[string]demo.Scores) error {
	page, err := r.get(ctx, link)
	if err != nil {
		return err
	}
	csrf := csrfRE.FindStringSubmatch(page)
	if csrf == nil {
		return fmt.Errorf("no form on the assessment page")
	}
	form := url.Values{"csrf": {csrf[1]}}
	for _, in := range assessInputRE.FindAllStringSubmatch(page, -1) {
		s, ok := scores[in[2]]
		if !ok {
			s = demo.Scores{Attitude: 80, ProblemSolving: 80, Collaboration: 80}
		}
		v := map[string]float64{"attitude": s.Attitude, "problem_solving": s.ProblemSolving, "collaboration": s.Collaboration}[in[1]]
		form.Set(in[0][len(`name="`):len(in[0])-1], strconv.FormatFloat(v, 'f', -1, 64))
	}
	page, err = r.postForm(ctx, link, form)
	if err != nil {
		return err
	}
	if !strings.Contains(page, `data-page="thanks"`) {
		return fmt.Errorf("the form was not accepted")
	}
	return nil
}

// sendRecords posts month m's records to the signed records webhook, as a
// learning system would, on the month's last day.
func (r *runner) sendRecords(ctx context.Context, m month.Month, p demo.People, ms *MonthSummary) error {
	r.cfg.Clock.Set(m.End(r.loc).Add(-2 * time.Hour))
	for start := 0; start < len(p.Records); start += records.MaxBatch {
		chunk := p.Records[start:min(len(p.Records), start+records.MaxBatch)]
		body, err := recordsBody(chunk)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(r.cfg.Gateway, "/")+"/webhooks/records", strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(generic.SignatureHeader, generic.Sign(r.cfg.Secrets.Webhook["records"], body))
		if _, err := r.page(req); err != nil {
			return fmt.Errorf("records webhook: %w", err)
		}
		ms.Records += len(chunk)
	}
	return nil
}

// recordsBody is the records webhook's JSON for records.
func recordsBody(recs []records.Record) ([]byte, error) {
	type wire struct {
		Kind       records.Kind `json:"kind"`
		ID         string       `json:"id"`
		EngineerID string       `json:"engineer_id"`
		Date       string       `json:"date"`
		Hours      *float64     `json:"hours,omitempty"`
		Course     string       `json:"course,omitempty"`
		Assigned   *bool        `json:"assigned,omitempty"`
		Completed  *bool        `json:"completed,omitempty"`
		Score      *float64     `json:"score,omitempty"`
		Activity   string       `json:"activity,omitempty"`
		Attended   *bool        `json:"attended,omitempty"`
		Count      int          `json:"count,omitempty"`
		CustomerID string       `json:"customer_id,omitempty"`
		Renewed    *bool        `json:"renewed,omitempty"`
	}
	out := struct {
		Records []wire `json:"records"`
	}{}
	for _, rec := range recs {
		w := wire{Kind: rec.Kind, ID: rec.ID, EngineerID: rec.EngineerID, Date: rec.Date.Format(time.DateOnly), Course: rec.Course}
		switch rec.Kind {
		case records.Training:
			w.Hours, w.Assigned, w.Completed = &rec.Hours, &rec.Assigned, &rec.Completed
		case records.Knowledge:
			w.Score = &rec.Score
		case records.Collaboration:
			w.Activity, w.Count = rec.Activity, rec.Count
			if rec.Activity == records.SkillSession {
				w.Attended = &rec.Attended
			}
		case records.Renewals:
			w.CustomerID, w.Renewed = rec.CustomerID, &rec.Renewed
		}
		out.Records = append(out.Records, w)
	}
	return json.Marshal(out)
}

// runMonth is the scheduled monthly run at 06:00 on the 1st: it stores the
// month's cards, mails the reports and writes them under Out/reports.
func (r *runner) runMonth(ctx context.Context, m month.Month, ms *MonthSummary) ([]scoring.Card, error) {
	r.cfg.Clock.Set(m.End(r.loc).Add(6 * time.Hour))
	mails := &capture{next: r.cfg.Mailer, meter: r.meter}
	dir := filepath.Join(r.cfg.Out, "reports")
	run := &monthly.Runner{
		Store: r.cfg.Store, Mailer: mails, Policy: r.cfg.Policy, Now: r.cfg.Clock.Now, Log: r.cfg.Log,
		Key: r.cfg.Secrets.SigningKey, BaseURL: r.cfg.Gateway,
		Out: func(name string, data []byte) error {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			return os.WriteFile(path, data, 0o644)
		},
	}
	t0 := time.Now()
	sum, err := run.Run(ctx, monthly.Request{Month: m.String()})
	ms.RunTime = time.Since(t0)
	r.meter.add("monthly", ms.RunTime)
	ms.Tickets, ms.MailsSent = sum.Tickets, sum.Sent
	mails.take()
	if err != nil {
		return nil, err
	}
	return r.cfg.Store.Results(ctx, m)
}
