package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// TestWebPage loads the page in headless Chromium against a fake service
// and checks that documents and block states render, and that clicking a
// block shows its log.
func TestWebPage(t *testing.T) {
	ctx := outside.Browser(t, 60*time.Second)
	f := &fakeService{log: "hello from the block\n", done: true}
	srv := pageServer(t, NewHandler(f, Options{}))

	step, text := browserSteps(t, ctx)
	step(chromedp.Navigate(srv.URL + "/"))
	waitShown(t, ctx, `#doclist li`)
	docs := text(`#doclist`)
	clickUntilShown(t, ctx, `#doclist li`, `#blocks tr`)
	blocks := text(`#blocks`)
	clickShown(t, ctx, `tr[data-block="a"]`)
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
	if !strings.Contains(blocks, "waiting for a (running)") {
		t.Errorf("what a queued block waits for is not shown: %q", blocks)
	}
	if title := text(`#doctitle`); !strings.Contains(title, `note: line 9: #+include: "x.org" was not expanded`) {
		t.Errorf("the document's notes are not shown: %q", title)
	}
	// A finished block's file: the link fetches it (with the token) and
	// saves it; it is never opened as a page of Borges' origin.
	step(chromedp.Evaluate[chromedp.Void](`window.saved = []; window.opened = 0; window.open = () => { window.opened++; };
		const create = URL.createObjectURL; URL.createObjectURL = (b) => { b.text().then(t => window.saved.push(b.type + "|" + t)); return create(b); };
		HTMLAnchorElement.prototype.click = function() { window.saved.push("download=" + this.download); };`))
	clickShown(t, ctx, `a.file[data-file="out/plot.txt"]`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.saved.length >= 2`)); err != nil {
		t.Fatalf("file never saved: %v", err)
	}
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.saved.sort()`))
	if err != nil || len(saved) != 2 || saved[0] != "application/octet-stream|a\tb\n" || saved[1] != "download=plot.txt" {
		t.Errorf("file saved: %q %v", saved, err)
	}
	if opened, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`window.opened`)); opened != 0 {
		t.Errorf("the file was opened %d times", opened)
	}
	// The results document too: fetched with the token, saved.
	step(chromedp.Evaluate[chromedp.Void](`window.saved = []`))
	clickShown(t, ctx, `#resultlink`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.saved.length >= 2`)); err != nil {
		t.Fatalf("results document never saved: %v", err)
	}
	saved, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.saved.sort()`))
	if err != nil || len(saved) != 2 || saved[0] != "application/octet-stream|#+RESULTS:\n: x\n" || saved[1] != "download=doc1.org" {
		t.Errorf("results document saved: %q %v", saved, err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/ui/doc1/a") {
		t.Errorf("the page moved to %s", loc)
	}
}

// TestWebPageWrongToken: given a wrong token, the page asks once, then
// says 401 plainly and waits for the user to enter another, which works.
func TestWebPageWrongToken(t *testing.T) {
	ctx := outside.Browser(t, 60*time.Second)
	const token = "right-token-0123456789"
	srv := pageServer(t, NewHandler(&fakeService{log: "x\n", done: true}, Options{Token: token}))

	// Every prompt is counted and answered with another wrong token,
	// until the test sets window.answer. The page's refresh periods (its
	// 2 s interval: the 2000 in web/app.js's setInterval, which the stub
	// below names) are counted too, and run twenty times as often: the
	// test waits for several of them, not for a time. Its calls to the
	// server are counted: those still unanswered (inflight), and those
	// made once the test saw the 401 message (fetchesAfter, from when
	// window.shownAt is set).
	promptStub := `window.prompts = 0; window.answer = "still-wrong-token-000";
		window.prompt = () => { window.prompts++; return window.answer; };
		window.ticks = 0;
		const setInterval0 = window.setInterval;
		window.setInterval = (f, ms, ...args) => ms !== 2000 ? setInterval0(f, ms, ...args) :
			setInterval0(() => { window.ticks++; f(); }, ms / 20, ...args);
		window.inflight = 0; window.fetchesAfter = 0;
		const fetch0 = window.fetch;
		window.fetch = (...args) => {
			window.inflight++;
			if (window.shownAt !== undefined) window.fetchesAfter++;
			return fetch0.apply(window, args).finally(() => { window.inflight--; });
		};`
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: promptStub})
			return err
		}),
		chromedp.Navigate(srv.URL+"/?token=wrong-token-0123456789"),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("auth").hidden && (window.shownAt = window.ticks, true)`)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	// The refresh period is hooked (else ticks stays 0 and the wait
	// below ends only with the browser's deadline, saying nothing).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.ticks > 0`)); err != nil {
		t.Fatalf("the page's refresh interval was not hooked (is app.js's setInterval period still 2000?): %v", err)
	}
	// Several refresh periods later, once every call made has been
	// answered: still one prompt, and no call since the 401 message (the
	// page waits for the user, not calling the server in vain).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.ticks >= window.shownAt + 5 && window.inflight === 0`)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	prompts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.prompts`))
	if err != nil || prompts != 1 {
		t.Fatalf("prompts: %d %v (want 1)", prompts, err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.fetchesAfter`))
	if err != nil || after != 0 {
		t.Fatalf("calls to the server after the 401 message: %d %v (want 0)", after, err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("auth").textContent`))
	if err != nil || !strings.Contains(msg, "401") {
		t.Fatalf("message %q %v", msg, err)
	}
	// The user enters the right one: the page works.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.answer = "`+token+`"`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("settoken").click()`),
	)
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("auth").hidden && document.querySelectorAll("#doclist li").length > 0`))
	}
	if err != nil {
		t.Fatalf("after entering the right token: %v", err)
	}
}

// TestWebPageShowsPostTasksByTheirBlock: the page shows a :post's task
// by its block and the :post as written (the view's "shown"), in the
// blocks' table and the block's title, and keeps its name for the link.
func TestWebPageShowsPostTasksByTheirBlock(t *testing.T) {
	ctx := outside.Browser(t, 60*time.Second)
	doc := *view
	doc.Blocks = []engine.BlockView{
		{Name: "main", Line: 1, Lang: "sh", Runnable: true, State: engine.Finished, Instances: []engine.InstanceView{{State: engine.Finished, Attempts: 1}}, Task: &plan.Task{}},
		{Name: "main :post f(s=*this*)", Shown: "main (:post f(s=*this*))", Line: 1, Lang: "sh", Runnable: true, State: engine.Running,
			Instances: []engine.InstanceView{{State: engine.Running, Attempts: 1}}, Task: &plan.Task{}},
	}
	srv := pageServer(t, NewHandler(&fakeService{log: "x\n", done: true, doc: &doc}, Options{}))
	step, text := browserSteps(t, ctx)
	step(chromedp.Navigate(srv.URL + "/"))
	clickUntilShown(t, ctx, `#doclist li`, `#blocks tr`)
	if blocks := text(`#blocks`); !strings.Contains(blocks, "main (:post f(s=*this*))") || strings.Contains(blocks, "main :post") {
		t.Errorf("blocks: %q", blocks)
	}
	clickShown(t, ctx, `tr[data-block="main :post f(s=*this*)"]`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("blocktitle").textContent.includes("(:post f(s=*this*))")`)); err != nil {
		t.Fatalf("browser: the block's title never showed its :post: %v (%q)", err, text(`#blocktitle`))
	}
}

