package demorun

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chromedp/chromedp"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/cost"
)

// listSESMails writes the SES server's mails as a list (time, recipients,
// subject) to path, so that they can be looked through after the server
// stops, and returns how many there are.
func listSESMails(ctx context.Context, ses, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(ses, "/")+"/store", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var store struct {
		Emails []struct {
			At          float64 `json:"at"`
			Subject     string  `json:"subject"`
			Destination struct {
				To []string `json:"to"`
			} `json:"destination"`
		} `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		return 0, err
	}
	var b strings.Builder
	b.WriteString("received\tto\tsubject\n")
	for _, m := range store.Emails {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", time.Unix(int64(m.At), 0).UTC().Format(time.RFC3339), strings.Join(m.Destination.To, ","), m.Subject)
	}
	return len(store.Emails), os.WriteFile(path, []byte(b.String()), 0o644)
}

// screenshots renders the last month's report of the team with the most
// consequences in headless Chromium. (The SES server's own page lists the
// mails while it runs; with thousands of them it is a page to browse, not
// to capture.)
func (r *runner) screenshots(ctx context.Context, sum *Summary) ([]string, string) {
	if r.cfg.Chromium == "" {
		return nil, "no browser configured"
	}
	if _, err := os.Stat(r.cfg.Chromium); err != nil {
		return nil, fmt.Sprintf("%s is not installed (scripts/chromium.sh installs it)", r.cfg.Chromium)
	}
	if len(sum.Months) == 0 {
		return nil, "no month was run"
	}
	last := sum.Months[len(sum.Months)-1].Month
	team := busiestTeam(sum.Cards[last])
	report, err := filepath.Abs(filepath.Join(r.cfg.Out, "reports", last.String(), reportName(team)+".html"))
	if err != nil {
		return nil, err.Error()
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(r.cfg.Chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1100, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	timer := time.AfterFunc(2*time.Minute, cancel)
	defer timer.Stop()
	// The first action starts the browser: not under a timeout, which
	// would stop it.
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Sprintf("start %s: %v", r.cfg.Chromium, err)
	}
	var shots []string
	shoot := func(page, name string) error {
		wctx, cancelShot := context.WithTimeout(bctx, 60*time.Second)
		defer cancelShot()
		err := chromedp.Do(wctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.CSS("table")))
		var buf []byte
		if err == nil {
			buf, err = chromedp.Run(wctx, chromedp.FullScreenshot(100))
		}
		if err != nil {
			return fmt.Errorf("screenshot of %s: %w", page, err)
		}
		path := filepath.Join(r.cfg.Out, name)
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			return err
		}
		shots = append(shots, path)
		return nil
	}
	if err := shoot(report, "report.png"); err != nil {
		return shots, err.Error()
	}
	// The last check-in of the last month: the same team's lead summary
	// and the mail of one engineer it told.
	cis := sum.Months[len(sum.Months)-1].CheckIns
	if len(cis) == 0 {
		return shots, ""
	}
	ci := cis[len(cis)-1]
	dir, err := filepath.Abs(filepath.Join(r.cfg.Out, "checkins", ci.Day))
	if err != nil {
		return shots, err.Error()
	}
	if err := shoot(filepath.Join(dir, "lead-"+fileName(team)+".html"), "checkin-lead.png"); err != nil {
		return shots, err.Error()
	}
	told := ci.Told
	for _, id := range ci.Told {
		if ci.Teams[id] == team {
			told = []string{id}
			break
		}
	}
	if len(told) > 0 {
		if err := shoot(filepath.Join(dir, "engineer-"+fileName(told[0])+".html"), "checkin-engineer.png"); err != nil {
			return shots, err.Error()
		}
	}
	return shots, ""
}

// busiestTeam is the team with the most warnings and position adjustments
// (the first team if none).
func busiestTeam(cards []scoring.Card) string {
	count := map[string]int{}
	var teams []string
	for _, c := range cards {
		if _, ok := count[c.Team]; !ok {
			teams = append(teams, c.Team)
		}
		for _, q := range c.Consequences {
			if q.Kind == consequence.Warning || q.Kind == consequence.PositionAdjustment {
				count[c.Team]++
			}
		}
	}
	slices.Sort(teams)
	best := ""
	for _, t := range teams {
		if best == "" || count[t] > count[best] {
			best = t
		}
	}
	return best
}

// Print writes the demo's closing table and where to look.
func (s *Summary) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MONTH\tEVENTS\tREQUESTS\tRETRIES\tRESOLVED\tSURVEYED\tANSWERED\tLEAD/SELF\tRECORDS\tSCORED\tMEETS\tBELOW\tNO DATA\tMAILS\tINGEST\tRUN\t")
	months := s.Months
	if s.History != nil {
		months = append([]MonthSummary{s.History.MonthSummary}, months...)
	}
	for _, m := range months {
		cards := s.Cards[m.Month]
		meets, below, none := 0, 0, 0
		for _, c := range cards {
			switch {
			case c.MeetsStandard == nil:
				none++
			case *c.MeetsStandard:
				meets++
			default:
				below++
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d/%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", m.Month, m.Events, total(m.Requests), m.Retries,
			m.Resolved, m.SurveysMailed, m.Answers, m.LeadForms, m.SelfForms, m.Records, len(cards), meets, below, none,
			m.MailsSent, m.IngestTime.Round(time.Second), m.RunTime.Round(100*time.Millisecond))
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MONTH\tSOURCE\tRESOLVED\tSURVEYED\tSHARE\t")
	for _, m := range s.Months {
		for _, src := range slices.Sorted(maps.Keys(m.BySource)) {
			c := m.BySource[src]
			share := "—"
			if c.Resolved > 0 {
				share = fmt.Sprintf("%.0f %%", 100*float64(c.Surveyed)/float64(c.Resolved))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t\n", m.Month, src, c.Resolved, c.Surveyed, share)
		}
	}
	tw.Flush()
	if h := s.History; h != nil {
		fmt.Fprintf(w, "%s was imported from the ticketing systems' APIs (local fakes) on day one and scored from history: no surveys, no notices.\n", h.Month)
		for _, src := range slices.Sorted(maps.Keys(h.Imports)) {
			st := h.Imports[src]
			fmt.Fprintf(w, "  %-9s %d tickets, %d events stored from %d pages in %d requests (%.1f per 1 000 tickets), %d waits\n",
				src, h.PerSource[src], st.Stored, st.Pages, st.Requests, 1000*float64(st.Requests)/float64(max(1, h.PerSource[src])), st.Waits)
		}
	}
	for _, m := range s.Months {
		if m.Disputes > 0 {
			fmt.Fprintf(w, "%s disputes: %d opened by engineers below the standard from their evidence pages, %d accepted by their leads (the month rescored), %d rejected; after the window %d warning/position-adjustment notices went out, %d withdrawn.\n",
				m.Month, m.Disputes, m.Accepted, m.Rejected, m.NoticesSent, m.Withdrawn)
		}
	}
	for _, m := range s.Months {
		if m.Reviews == 0 {
			continue
		}
		var sum float64
		n := 0
		for _, c := range s.Cards[m.Month] {
			if v := c.Metrics[metric.QualityReviewScore].Value; v != nil {
				sum += *v
				n++
			}
		}
		mean := "—"
		if n > 0 {
			mean = fmt.Sprintf("%.1f", sum/float64(n))
		}
		fmt.Fprintf(w, "%s quality reviews: %d reviews of the month's sample by the leads (harshness %v); %d engineers with a ticket quality score, mean %s; the next month's team reports show the reviewers' calibration.\n",
			m.Month, m.Reviews, Harshness, n, mean)
	}
	for _, m := range s.Months {
		for _, c := range m.CheckIns {
			few := 0
			for _, q := range c.Quiet {
				if q == checkin.QuietFewTickets {
					few++
				}
			}
			fmt.Fprintf(w, "%s check-in: %d engineers told where their month is heading (%d quiet, %d of them with too few tickets so far), %d heading for a warning or position adjustment, %d lead summaries; the rerun that day sent %d.\n",
				c.Day, len(c.Told), len(c.Quiet), few, len(c.Heading), len(c.Leads), c.Rerun)
		}
		if len(m.CheckIns) > 0 {
			last := m.CheckIns[len(m.CheckIns)-1]
			named, sanctioned := 0, 0
			for _, c := range s.Cards[m.Month] {
				for _, q := range c.Consequences {
					if q.Kind == consequence.Warning || q.Kind == consequence.PositionAdjustment {
						sanctioned++
						if last.Heading[c.EngineerID] == q.Kind {
							named++
						}
					}
				}
			}
			fmt.Fprintf(w, "%s: the %s check-in named %d of the %d engineers the month-end run warned or adjusted (and %d heading for it in all).\n",
				m.Month, last.Day, named, sanctioned, len(last.Heading))
		}
	}
	if len(s.Lookups) > 0 {
		fmt.Fprintf(w, "Addresses the Zendesk and Jira webhooks left out, from their APIs (local stand-in): %s\n", lookupList(s.Lookups))
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MONTH\tTEAM\tENGINEERS\tMEAN\tGRADES\tCONSEQUENCES")
	for _, m := range s.Months {
		for _, team := range s.Org.Teams {
			var sum float64
			n, engineers := 0, 0
			grades := map[string]int{}
			kinds := map[consequence.Kind][]string{}
			for _, c := range s.Cards[m.Month] {
				if c.Team != team {
					continue
				}
				engineers++
				if c.Composite != nil {
					sum += *c.Composite
					n++
				}
				grades[cmp.Or(c.Grade, "—")]++
				for _, q := range c.Consequences {
					kinds[q.Kind] = append(kinds[q.Kind], c.EngineerID)
				}
			}
			mean := "—"
			if n > 0 {
				mean = fmt.Sprintf("%.1f", sum/float64(n))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", m.Month, team, engineers, mean, gradeList(grades), consequenceList(kinds))
		}
	}
	tw.Flush()

	if len(s.Bill) > 0 {
		fmt.Fprintf(w, "\nThe same use on AWS at list prices (%d tickets; DynamoDB units as DynamoDB Local counted them, Lambda time as the local gateway took it):\n", s.Tickets)
		cost.Print(w, s.Bill, s.Tickets)
		if n := s.Usage.URLRequests; n > 0 && s.Tickets > 0 {
			extra := float64(n) / 1e6 * cost.ListPrices().APIRequestsPerMillion
			fmt.Fprintf(w, "The webhooks came through the webhook function's URL; through the HTTP API (webhookEndpoint api) their %d requests would add %.4f USD, %.2f per million tickets.\n", n, extra, extra/float64(s.Tickets)*1e6)
		}
	}
	if len(s.Units) > 0 && s.Tickets > 0 {
		fmt.Fprintf(w, "\nDynamoDB request units by kind of item (the partition key's prefix: TKT a ticket's events, EVM the month index, SRV/DUE/CUS surveys, EVD evidence, …):\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "KIND\tWRITE UNITS\tWRITE CALLS\tREAD UNITS\tREAD CALLS\tWRITE UNITS PER TICKET\n")
		for _, k := range s.Units {
			fmt.Fprintf(tw, "%s\t%.0f\t%d\t%.0f\t%d\t%.2f\n", k.Kind, k.Write, k.Writes, k.Read, k.Reads, k.Write/float64(s.Tickets))
		}
		tw.Flush()
	}

	fmt.Fprintf(w, "\nDone in %s. Where to look:\n", s.Elapsed.Round(time.Second))
	fmt.Fprintf(w, "  %-22s %s\n", "manager reports", filepath.Join(s.Out, "reports", "YYYY-MM", "team-<team>.html")+" (+ .xlsx and charts), scorecards beside them")
	if len(s.Months) > 0 {
		fmt.Fprintf(w, "  %-22s %d team reports, e.g. %s\n", "", len(s.Reports), s.Reports[len(s.Reports)-1])
	}
	for _, shot := range s.Shots {
		fmt.Fprintf(w, "  %-22s %s\n", "report screenshot", shot)
	}
	if s.ShotError != "" {
		fmt.Fprintf(w, "  %-22s none: %s\n", "screenshots", s.ShotError)
	}
	fmt.Fprintf(w, "  %-22s %s (%d mails; the page lives while the server runs: `make demo KEEP=1` leaves it up)\n", "mails (SES server)", s.SESPage, s.MailsSES)
	if s.MailList != "" {
		fmt.Fprintf(w, "  %-22s %s\n", "the mails, listed", s.MailList)
	}
	fmt.Fprintf(w, "  %-22s %s, %s\n", "generated inputs", filepath.Join(s.Out, "engineers.csv"), filepath.Join(s.Out, "events.jsonl"))
}

// lookupList prints the API requests by vendor and answer.
func lookupList(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func gradeList(g map[string]int) string {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, g[k]))
	}
	return strings.Join(parts, " ")
}

func consequenceList(k map[consequence.Kind][]string) string {
	order := []consequence.Kind{consequence.PositionAdjustment, consequence.Warning, consequence.Mentoring, consequence.PromotionPriority, consequence.Bonus, consequence.AnnualRecognition, consequence.InsufficientData}
	var parts []string
	for _, kind := range order {
		ids := k[kind]
		if len(ids) == 0 {
			continue
		}
		if kind == consequence.Bonus {
			parts = append(parts, fmt.Sprintf("bonus×%d", len(ids)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s", strings.ReplaceAll(string(kind), "_", " "), strings.Join(ids, ",")))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}
