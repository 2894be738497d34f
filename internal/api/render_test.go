package api

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderDocumentStructure: headings, prose, tables, source blocks
// wrapped with their engine names (named and block-N), results in place,
// image files as data-file.
func TestRenderDocumentStructure(t *testing.T) {
	doc := "#+TITLE: Report\n\n* Data\nSome /prose/ here.\n\n#+name: gen\n#+begin_src sh\necho 1\n#+end_src\n\n#+RESULTS: gen\n| a | b |\n|---+---|\n| 1 | 2 |\n\n" +
		"#+begin_src sh :results output\necho hi\n#+end_src\n\n#+RESULTS:\n: hi\n\n#+begin_src python :results file :file out/p.png\nplot()\n#+end_src\n\n#+RESULTS:\n[[file:out/p.png]]\n\n" +
		"See [[file:data.csv][the data]] and [[https://orgmode.org][Org]] and [[#x][here]].\n\n#+call: gen()\n\n#+name: again\n#+call: gen()\n"
	out, err := renderDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<h1 class="title">Report</h1>`,
		`<em>prose</em>`,
		`<section class="srcblock" id="d-block-gen" data-block="gen">`,
		`<td class="align-right">1</td>`,
		`data-block="block-2"`,
		`data-block="block-3"`,
		`<pre class="example">hi` + "\n</pre>",
		`<img data-file="out/p.png" alt="out/p.png" title="out/p.png"/>`,
		`<a href="#" data-file="data.csv">the data</a>`,
		`<a href="https://orgmode.org" rel="noopener noreferrer" target="_blank">Org</a>`,
		`<a href="#d-x">here</a>`,
		`<section class="srcblock call" id="d-block-call-1" data-block="call-1">`,
		`<section class="srcblock call" id="d-block-again" data-block="again">`,
		`<code>#+call: gen()</code>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered document lacks %q:\n%s", want, out)
		}
	}
	// The results of a block are inside its section.
	gen := out[strings.Index(out, `data-block="gen"`):]
	if i, j := strings.Index(gen, ">1</td>"), strings.Index(gen, "</section>"); i < 0 || i > j {
		t.Errorf("results of gen are not in its section:\n%s", out)
	}
}

// TestRenderDocumentRunsNoHTML: every way Org has to write raw HTML, and
// every way HTML has to run script, comes out as text or not at all; an
// #+INCLUDE: is never read from the server's disk.
func TestRenderDocumentRunsNoHTML(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.org")
	if err := os.WriteFile(secret, []byte("SERVER-SECRET-4242\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, doc string
		shown     string // the text the reader sees instead, if any
	}{
		{"export block", "#+begin_export html\n<script>window.pwned=1</script>\n#+end_export\n", "<script>window.pwned=1</script>"},
		{"inline export", "a @@html:<img src=x onerror=\"window.pwned=2\">@@ b\n", `<img src=x onerror="window.pwned=2">`},
		{"HTML keyword", "#+HTML: <iframe src=\"javascript:window.pwned=3\"></iframe>\n", `<iframe src="javascript:window.pwned=3"></iframe>`},
		{"javascript link", "[[javascript:window.pwned=4][click]]\n", "click"},
		{"data link", "[[data:text/html,<script>window.pwned=5</script>][click]]\n", "click"},
		{"attr_html handler", "#+ATTR_HTML: :onclick window.pwned=6 :style color:red\n| a |\n", "a"},
		{"remote image", "[[https://tracker.example/pixel.png]]\n", "https://tracker.example/pixel.png"},
		{"include", "#+INCLUDE: \"" + secret + "\"\n", "not expanded"},
		{"results with html", "#+begin_src sh\necho x\n#+end_src\n\n#+RESULTS:\n#+begin_export html\n<script>window.pwned=7</script>\n#+end_export\n", "window.pwned=7"},
		{"verbatim", "=<script>window.pwned=8</script>=\n", "<script>window.pwned=8</script>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := renderDocument(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			if bad := unsafeHTML(t, out); bad != "" {
				t.Errorf("rendered %q: %s:\n%s", c.doc, bad, out)
			}
			if strings.Contains(out, "SERVER-SECRET") {
				t.Errorf("an #+INCLUDE: read the server's file:\n%s", out)
			}
			if !strings.Contains(htmlText(t, out), c.shown) {
				t.Errorf("the reader does not see %q:\n%s", c.shown, out)
			}
		})
	}
}

// htmlText is the text a reader sees of an HTML fragment.
func htmlText(t *testing.T, frag string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// unsafeHTML says what in an HTML fragment could run or load anything:
// an element other than text markup, an attribute other than inert ones,
// a link to anything but an anchor or a web page.
func unsafeHTML(t *testing.T, frag string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	inert := map[string]bool{"class": true, "id": true, "data-block": true, "data-file": true, "alt": true, "title": true,
		"rel": true, "target": true, "colspan": true, "rowspan": true, "value": true}
	var walk func(*html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.ElementNode {
			if droppedElements[n.Data] || !allowedElements[n.Data] {
				return "element " + n.Data
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "href":
					if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") && !strings.HasPrefix(a.Val, "mailto:") {
						return "link " + a.Val
					}
				case !inert[a.Key]:
					return "attribute " + a.Key + "=" + a.Val
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if bad := walk(c); bad != "" {
				return bad
			}
		}
		return ""
	}
	for _, n := range nodes {
		if bad := walk(n); bad != "" {
			return bad
		}
	}
	return ""
}