// browserSteps are a page test's actions in the browser of ctx: step
// takes one, text reads an element's text; either fails the test on an
// error. text reads it in one evaluation in the page, waiting for the
// element: the page rebuilds its lists (the documents' every 2 s, a
// document's blocks at each answer of its long poll), and a node the
// browser found may be gone by the time a call by its id reaches it
// (CDP: "Could not find node with given id"), the more so on a loaded
// machine.
func browserSteps(t *testing.T, ctx context.Context) (step func(chromedp.Action[chromedp.Void]), text func(string) string) {
	step = func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	text = func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Poll[[]string](`(n => n ? [n.innerText] : null)(document.querySelector(`+jsString(sel)+`))`))
		if err != nil || len(s) != 1 {
			t.Fatalf("browser: text of %s: %q %v", sel, s, err)
		}
		return s[0]
	}
	return step, text
}

// shownAt waits until the first element sel matches is shown (a box of
// its own, as chromedp's WaitVisible has it), scrolled into view, and
// returns its center in the page's viewport: where a user's mouse clicks
// it. One evaluation in the page finds it, which no rebuilding of the
// page's lists can come in the middle of (browserSteps).
func shownAt(t *testing.T, ctx context.Context, sel string) (x, y float64) {
	t.Helper()
	xy, err := chromedp.Run(ctx, chromedp.Poll[[]float64](`(n => {
		if (!n) return null;
		n.scrollIntoView({block: "center", inline: "center"});
		const r = n.getBoundingClientRect();
		return r.width > 0 && r.height > 0 ? [r.left + r.width / 2, r.top + r.height / 2] : null;
	})(document.querySelector(`+jsString(sel)+`))`))
	if err != nil || len(xy) != 2 {
		t.Fatalf("browser: %s never shown: %v %v", sel, xy, err)
	}
	return xy[0], xy[1]
}

// waitShown waits until the first element sel matches is shown
// (shownAt).
func waitShown(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	shownAt(t, ctx, sel)
}

// clickShown clicks the first element sel matches, once shown, at its
// center, as a user's mouse does (chromedp's Click does too, but through
// the node's id, which a list rebuilt meanwhile no longer has: the row
// rebuilt in its place, the same, is the one clicked here).
func clickShown(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	x, y := shownAt(t, ctx, sel)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		t.Fatalf("browser: click on %s: %v", sel, err)
	}
}

// clickUntilShown clicks the first element sel matches, once shown, as
// a user's mouse does (the element at its center, so a link inside it),
// until the first element want matches is shown (shownAt), again every
// second while it is not, bounded by the test's context: a list rebuilt
// between finding an element and clicking it (the documents list is,
// every 2 s) would otherwise take a click that opens nothing. Each try
// finds, clicks and checks in one evaluation in the page.
func clickUntilShown(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Minute)
	}
	done, err := chromedp.Run(ctx, chromedp.Poll[bool](`((n, w) => {
		const shown = (e) => { if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
		if (shown(w)) return true;
		if (!shown(n)) return null;
		n.scrollIntoView({block: "center", inline: "center"});
		const r = n.getBoundingClientRect();
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		(at && n.contains(at) ? at : n).click();
		return null;
	})(document.querySelector(`+jsString(sel)+`), document.querySelector(`+jsString(want)+`))`,
		chromedp.WithPollingInterval(time.Second), chromedp.WithPollingTimeout(time.Until(deadline))))
	if err != nil || !done {
		t.Fatalf("browser: %s never shown after clicks on %s: %v", want, sel, err)
	}
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
