// Package browsertest owns starting Debian's headless Chromium for the
// tests that render pages and mails (chromedp), with the flags that work in
// a closed network, and keeping their screenshots. It is imported only by
// tests. A test fails, never skips, when Chromium is missing:
// scripts/chromium.sh installs it.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is Debian's Chromium.
const Path = "/usr/bin/chromium"

// Browser starts headless Chromium with a window of width×height and
// returns its context; it is stopped when the test ends.
func Browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	if _, err := os.Stat(Path); err != nil {
		t.Fatalf("%s not found (%v): this test needs Debian's Chromium; install it with scripts/chromium.sh (as root)", Path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Without these Chromium keeps calling out, and this network
		// refuses every call.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first Run starts the browser: no timeout on it (that would stop
	// the browser), a watchdog instead.
	timer := time.AfterFunc(120*time.Second, cancel)
	t.Cleanup(func() { timer.Stop() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", Path, err)
	}
	return ctx
}

// Phone is a phone-sized viewport for a tab.
func Phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait)
}

// ArtifactDir is where a test leaves its screenshots: the directory named
// by the environment variable when set (make test keeps them under
// out/artifacts), else the test's temporary directory.
func ArtifactDir(t testing.TB, envVar string) string {
	t.Helper()
	if dir := os.Getenv(envVar); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("%s: %v", envVar, err)
		}
		return dir
	}
	return t.TempDir()
}

// Shot writes a full-page screenshot of the tab to dir/file.
func Shot(t testing.TB, ctx context.Context, dir, file string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", file, err)
	}
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
