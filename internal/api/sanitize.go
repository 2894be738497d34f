package api

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sanitizeHTML keeps of rendered HTML only the elements and attributes a
// document's text needs, whatever the renderer let through: no script,
// style, frame, form or event handler; links to http(s), mailto and the
// page's own anchors only; files the document links to become data-file
// attributes (the page fetches them with its token, and shows only
// images). Ids get a "d-" prefix so that a document cannot shadow the
// page's own elements.
func sanitizeHTML(in string) (string, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(in), ctx)
	if err != nil {
		return "", fmt.Errorf("sanitizing the rendered document: %w", err)
	}
	var b strings.Builder
	for _, n := range nodes {
		for _, c := range clean(n) {
			if err := html.Render(&b, c); err != nil {
				return "", fmt.Errorf("sanitizing the rendered document: %w", err)
			}
		}
	}
	return b.String(), nil
}

// allowedElements are kept (with their allowed attributes); dropped
// elements are dropped with their content. Any other element is
// unwrapped: its content kept, the element not.
var (
	allowedElements = map[string]bool{
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"p": true, "div": true, "span": true, "section": true, "nav": true, "pre": true, "code": true,
		"em": true, "strong": true, "del": true, "sub": true, "sup": true, "b": true, "i": true,
		"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
		"table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "th": true, "td": true,
		"caption": true, "colgroup": true, "col": true,
		"a": true, "img": true, "blockquote": true, "hr": true, "br": true, "figure": true, "figcaption": true,
	}
	droppedElements = map[string]bool{
		"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
		"embed": true, "applet": true, "form": true, "input": true, "button": true, "textarea": true,
		"select": true, "template": true, "link": true, "meta": true, "base": true, "svg": true, "math": true,
		"noscript": true, "title": true, "head": true, "audio": true, "video": true, "source": true, "track": true,
	}
	allowedAttributes = map[string]bool{"class": true, "id": true, "data-block": true, "alt": true, "title": true,
		"colspan": true, "rowspan": true, "value": true}
)

// imageTypes are the files shown inline as images (the files route serves
// them as images; any other file is saved, never shown).
var imageTypes = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true}

func clean(n *html.Node) []*html.Node {
	switch n.Type {
	case html.TextNode:
		return []*html.Node{{Type: html.TextNode, Data: n.Data}}
	case html.ElementNode:
	default: // comments, doctypes
		return nil
	}
	name := strings.ToLower(n.Data)
	if droppedElements[name] {
		return nil
	}
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		kids = append(kids, clean(c)...)
	}
	if !allowedElements[name] {
		return kids
	}
	out := &html.Node{Type: html.ElementNode, Data: name, DataAtom: atom.Lookup([]byte(name))}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case a.Namespace != "":
		case key == "id":
			out.Attr = append(out.Attr, html.Attribute{Key: "id", Val: "d-" + a.Val})
		case allowedAttributes[key]:
			out.Attr = append(out.Attr, html.Attribute{Key: key, Val: a.Val})
		case key == "href" && name == "a":
			out.Attr = append(out.Attr, cleanHref(a.Val)...)
		case key == "src" && name == "img":
			if file, ok := localFile(a.Val); ok && imageTypes[strings.ToLower(path.Ext(file))] {
				out.Attr = append(out.Attr, html.Attribute{Key: "data-file", Val: file})
			}
		}
	}
	if name == "img" && !hasAttr(out, "data-file") {
		// An image from elsewhere would tell its server who reads the
		// document: shown as its address instead.
		for _, a := range n.Attr {
			if strings.EqualFold(a.Key, "src") {
				return []*html.Node{{Type: html.TextNode, Data: a.Val}}
			}
		}
		return nil
	}
	for _, k := range kids {
		out.AppendChild(k)
	}
	return []*html.Node{out}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// cleanHref keeps a link to the document's own anchors, to a web page or
// a mail address; a link to a file of the document becomes data-file; any
// other (javascript:, data:, …) is dropped.
func cleanHref(v string) []html.Attribute {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "#") {
		return []html.Attribute{{Key: "href", Val: "#d-" + v[1:]}}
	}
	if file, ok := localFile(v); ok {
		return []html.Attribute{{Key: "href", Val: "#"}, {Key: "data-file", Val: file}}
	}
	u, err := url.Parse(v)
	if err != nil {
		return nil
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return []html.Attribute{{Key: "href", Val: u.String()}, {Key: "rel", Val: "noopener noreferrer"}, {Key: "target", Val: "_blank"}}
	}
	return nil
}

// localFile is the path of a file of the document a link names: relative,
// without a scheme, not climbing out of the document's folder.
func localFile(v string) (string, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "file:")
	if v == "" || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "\\") || strings.Contains(v, ":") {
		return "", false
	}
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	clean := path.Clean(v)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", false
	}
	return clean, true
}
