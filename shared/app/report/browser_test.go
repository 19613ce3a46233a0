package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"scorecard/shared/app/report"
	"scorecard/shared/core/directory"
	"scorecard/shared/devkit/browsertest"
)

// browserHTML makes a mail viewable in a browser: every cid: image becomes
// a data: URL of its inline part, as a mail client would resolve it.
func browserHTML(t *testing.T, m report.Mail) string {
	t.Helper()
	html := m.HTML
	for _, p := range m.Inline {
		ref := `src="cid:` + p.ContentID + `"`
		if !strings.Contains(html, ref) {
			t.Fatalf("inline part %s is not referenced by the HTML", p.ContentID)
		}
		html = strings.ReplaceAll(html, ref, `src="data:`+p.ContentType+`;base64,`+base64.StdEncoding.EncodeToString(p.Data)+`"`)
	}
	if strings.Contains(html, "cid:") {
		t.Fatalf("HTML references a cid: with no inline part")
	}
	return html
}

// screenshot renders HTML in a new tab at a mail client's width and
// returns a full-page PNG.
func screenshot(t *testing.T, browser context.Context, html string) []byte {
	t.Helper()
	page := filepath.Join(t.TempDir(), "mail.html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatalf("chromium: load the mail: %v", err)
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	return buf
}

// TestMailsRenderInChromium renders the team report (and the engineer's
// mails) in both languages in headless Chromium and keeps full-page
// screenshots: team-report-<locale>.png and friends, in $REPORT_ARTIFACTS
// or the test's temporary directory (logged). It fails, never skips, when
// Chromium is missing.
func TestMailsRenderInChromium(t *testing.T) {
	dir := browsertest.ArtifactDir(t, "REPORT_ARTIFACTS")
	b := browsertest.Browser(t, 760, 900)
	large, err := report.TeamReport(largeTeam(14))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("team-report-large/en", func(t *testing.T) {
		shoot(t, b, dir, "team-report-large-en.png", large)
	})
	for _, locale := range []string{directory.LocaleEn, directory.LocaleZhCN} {
		s := sampleTeam(t, locale)
		e3 := s.cards["E003"]
		team, err := report.TeamReport(s.team)
		if err != nil {
			t.Fatal(err)
		}
		card, err := report.Scorecard(e3, s.team.Engineers["E003"], locale, s.team.Policy)
		if err != nil {
			t.Fatal(err)
		}
		notice, err := report.Notice(e3, e3.Consequences[0], s.team.Engineers["E003"], locale, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			mail report.Mail
		}{
			{"team-report", team},
			{"scorecard", card},
			{"notice", notice},
		} {
			t.Run(tc.name+"/"+locale, func(t *testing.T) {
				shoot(t, b, dir, tc.name+"-"+locale+".png", tc.mail)
				if tc.name == "team-report" && locale == directory.LocaleEn {
					shoot(t, b, dir, "team-report.png", tc.mail)
				}
			})
		}
	}
}

// shoot renders a mail, keeps the screenshot as dir/file and checks that it
// is a non-trivial image.
func shoot(t *testing.T, browser context.Context, dir, file string, m report.Mail) {
	t.Helper()
	img := screenshot(t, browser, browserHTML(t, m))
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	// The mail is 680 px wide in a 760 px window and long: a blank or
	// broken page would be a small, nearly uniform image.
	if cfg.Width < 700 || cfg.Height < 600 {
		t.Errorf("screenshot is %dx%d, want at least 700x600", cfg.Width, cfg.Height)
	}
	if len(img) < 30_000 {
		t.Errorf("screenshot is %d bytes: nearly blank?", len(img))
	}
	decoded, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if colors := distinctColors(decoded, 64); colors < 64 {
		t.Errorf("screenshot has only %d distinct colours: nothing rendered?", colors)
	}
}
