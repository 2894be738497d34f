package api

import (
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"strings"

	"github.com/niklasfasching/go-org/org"
)

// A document is someone else's code: rendering it must not let it run
// anything on Borges' origin, nor read the server's files. So the HTML is
// go-org's, with every way Org has to pass raw HTML through shown as text
// (#+begin_export html, @@html:…@@, #+HTML:), #+INCLUDE: never read, and
// the result whitelisted by sanitizeHTML.

// renderDocument renders an Org document (its results written back) as an
// HTML fragment: Org's HTML export of it, each source block wrapped in a
// <section class="srcblock" data-block="NAME"> (NAME as the engine names
// blocks) that the page fills with the block's state, and links to files
// turned into data-file attributes that the page fetches with its token.
func renderDocument(text string) (out string, err error) {
	// go-org is someone else's parser: a document it cannot take is an
	// error of this request, never the server's.
	defer func() {
		if p := recover(); p != nil {
			out, err = "", fmt.Errorf("rendering the document: the HTML writer failed: %v", p)
		}
	}()
	conf := org.New()
	conf.Log = log.New(io.Discard, "", 0)
	conf.ReadFile = func(string) ([]byte, error) {
		return nil, errors.New("#+INCLUDE: is not read when rendering")
	}
	doc := conf.Parse(strings.NewReader(text), "")
	if doc.Error != nil {
		return "", fmt.Errorf("rendering the document: %w", doc.Error)
	}
	w := &babelWriter{HTMLWriter: org.NewHTMLWriter()}
	w.HTMLWriter.ExtendingWriter = w
	w.HTMLWriter.HighlightCodeBlock = func(source, lang string, inline bool, params map[string]string) string {
		return "<pre><code>" + html.EscapeString(source) + "</code></pre>"
	}
	out, err = doc.Write(w)
	if err != nil {
		return "", fmt.Errorf("rendering the document: %w", err)
	}
	return sanitizeHTML(out)
}

// babelWriter is go-org's HTML writer, made to know Babel's source blocks
// and to pass no raw HTML through.
type babelWriter struct {
	*org.HTMLWriter
	srcBlocks int    // source blocks seen so far, for block-N names
	calls     int    // #+call: lines seen so far, for call-N names
	name      string // the #+name: of the node being written
}

func (w *babelWriter) WriteNodeWithName(n org.NodeWithName) {
	w.name = n.Name
	org.WriteNodes(w, n.Node)
	w.name = ""
}

func (w *babelWriter) WriteBlock(b org.Block) {
	switch b.Name {
	case "SRC":
		w.srcBlocks++
		name := w.name
		if name == "" {
			name = fmt.Sprintf("block-%d", w.srcBlocks)
		}
		w.name = ""
		lang := ""
		if len(b.Parameters) > 0 {
			lang = b.Parameters[0]
		}
		fmt.Fprintf(w, `<section class="srcblock" id="block-%s" data-block="%s">`+"\n", html.EscapeString(name), html.EscapeString(name))
		fmt.Fprintf(w, `<div class="blockhead"><a class="blockname" href="#block-%s" data-block="%s">%s</a> <span class="lang">%s</span> <span class="badge" data-block="%s"></span></div>`+"\n",
			html.EscapeString(name), html.EscapeString(name), html.EscapeString(name), html.EscapeString(lang), html.EscapeString(name))
		result := b.Result
		b.Result = nil
		w.HTMLWriter.WriteBlock(b)
		w.WriteString(`<div class="results">` + "\n")
		if result != nil {
			org.WriteNodes(w, result)
		}
		w.WriteString("</div>\n</section>\n")
	case "EXPORT":
		// Shown as the text it is, never as HTML.
		w.WriteString(`<pre class="export">` + html.EscapeString(org.String(b.Children...)) + "</pre>\n")
	default:
		w.HTMLWriter.WriteBlock(b)
	}
}

func (w *babelWriter) WriteInlineBlock(b org.InlineBlock) {
	if b.Name == "export" {
		w.WriteString(`<code class="export">` + html.EscapeString(org.String(b.Children...)) + "</code>")
		return
	}
	w.HTMLWriter.WriteInlineBlock(b)
}

func (w *babelWriter) WriteKeyword(k org.Keyword) {
	switch k.Key {
	case "HTML":
		w.WriteString(`<pre class="export">` + html.EscapeString(k.Value) + "</pre>\n")
	case "CALL":
		w.calls++
		name := w.name
		if name == "" {
			name = fmt.Sprintf("call-%d", w.calls)
		}
		w.name = ""
		fmt.Fprintf(w, `<section class="srcblock call" id="block-%s" data-block="%s">`+"\n", html.EscapeString(name), html.EscapeString(name))
		fmt.Fprintf(w, `<div class="blockhead"><a class="blockname" href="#block-%s" data-block="%s">%s</a> <span class="badge" data-block="%s"></span></div>`+"\n",
			html.EscapeString(name), html.EscapeString(name), html.EscapeString(name), html.EscapeString(name))
		w.WriteString(`<pre><code>#+call: ` + html.EscapeString(k.Value) + "</code></pre>\n</section>\n")
	default:
		w.HTMLWriter.WriteKeyword(k)
	}
}

func (w *babelWriter) WriteInclude(i org.Include) {
	w.WriteString(`<p class="include"><code>#+include: ` + html.EscapeString(i.Keyword.Value) + "</code> (not expanded)</p>\n")
}
