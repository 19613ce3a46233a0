package demorun

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/devkit/demo"
)

// Harshness is how many points of the rubric's scale each lead, in the
// order of their teams, takes off (below 0) or adds to what a ticket
// deserves in diagnosis and communication (together 40 % of the rubric):
// the first lead grades hard, the last soft, so that the team reports'
// calibration shows them.
var Harshness = []int{-1, 0, 1}

// reviewRowRE reads a reviewer's mail: the engineer's name, then the link
// to the ticket's review form.
var reviewRowRE = regexp.MustCompile(`<td[^>]*>([^<]*)</td><td[^>]*><a href="([^"]+/q/[^"]+)"`)

// review plays the reviewers' part: for each review link in the mails the
// follow-up sent, the reviewer rates the ticket by what its engineer's
// profile deserves (strong and average 4, weak 2, the new hire 3 on the
// rubric's 0–4 scale, a point less in some categories of some tickets; a
// weak engineer's ticket fails its critical "solution" category one time
// in four) shifted by the reviewer's harshness, and submits the form over
// HTTP. It returns the reviews sent.
func (r *runner) review(ctx context.Context, mails []sentMail) (int, error) {
	byName := map[string]demo.Engineer{}
	for _, e := range r.org.Engineers {
		byName[e.Name] = e
	}
	var leads []string
	for _, e := range r.org.Engineers {
		if l := strings.ToLower(e.ManagerEmail); !slices.Contains(leads, l) {
			leads = append(leads, l)
		}
	}
	scale := r.cfg.Policy.Quality.Scale
	// Each reviewer works through their own mail; the reviewers at once.
	sent := make([]int, len(mails))
	errs := make([]error, len(mails))
	var wg sync.WaitGroup
	for k, m := range mails {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent[k], errs[k] = r.reviewMail(ctx, m, byName, leads, scale)
		}()
	}
	wg.Wait()
	n := 0
	for k := range mails {
		n += sent[k]
	}
	return n, errors.Join(errs...)
}

// reviewMail submits the reviews of one reviewer's mail, in order.
func (r *runner) reviewMail(ctx context.Context, m sentMail, byName map[string]demo.Engineer, leads []string, scale int) (int, error) {
	who := strings.ToLower(m.To[0])
	j := slices.Index(leads, who)
	harsh := 0
	if j >= 0 && len(Harshness) > 0 {
		harsh = Harshness[j%len(Harshness)]
	}
	n := 0
	for _, row := range reviewRowRE.FindAllStringSubmatch(m.Mail.HTML, -1) {
		e := byName[html.UnescapeString(row[1])]
		link := html.UnescapeString(row[2])
		base := map[string]int{demo.ProfileStrong: 4, demo.ProfileAverage: 4, demo.ProfileWeak: 2, demo.ProfileNewHire: 3}[e.Profile]
		h := sha256.Sum256([]byte(link))
		form := url.Values{}
		for i, c := range r.cfg.Policy.Quality.Categories {
			v := base - int(h[i]%2) // a point less, per ticket and category, half the time
			if c.ID == "diagnosis" || c.ID == "communication" {
				v += harsh
			}
			if e.Profile == demo.ProfileWeak && c.ID == "solution" && h[31]%4 == 0 {
				v = 0
			}
			form.Set("r_"+c.ID, fmt.Sprint(max(0, min(scale, v))))
		}
		tok := link[strings.LastIndex(link, "/")+1:]
		form.Set("csrf", httpapi.CSRF(r.cfg.Secrets.SigningKey, tok))
		if _, err := r.postForm(ctx, link, form); err != nil {
			return n, fmt.Errorf("review of %s's ticket: %w", e.ID, err)
		}
		n++
	}
	return n, nil
}
