package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wallyqs/borges/internal/outside"
)

// onePixelPNG is a 1×1 PNG, for a block whose result is an image.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

// webDoc has three blocks, one waiting for another (:var), one that runs
// until the test opens its gate, an image result, prose, and HTML that a
// document might try to run on Borges' origin.
func webDoc(gate string) string {
	return "#+TITLE: Web view\n\n* Data\nSome /prose/ and a [[https://orgmode.org][link]].\n\n" +
		"#+name: gen\n#+begin_src sh\necho 21\n#+end_src\n\n" +
		"#+name: double\n#+begin_src sh :var x=gen\necho $((x * 2))\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh :results output :var gate=\"" + gate + "\"\necho started-slow; echo to-stderr >&2\n" +
		"i=0; while [ ! -e \"$gate\" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done\necho done-slow\n#+end_src\n\n" +
		"#+name: dot\n#+begin_src sh :results file graphics :file dot.png\necho " + onePixelPNG + " | base64 -d > dot.png\n#+end_src\n\n" +
		"#+begin_export html\n<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">\n#+end_export\n"
}

// TestWebDocumentView drives the page in Chromium against the real server
// as a user would: submits a bad document (every problem shown with its
// line) and a good one from the page, watches the document run (badges,
// results, graph, timeline update live, without a reload), reads a
// block's stdout, stderr and both, and follows the deep links.
func TestWebDocumentView(t *testing.T) {
	t.Parallel()
	outside.Need(t, "base64", "base64")
	s := startServer(t, t.TempDir())
	gate := filepath.Join(t.TempDir(), "gate")
	ctx := outside.Browser(t, 3*time.Minute, chromedp.WindowSize(1280, 1000))
	base := "http://" + s.addr

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wait := func(what, cond string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond)); err != nil {
			t.Fatalf("waiting until %s (%s): %v", what, cond, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	setText := func(text string) {
		t.Helper()
		do("typing the document", chromedp.Evaluate[chromedp.Void](`document.getElementById("orgtext").value = `+jsString(text)))
	}

	// A bad document: rejected, every problem with its line, nothing kept.
	do("the page", chromedp.Navigate(base+"/"), chromedp.Click(`#showsubmit`), chromedp.WaitVisible(`#orgtext`))
	setText("#+name: x\n#+begin_src sh :cpu -1\necho 1\n#+end_src\n\n#+name: y\n#+begin_src sh :dir /ssh:far:/tmp\necho 2\n#+end_src\n")
	do("submitting a bad document", chromedp.Click(`#submit`))
	wait("the problems show", `document.querySelectorAll("#submitresult li").length >= 2`)
	problems := eval(`document.getElementById("submitresult").textContent`)
	for _, want := range []string{"rejected", "line 6", "remote (TRAMP) directory", "is not a positive number of CPUs"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems shown lack %q: %q", want, problems)
		}
	}
	outside.Screenshot(t, ctx, "submit-rejected")
	do("clicking a problem", chromedp.Click(`#submitresult li[data-line="6"]`))
	if sel := eval(`(t => t.value.slice(t.selectionStart, t.selectionEnd))(document.getElementById("orgtext"))`); sel != "#+name: y" {
		t.Errorf("a problem's line selected: %q", sel)
	}
	if _, list := s.get("/org"); strings.TrimSpace(list) != "" {
		t.Fatalf("a rejected document was kept: %q", list)
	}

	// A good one, dropped as a file on the text box: the page moves to it.
	do("dropping a file", chromedp.Evaluate[chromedp.Void](`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([`+jsString(webDoc(gate))+`], "web.org", {type: "text/plain"}));
		document.getElementById("orgtext").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`))
	wait("the dropped file in the text box", `document.getElementById("orgtext").value.startsWith("#+TITLE: Web view")`)
	do("submitting a good document", chromedp.Click(`#submit`))
	wait("the document view", `location.pathname.startsWith("/ui/") && !document.getElementById("detail").hidden`)
	id := strings.TrimPrefix(eval(`location.pathname`), "/ui/")
	// Its four blocks, and the run of gen that double's :var reference
	// makes (Emacs runs gen again there): a task of its own.
	if v := s.doc(id); len(v.Blocks) != 5 || blockOf(v, "double :var x=gen").Task == nil {
		t.Fatalf("submitted from the page: %+v", v)
	}
	do("marking the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))

	// While slow runs: its badge says so, the others' results are there,
	// the graph and the timeline show every block.
	wait("slow's badge says running", `(document.querySelector('#rendered .badge[data-block="slow"]') || {}).textContent?.startsWith("running")`)
	wait("double's result in place", `(document.querySelector('#rendered .srcblock[data-block="double"] .results') || {}).textContent?.includes("42")`)
	wait("the graph", `document.querySelectorAll('#graph svg a.node').length === 5`)
	// gen → its run for double's reference → double.
	if n := eval(`String(document.querySelectorAll('#graph svg path.edge[data-from="gen"][data-to="double :var x=gen"]').length + document.querySelectorAll('#graph svg path.edge[data-from="double :var x=gen"][data-to="double"]').length)`); n != "2" {
		t.Errorf("graph edges gen→double :var x=gen→double: %s of 2", n)
	}
	// The graph is fetched again on each change of the document: wait for
	// the one drawn since slow runs.
	wait("slow running in the graph", `(document.querySelector('#graph svg a.node[data-block="slow"]') || {dataset: {}}).dataset.state === "running"`)
	wait("the timeline", `document.querySelectorAll('#timeline .row').length === 5 && document.querySelectorAll('#timeline .row[data-block="gen"] .bar.finished').length === 1`)
	wait("the image result", `document.querySelector('#rendered canvas[data-file="dot.png"]') !== null`)
	if got := eval(`String(window.pwned)`); got != "undefined" {
		t.Fatalf("the document's HTML ran on Borges' origin: window.pwned = %s", got)
	}
	if !strings.Contains(eval(`document.getElementById("rendered").textContent`), "<script>window.pwned = 1</script>") {
		t.Errorf("the export block is not shown as text")
	}
	outside.Screenshot(t, ctx, "document-running")
	outside.ScreenshotOf(t, ctx, "graph-timeline", "#graphsec, #timelinesec")

	// The block's details: a click in the graph; the log, stream by stream.
	do("clicking slow in the graph", chromedp.Click(`#graph svg a.node[data-block="slow"]`))
	wait("slow's details", `location.pathname.endsWith("/slow") && !document.getElementById("blockdetail").hidden`)
	wait("slow's stdout", `document.getElementById("log").textContent.includes("started-slow")`)
	if log := eval(`document.getElementById("log").textContent`); strings.Contains(log, "to-stderr") {
		t.Errorf("stdout shows stderr: %q", log)
	}
	if eval(`String(document.getElementById("killblock").hidden)`) != "false" || eval(`String(document.getElementById("restartblock").hidden)`) != "true" {
		t.Errorf("a running block: kill must show, restart not")
	}
	do("stderr", chromedp.Click(`input[name=stream][value=stderr]`))
	wait("slow's stderr", `document.getElementById("log").textContent.includes("to-stderr") && !document.getElementById("log").textContent.includes("started-slow")`)
	do("both", chromedp.Click(`input[name=stream][value=both]`))
	wait("both streams", `document.getElementById("log").textContent.includes("to-stderr") && document.getElementById("log").textContent.includes("started-slow")`)
	outside.Screenshot(t, ctx, "block-details")

	// The gate opens: the page follows, without a reload.
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	wait("slow's badge says finished", `(document.querySelector('#rendered .badge[data-block="slow"]') || {}).textContent?.startsWith("finished")`)
	wait("slow's result in place", `(document.querySelector('#rendered .srcblock[data-block="slow"] .results') || {}).textContent?.includes("done-slow")`)
	wait("the log ends", `document.getElementById("log").textContent.includes("done-slow")`)
	wait("restart offered, kill not", `document.getElementById("killblock").hidden && !document.getElementById("restartblock").hidden`)
	if eval(`String(window.notReloaded)`) != "true" {
		t.Fatal("the page reloaded")
	}
	if st := eval(`document.querySelector('#graph svg a.node[data-block="slow"]').dataset.state`); st != "finished" {
		t.Errorf("slow in the graph after it finished: %q", st)
	}
	outside.Screenshot(t, ctx, "document-finished")
	outside.ScreenshotOf(t, ctx, "rendered", "#docsec")

	// Deep links, and the address a browser may be given for a document.
	for _, path := range []string{"/ui/" + id + "/double", "/org/" + id + ".html", "/org/" + id} {
		do("opening "+path, chromedp.Navigate(base+path))
		wait(path+" shows the document", `document.querySelectorAll('#rendered .srcblock').length === 4`)
	}
	if eval(`document.getElementById("doctitle").textContent`) == "" {
		t.Error("no title")
	}
	do("opening the block link", chromedp.Navigate(base+"/ui/"+id+"/double"))
	wait("double's details", `!document.getElementById("blockdetail").hidden && document.getElementById("blocktitle").textContent.includes("double")`)
	// curl still gets Org text.
	if code, text := s.get("/org/" + id); code != 200 || !strings.Contains(text, "#+RESULTS: double\n: 42") {
		t.Errorf("GET /org/ID without Accept: text/html: %d %q", code, text)
	}

	// A narrow screen: the document view alone, readable.
	do("narrow", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/ui/"+id))
	wait("narrow document view", `document.querySelectorAll('#rendered .srcblock').length === 4`)
	if w := eval(`String(document.documentElement.scrollWidth <= window.innerWidth + 1)`); w != "true" {
		t.Errorf("the page is wider than a narrow screen")
	}
	outside.Screenshot(t, ctx, "document-narrow")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "<", `\u003c`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return `"` + r.Replace(s) + `"`
}
