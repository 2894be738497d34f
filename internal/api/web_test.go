package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wallyqs/borges/internal/outside"
)

// TestWebPage loads the page in headless Chromium against a fake service
// and checks that documents and block states render, and that clicking a
// block shows its log.
func TestWebPage(t *testing.T) {
	browser := outside.Need(t, "chromium", "chromium", "chromium-browser", "google-chrome")
	f := &fakeService{log: "hello from the block\n", done: true}
	srv := httptest.NewServer(NewHandler(f, Options{}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true))
	allocCtx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	step := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return s
	}
	step(chromedp.Navigate(srv.URL + "/"))
	step(chromedp.WaitVisible(`#doclist li`))
	docs := text(`#doclist`)
	step(chromedp.Click(`#doclist li`))
	step(chromedp.WaitVisible(`#blocks tr`))
	blocks := text(`#blocks`)
	step(chromedp.Click(`tr[data-block="a"]`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("log").textContent.includes("hello")`)); err != nil {
		t.Fatalf("browser: log never showed: %v", err)
	}
	log := text(`#log`)
	if !strings.Contains(docs, "running") || !strings.Contains(docs, "t") {
		t.Errorf("document list: %q", docs)
	}
	if !strings.Contains(blocks, "running") || !strings.Contains(blocks, "not runnable") {
		t.Errorf("blocks: %q", blocks)
	}
	if !strings.Contains(log, "hello from the block") {
		t.Errorf("log: %q", log)
	}
	if !strings.Contains(blocks, "note: :session main") {
		t.Errorf("notes not shown: %q", blocks)
	}
	// A finished block's file: the link fetches it (with the token) and
	// opens what it got.
	step(chromedp.Evaluate[chromedp.Void](`window.opened = []; window.open = (u) => fetch(u).then(r => r.text()).then(t => window.opened.push(t))`))
	step(chromedp.Click(`a.file[data-file="out/plot.txt"]`))
	content, err := chromedp.Run(ctx, chromedp.Poll[string](`window.opened.length > 0 && window.opened[0]`))
	if err != nil || content != "a\tb\n" {
		t.Errorf("file opened: %q %v", content, err)
	}
}
