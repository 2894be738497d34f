package api

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wallyqs/borges/internal/outside"
)

// TestWebPageRemove: the page's "remove" button asks first; declined,
// nothing is removed; confirmed, the document is removed through the
// page's own request helper (with the token the page holds) and its
// details close.
func TestWebPageRemove(t *testing.T) {
	ctx := outside.Browser(t, 60*time.Second)
	const token = "remove-token-0123456789"
	f := &fakeService{log: "x\n", done: true}
	srv := pageServer(t, NewHandler(f, Options{Token: token}))

	step := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	removed := func() []string {
		f.mu.Lock()
		defer f.mu.Unlock()
		return append([]string(nil), f.removed...)
	}
	step(chromedp.Navigate(srv.URL + "/?token=" + token))
	clickUntilShown(t, ctx, `#doclist li`, `#removedoc`)
	// Declined: nothing happens.
	step(chromedp.Evaluate[chromedp.Void](`window.asked = []; window.confirm = (m) => { window.asked.push(m); return false; };`))
	step(chromedp.Click(`#removedoc`))
	asked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.asked`))
	if err != nil || len(asked) != 1 || !strings.Contains(asked[0], "doc1") {
		t.Fatalf("confirmation asked: %q %v", asked, err)
	}
	time.Sleep(300 * time.Millisecond)
	if got := removed(); len(got) != 0 {
		t.Fatalf("removed though declined: %v", got)
	}
	// Confirmed: removed, and the details close.
	step(chromedp.Evaluate[chromedp.Void](`window.confirm = (m) => { window.asked.push(m); return true; };`))
	step(chromedp.Click(`#removedoc`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("detail").hidden`)); err != nil {
		t.Fatalf("details never closed: %v", err)
	}
	if got := removed(); len(got) != 1 || got[0] != "doc1" {
		t.Fatalf("removed: %v", got)
	}
	// Removed elsewhere (the CLI, retention) while shown: the details
	// close at the next refresh.
	clickUntilShown(t, ctx, `#doclist li`, `#blocks tr`)
	f.mu.Lock()
	f.gone = true
	f.mu.Unlock()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("detail").hidden`)); err != nil {
		t.Fatalf("details of a document removed elsewhere never closed: %v", err)
	}
	if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("auth").hidden ? "" : document.getElementById("auth").textContent`)); msg != "" {
		t.Fatalf("the page asked for a token: %q", msg)
	}
}
