package assessmentform_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/core/assessment"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/formtest"
)

// eval runs a JavaScript expression in the tab (through DevTools, which the
// page's CSP does not restrict) and returns its value.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// TestLeadFormInChromium has a team lead assess three engineers in real
// headless Chromium through the local API Gateway, in both languages: open
// the link of the invitation, check the form (a fieldset per engineer,
// labelled number inputs 0–100), fill every field with one score out of
// range, see the browser refuse it and — past the browser — the server
// answer 400 naming the engineer and field with the input kept; fix it,
// submit, see the thank-you page, and find exactly those scores in the
// store. The same link shows the answers to change; with the clock moved
// past the deadline it shows the closed page (410). Screenshots of every
// step go to $ASSESSMENT_ARTIFACTS (or the test's temporary directory).
func TestLeadFormInChromium(t *testing.T) {
	dir := browsertest.ArtifactDir(t, "ASSESSMENT_ARTIFACTS")
	b := browsertest.Browser(t, 390, 844)

	store := assessmentform.NewMemStore()
	c := formtest.NewClock(now)
	h := handler(store, c)
	srv := formtest.Serve(t, "/a/", h.Handle)
	h.BaseURL = srv.URL

	type run struct {
		locale, email   string
		comments        [3]string
		thanks, problem string
		closed          string
		a               assessment.Assessment
		link            string
	}
	runs := []*run{
		{locale: "en", email: "zhou.min@example.com", comments: [3]string{"Took over the Shenzhen escalations.", "", "Mentored two new hires."},
			thanks: "Thank you!", problem: "Chen Jie – Collaboration: Enter a number from 0 to 100.", closed: "The assessment is closed"},
		{locale: "zh-CN", email: "liu.yang@example.com", comments: [3]string{"接手了深圳的升级工单。", "", "带教了两名新同事。"},
			thanks: "感谢您！", problem: "陈杰 – 团队协作：请输入 0 到 100 之间的数字。", closed: "评估已截止"},
	}
	typed := [3][3]string{{"88", "91.5", "85"}, {"79", "74", "120"}, {"95", "90", "97"}}
	fields := [3]string{"attitude", "problem_solving", "collaboration"}

	for _, r := range runs {
		t.Run(r.locale, func(t *testing.T) {
			r.a = lead(r.locale)
			r.a.ID = assessment.ID(october, assessment.Lead, r.email)
			r.a.AssessorKey = r.email
			store.Put(r.a)
			m, err := assessmentform.Invitation(key, srv.URL, r.a, shanghai, false)
			if err != nil {
				t.Fatal(err)
			}
			links := mailLinks(m.HTML)
			if len(links) != 1 {
				t.Fatalf("%d links in the mail", len(links))
			}
			r.link = links[0]

			tab, cancel := chromedp.NewContext(b)
			defer cancel()
			tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
			defer cancelTimeout()

			// The mail, as a phone's mail client shows it.
			mailFile := filepath.Join(t.TempDir(), "mail.html")
			if err := os.WriteFile(mailFile, []byte(m.HTML), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate("file://"+mailFile)); err != nil {
				t.Fatalf("open the mail: %v", err)
			}
			browsertest.Shot(t, tab, dir, "assessment-mail-"+r.locale+".png")

			if err := chromedp.Do(tab, chromedp.Navigate(r.link), chromedp.WaitVisible(chromedp.CSS(`[data-page=form] form`))); err != nil {
				t.Fatalf("open the link: %v", err)
			}
			if got := eval[string](t, tab, `document.documentElement.lang`); got != r.locale {
				t.Errorf("lang %q, want %q", got, r.locale)
			}
			legends := eval[[]string](t, tab, `[...document.querySelectorAll('fieldset > legend')].map(l => l.textContent)`)
			if diff := cmp.Diff([]string{r.a.Engineers[0].Name, r.a.Engineers[1].Name, r.a.Engineers[2].Name}, legends); diff != "" {
				t.Errorf("legends (-want +got):\n%s", diff)
			}
			// Every score is a required number input 0–100 with a label the
			// browser associates with it.
			inputs := eval[[]string](t, tab, `[...document.querySelectorAll('input[type=number]')].map(i =>
				[i.name, i.min, i.max, i.step, i.required, i.labels.length === 1 && i.labels[0].textContent !== ''].join(' '))`)
			if len(inputs) != 9 {
				t.Fatalf("%d number inputs, want 9", len(inputs))
			}
			for i, got := range inputs {
				want := fmt.Sprintf("%s:%s 0 100 0.1 true true", fields[i%3], r.a.Engineers[i/3].ID)
				if got != want {
					t.Errorf("input %d: %q, want %q", i, got, want)
				}
			}
			// The inline <style> survived the Content-Security-Policy.
			if bg := eval[string](t, tab, `getComputedStyle(document.querySelector('button')).backgroundColor`); bg != "rgb(31, 95, 168)" {
				t.Errorf("button background %q: the page's styles did not apply", bg)
			}
			browsertest.Shot(t, tab, dir, "assessment-form-"+r.locale+".png")

			var fill []chromedp.Action[chromedp.Void]
			for i := range 3 {
				for j, f := range fields {
					fill = append(fill, chromedp.SendKeys(chromedp.ID(fmt.Sprintf("e%d-%s", i, f)), typed[i][j]))
				}
				if r.comments[i] != "" {
					fill = append(fill, chromedp.SendKeys(chromedp.ID(fmt.Sprintf("e%d-comment", i)), r.comments[i]))
				}
			}
			if err := chromedp.Do(tab, fill...); err != nil {
				t.Fatalf("fill the form: %v", err)
			}
			// The browser itself refuses 120 ...
			if eval[bool](t, tab, `document.querySelector('form').checkValidity()`) {
				t.Error("the browser accepts a score of 120")
			}
			if bad := eval[string](t, tab, `document.querySelector('input:invalid').id`); bad != "e1-collaboration" {
				t.Errorf("the browser flags %q, want e1-collaboration", bad)
			}
			// ... and so does the server, for a browser that does not.
			if err := chromedp.Do(tab,
				chromedp.Evaluate[chromedp.Void](`document.querySelector('form').noValidate = true`),
				chromedp.Click(chromedp.CSS(`button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-page=invalid]`)),
			); err != nil {
				t.Fatalf("submit 120: %v", err)
			}
			if alert := eval[string](t, tab, `document.querySelector('[role=alert]').textContent`); !strings.Contains(alert, r.problem) {
				t.Errorf("alert %q lacks %q", alert, r.problem)
			}
			if got := eval[string](t, tab, `document.getElementById('e0-problem_solving').value + ' ' + document.getElementById('e1-collaboration').value + ' ' + document.getElementById('e2-comment').value`); got != "91.5 120 "+r.comments[2] {
				t.Errorf("input not kept: %q", got)
			}
			if s, _ := store.Assessment(context.Background(), r.a.ID); s.Submitted() {
				t.Fatal("a refused form was stored")
			}
			browsertest.Shot(t, tab, dir, "assessment-invalid-"+r.locale+".png")

			if err := chromedp.Do(tab,
				chromedp.SetValue(chromedp.ID("e1-collaboration"), ""),
				chromedp.SendKeys(chromedp.ID("e1-collaboration"), "92"),
			); err != nil {
				t.Fatalf("fix the score: %v", err)
			}
			browsertest.Shot(t, tab, dir, "assessment-form-filled-"+r.locale+".png")
			if err := chromedp.Do(tab,
				chromedp.Click(chromedp.CSS(`button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-page=thanks]`)),
			); err != nil {
				t.Fatalf("submit: %v", err)
			}
			if h1 := eval[string](t, tab, `document.querySelector('h1').textContent`); h1 != r.thanks {
				t.Errorf("heading %q, want %q", h1, r.thanks)
			}
			if n := eval[int](t, tab, `document.querySelectorAll('.result').length`); n != 3 {
				t.Errorf("the thank-you page lists %d engineers, want 3", n)
			}
			browsertest.Shot(t, tab, dir, "assessment-thanks-"+r.locale+".png")

			got, err := store.Assessment(context.Background(), r.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]assessment.Scores{
				"E014": {Attitude: 88, ProblemSolving: 91.5, Collaboration: 85, Comment: r.comments[0]},
				"E015": {Attitude: 79, ProblemSolving: 74, Collaboration: 92, Comment: r.comments[1]},
				"E016": {Attitude: 95, ProblemSolving: 90, Collaboration: 97, Comment: r.comments[2]},
			}
			if diff := cmp.Diff(want, got.Answers); diff != "" {
				t.Errorf("stored answers (-want +got):\n%s", diff)
			}
			if !got.SubmittedAt.Equal(now) {
				t.Errorf("submitted at %v", got.SubmittedAt)
			}

			// The same link again: the answers, to change until the deadline.
			if err := chromedp.Do(tab, chromedp.Navigate(r.link), chromedp.WaitVisible(chromedp.CSS(`[data-page=submitted] form`))); err != nil {
				t.Fatalf("reopen the link: %v", err)
			}
			if v := eval[string](t, tab, `document.getElementById('e1-collaboration').value`); v != "92" {
				t.Errorf("the form holds %q, want the stored 92", v)
			}
			browsertest.Shot(t, tab, dir, "assessment-submitted-"+r.locale+".png")
		})
	}
	t.Logf("Origin headers of the form posts: %q", srv.Origins())

	t.Run("a self-assessment", func(t *testing.T) {
		for _, locale := range []string{"en", "zh-CN"} {
			a := self(locale)
			a.ID = assessment.ID(october, assessment.Self, "E014-"+locale)
			store.Put(a)
			tab, cancel := chromedp.NewContext(b)
			if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate(srv.URL+"/a/"+link(t, a.ID)), chromedp.WaitVisible(chromedp.CSS(`[data-page=form] form`))); err != nil {
				cancel()
				t.Fatalf("%s: open the link: %v", locale, err)
			}
			if n := eval[int](t, tab, `document.querySelectorAll('fieldset').length`); n != 1 {
				t.Errorf("%s: %d fieldsets, want 1", locale, n)
			}
			browsertest.Shot(t, tab, dir, "assessment-self-"+locale+".png")
			cancel()
		}
	})

	t.Run("after the deadline", func(t *testing.T) {
		c.Set(deadline.Add(time.Minute))
		for _, r := range runs {
			if r.link == "" {
				t.Fatalf("%s: no link (the form run failed)", r.locale)
			}
			before, _ := store.Assessment(context.Background(), r.a.ID)
			tab, cancel := chromedp.NewContext(b)
			if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate(r.link), chromedp.WaitVisible(chromedp.CSS(`[data-page=closed]`))); err != nil {
				cancel()
				t.Fatalf("%s: open the link after the deadline: %v", r.locale, err)
			}
			if h1 := eval[string](t, tab, `document.querySelector('h1').textContent`); h1 != r.closed {
				t.Errorf("%s: heading %q, want %q", r.locale, h1, r.closed)
			}
			if n := eval[int](t, tab, `document.querySelectorAll('form').length`); n != 0 {
				t.Errorf("%s: the closed page has a form", r.locale)
			}
			browsertest.Shot(t, tab, dir, "assessment-closed-"+r.locale+".png")
			cancel()

			resp, err := http.Get(r.link)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusGone {
				t.Errorf("%s: status %d after the deadline, want 410", r.locale, resp.StatusCode)
			}
			after, _ := store.Assessment(context.Background(), r.a.ID)
			if diff := cmp.Diff(before.Answers, after.Answers); diff != "" || !after.SubmittedAt.Equal(before.SubmittedAt) {
				t.Errorf("%s: the store changed after the deadline:\n%s", r.locale, diff)
			}
		}
	})

	t.Run("the 404 page", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(b)
		defer cancel()
		if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate(srv.URL+"/a/not-a-real-link")); err != nil {
			t.Fatal(err)
		}
		browsertest.Shot(t, tab, dir, "assessment-404.png")
	})
}
