package outside

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser starts headless Chromium for a test and returns a context of one
// of its tabs, bounded by timeout; the browser is stopped at the test's
// cleanup. flags are extra command-line flags (name, value pairs as
// chromedp.Flag takes them). Without Chromium the test is skipped (failed
// in strict mode).
func Browser(t testing.TB, timeout time.Duration, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := Need(t, "chromium", "chromium", "chromium-browser", "google-chrome")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true),
		// Chromium's start on a loaded machine may take longer than
		// chromedp's own 20 s: the test's bound applies.
		chromedp.WSURLReadTimeout(timeout))
	opts = append(opts, flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	return ctx
}

// Screenshot saves a PNG of the whole page of a browser tab as
// testdata/screenshots/NAME.png beside the test (git ignores the folder),
// for a person to look at. A failure to take or save it is logged, not
// fatal: the picture is for people, the test asserts on the page.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	saveScreenshot(t, name, png, err)
}

// ScreenshotOf saves a PNG of the elements that match a CSS selector (the
// box around them all), as Screenshot does.
func ScreenshotOf(t testing.TB, ctx context.Context, name, selector string) {
	t.Helper()
	// The element's box in the page's coordinates, whatever the scroll.
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const rs = Array.from(document.querySelectorAll(`+strconv.Quote(selector)+`)).map(e => e.getBoundingClientRect());
		if (!rs.length) return [];
		const l = Math.min(...rs.map(r => r.left)), t = Math.min(...rs.map(r => r.top));
		const r = Math.max(...rs.map(r => r.right)), b = Math.max(...rs.map(r => r.bottom));
		return [l + scrollX, t + scrollY, r - l, b - t]; })()`))
	if err == nil && len(box) != 4 {
		err = fmt.Errorf("no box for %s", selector)
	}
	var png []byte
	if err == nil {
		beyond := true
		err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{CaptureBeyondViewport: &beyond,
				Clip: &page.Viewport{X: box[0], Y: box[1], Width: box[2], Height: box[3], Scale: 1}})
			if err == nil {
				png = res.Data
			}
			return err
		}))
	}
	saveScreenshot(t, name, png, err)
}

func saveScreenshot(t testing.TB, name string, png []byte, err error) {
	t.Helper()
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}
