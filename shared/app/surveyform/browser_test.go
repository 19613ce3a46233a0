package surveyform_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"scorecard/shared/app/surveyform"
	"scorecard/shared/devkit/browsertest"
	"scorecard/shared/devkit/formtest"
)

// TestSurveyInChromium answers a survey in real headless Chromium through
// the local API Gateway: open the rating-4 link of the mail, see 4
// preselected, change to 5, choose yes, type a comment, submit, see the
// thank-you page — and find exactly that in the store. Screenshots of the
// mail, the form, the filled form and the thank-you page in both languages
// go to $SURVEY_ARTIFACTS (or the test's temporary directory).
func TestSurveyInChromium(t *testing.T) {
	dir := browsertest.ArtifactDir(t, "SURVEY_ARTIFACTS")
	b := browsertest.Browser(t, 390, 844)

	store := surveyform.NewMemStore()
	h := handler(store, nil)
	srv := formtest.Serve(t, "/s/", h.Handle)
	h.BaseURL = srv.URL

	for _, tc := range []struct {
		locale, id, comment, thanks string
		keyboard                    bool
	}{
		{"en", "zendesk-48213-1", "Fixed on the first call, thank you!", "Thank you!", false},
		{"zh-CN", "zendesk-48214-1", "第一次通话就解决了，谢谢！", "感谢您的反馈！", true},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			s := sample(tc.locale)
			s.ID = tc.id
			store.Put(s)
			m, err := surveyform.Mail(key, srv.URL, s)
			if err != nil {
				t.Fatal(err)
			}
			links := mailLinks(t, m.HTML)
			link4 := links[3]

			tab, cancel := chromedp.NewContext(b)
			defer cancel()
			tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
			defer cancelTimeout()

			// The mail itself, as a phone's mail client shows it.
			mailFile := filepath.Join(t.TempDir(), "mail.html")
			if err := os.WriteFile(mailFile, []byte(m.HTML), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate("file://"+mailFile)); err != nil {
				t.Fatalf("open the mail: %v", err)
			}
			browsertest.Shot(t, tab, dir, "survey-mail-"+tc.locale+".png")

			if err := chromedp.Do(tab, chromedp.Navigate(link4), chromedp.WaitVisible(chromedp.CSS(`form`))); err != nil {
				t.Fatalf("open the rating link: %v", err)
			}
			if got := eval(t, tab, `document.querySelector('input[name=rating]:checked').value`); got != "4" {
				t.Fatalf("rating %q preselected, want 4", got)
			}
			if got := eval(t, tab, `document.documentElement.lang`); got != tc.locale {
				t.Errorf("lang %q, want %q", got, tc.locale)
			}
			// The inline <style> survived the Content-Security-Policy: the
			// selected rating is filled in green.
			if bg := eval(t, tab, `getComputedStyle(document.querySelector('label[for=rating-4]')).backgroundColor`); bg != "rgb(21, 128, 61)" {
				t.Errorf("selected rating background %q: the page's styles did not apply", bg)
			}
			browsertest.Shot(t, tab, dir, "survey-form-"+tc.locale+".png")

			change := chromedp.Click(chromedp.CSS(`label[for=rating-5]`))
			if tc.keyboard {
				// Keyboard only: arrow keys move within the radio group.
				change = chromedp.Steps(chromedp.Focus(chromedp.ID("rating-4")), chromedp.KeyEvent(kb.ArrowRight))
			}
			if err := chromedp.Do(tab,
				change,
				chromedp.Click(chromedp.CSS(`label[for=solved-yes]`)),
				chromedp.SendKeys(chromedp.ID("comment"), tc.comment),
			); err != nil {
				t.Fatalf("fill the form: %v", err)
			}
			if got := eval(t, tab, `document.querySelector('input[name=rating]:checked').value`); got != "5" {
				t.Fatalf("rating %q after changing it, want 5", got)
			}
			browsertest.Shot(t, tab, dir, "survey-form-filled-"+tc.locale+".png")

			if err := chromedp.Do(tab,
				chromedp.Click(chromedp.CSS(`button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-page=thanks]`)),
			); err != nil {
				t.Fatalf("submit: %v", err)
			}
			heading, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`h1`)))
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(heading) != tc.thanks {
				t.Errorf("heading %q, want %q", heading, tc.thanks)
			}
			browsertest.Shot(t, tab, dir, "survey-thanks-"+tc.locale+".png")

			// The same link again: the answer, and the form to change it.
			if err := chromedp.Do(tab, chromedp.Navigate(link4), chromedp.WaitVisible(chromedp.CSS(`[data-page=answered] form`))); err != nil {
				t.Fatalf("reopen the link: %v", err)
			}
			browsertest.Shot(t, tab, dir, "survey-answered-"+tc.locale+".png")

			got, err := store.Survey(context.Background(), s.ID)
			if err != nil {
				t.Fatal(err)
			}
			a := got.Answer
			if a == nil || a.Rating != 5 || a.Solved == nil || !*a.Solved || a.Comment != tc.comment {
				t.Fatalf("stored answer %+v, want rating 5, solved yes, comment %q", a, tc.comment)
			}
		})
	}
	t.Logf("Origin headers of the form posts: %q", srv.Origins())

	t.Run("unsubscribe", func(t *testing.T) {
		s := sample("en")
		m, err := surveyform.Mail(key, srv.URL, s)
		if err != nil {
			t.Fatal(err)
		}
		links := mailLinks(t, m.HTML)
		tab, cancel := chromedp.NewContext(b)
		defer cancel()
		if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate(links[5]), chromedp.WaitVisible(chromedp.CSS(`[data-page=unsubscribe] button`))); err != nil {
			t.Fatalf("open the unsubscribe link: %v", err)
		}
		if _, out := store.OptedOut(s.CustomerKey); out {
			t.Fatal("opening the unsubscribe link opted out")
		}
		browsertest.Shot(t, tab, dir, "survey-unsubscribe.png")
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-page=unsubscribed]`))); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		if _, out := store.OptedOut(s.CustomerKey); !out {
			t.Error("confirming did not opt out")
		}
	})

	t.Run("the 404 page", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(b)
		defer cancel()
		if err := chromedp.Do(tab, browsertest.Phone(), chromedp.Navigate(srv.URL+"/s/not-a-real-link")); err != nil {
			t.Fatal(err)
		}
		browsertest.Shot(t, tab, dir, "survey-404.png")
	})
}

// eval runs a JavaScript expression in the tab (through DevTools, which the
// page's CSP does not restrict) and returns its string value.
func eval(t *testing.T, tab context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
