package api

import (
	"fmt"
	"html"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/wallyqs/borges/internal/engine"
)

// The dependency graph is drawn on the server, as SVG: no script library
// to ship, and the same picture for the page and for anyone who fetches
// it. Blocks are laid out in columns by depth (a block stands right of
// every block it waits for: :var, :after, #+call:; a run a reference
// makes, right of the block it runs), each a link to its details, filled
// by its state.

const (
	nodeW, nodeH = 180, 46
	colGap       = 70
	rowGap       = 22
	margin       = 12
)

// stateFill is the fill of a block in each state (and of a block Borges
// does not run: "").
var stateFill = map[engine.State]string{
	engine.Queued: "#eeeeee", engine.Staged: "#e6dcf7", engine.Running: "#c9f0d9", engine.Finished: "#d5e5f5",
	engine.Failed: "#f6c8c8", engine.Lost: "#f6c8c8", engine.Killed: "#f5dfbd", "": "#fafafa",
}

type graphNode struct {
	b          engine.BlockView
	deps       []int
	layer, row int
	y          float64
}

// graphLayout places the blocks: layer = longest chain of dependencies
// below it; in a layer, blocks are ordered by where their dependencies
// stand (then by their order in the document), which keeps edges short.
func graphLayout(v *engine.DocumentView) (nodes []*graphNode, layers [][]*graphNode) {
	index := map[string]int{}
	for i, b := range v.Blocks {
		index[b.Name] = i
		nodes = append(nodes, &graphNode{b: b, layer: -1})
	}
	for i, b := range v.Blocks {
		if b.Task == nil {
			continue
		}
		seen := map[int]bool{}
		for _, dep := range b.Task.After {
			if j, ok := index[dep]; ok && j != i && !seen[j] {
				seen[j] = true
				nodes[i].deps = append(nodes[i].deps, j)
			}
		}
	}
	var depth func(i int, visiting map[int]bool) int
	depth = func(i int, visiting map[int]bool) int {
		n := nodes[i]
		if n.layer >= 0 {
			return n.layer
		}
		if visiting[i] { // a cycle: the planner rejects them; drawn flat
			return 0
		}
		visiting[i] = true
		l := 0
		for _, d := range n.deps {
			l = max(l, depth(d, visiting)+1)
		}
		delete(visiting, i)
		n.layer = l
		return l
	}
	layerAll := func() {
		for _, n := range nodes {
			n.layer = -1
		}
		for i := range nodes {
			depth(i, map[int]bool{})
		}
	}
	// A run a reference makes stands right of the block it runs
	// (gen → double :var x=gen → double), which it runs again, where
	// the block stands before it by the waits alone (columns, then
	// blocks before runs, then the document's order): the block's own
	// run may wait for the run (the runs writing one :file, in Emacs's
	// order), and an edge back would make a cycle. Each edge then goes
	// forward in one order of the blocks: the picture has no cycle.
	layerAll()
	before := func(a, b int) bool {
		ka, kb := nodes[a].layer, nodes[b].layer
		if ka != kb {
			return ka < kb
		}
		ra, rb := v.Blocks[a].Task.RunOf() != "", v.Blocks[b].Task.RunOf() != ""
		if ra != rb {
			return rb
		}
		return a < b
	}
	runOf := false
	for i, b := range v.Blocks {
		if b.Task == nil {
			continue
		}
		if j, ok := index[b.Task.RunOf()]; ok && j != i && v.Blocks[j].Task != nil && before(j, i) && !slices.Contains(nodes[i].deps, j) {
			nodes[i].deps = append(nodes[i].deps, j)
			runOf = true
		}
	}
	if runOf {
		layerAll()
	}
	for i, n := range nodes {
		for len(layers) <= n.layer {
			layers = append(layers, nil)
		}
		layers[n.layer] = append(layers[n.layer], nodes[i])
	}
	for li, layer := range layers {
		if li > 0 {
			key := func(n *graphNode) float64 {
				if len(n.deps) == 0 {
					return 1e9
				}
				sum := 0.0
				for _, d := range n.deps {
					sum += float64(nodes[d].row)
				}
				return sum / float64(len(n.deps))
			}
			sort.SliceStable(layer, func(a, b int) bool { return key(layer[a]) < key(layer[b]) })
		}
		for r, n := range layer {
			n.row = r
		}
	}
	return nodes, layers
}

// graphSVG draws a document's dependency graph.
func graphSVG(v *engine.DocumentView) string {
	nodes, layers := graphLayout(v)
	rows := 0
	for _, l := range layers {
		rows = max(rows, len(l))
	}
	width := margin*2 + len(layers)*nodeW + max(len(layers)-1, 0)*colGap
	height := margin*2 + rows*nodeH + max(rows-1, 0)*rowGap
	x := func(n *graphNode) int { return margin + n.layer*(nodeW+colGap) }
	// Each column is centred on the tallest.
	for _, l := range layers {
		off := float64((rows-len(l))*(nodeH+rowGap)) / 2
		for _, n := range l {
			n.y = float64(margin) + off + float64(n.row*(nodeH+rowGap))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="13">`+"\n", width, height, width, height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#667"/></marker></defs>` + "\n")
	for _, n := range nodes {
		for _, d := range n.deps {
			from := nodes[d]
			x1, y1 := float64(x(from)+nodeW), from.y+nodeH/2
			x2, y2 := float64(x(n)), n.y+nodeH/2
			mid := (x1 + x2) / 2
			fmt.Fprintf(&b, `<path class="edge" data-from="%s" data-to="%s" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="#667" stroke-width="1.5" marker-end="url(#arrow)"/>`+"\n",
				html.EscapeString(from.b.Name), html.EscapeString(n.b.Name), x1, y1, mid, y1, mid, y2, x2-1, y2)
		}
	}
	for _, n := range nodes {
		state := n.b.State
		label := string(state)
		dash := ""
		if !n.b.Runnable {
			state, label, dash = "", "not run", ` stroke-dasharray="4 3"`
		} else if len(n.b.Instances) > 1 {
			label = fmt.Sprintf("%s ×%d", label, len(n.b.Instances))
		}
		name := html.EscapeString(n.b.Name)
		fmt.Fprintf(&b, `<a href="/ui/%s/%s" class="node" data-block="%s" data-state="%s"><title>%s (%s): %s</title>`+"\n",
			html.EscapeString(url.PathEscape(v.ID)), html.EscapeString(url.PathEscape(n.b.Name)), name, html.EscapeString(string(state)), name, html.EscapeString(n.b.Lang), html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%d" rx="6" fill="%s" stroke="#556"%s/>`+"\n", x(n), n.y, nodeW, nodeH, stateFill[state], dash)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-weight="600" fill="#222">%s</text>`+"\n", x(n)+10, n.y+19, html.EscapeString(shorten(n.b.Name, 22)))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" fill="#444">%s · %s</text>`+"\n</a>\n", x(n)+10, n.y+36, html.EscapeString(shorten(n.b.Lang, 8)), html.EscapeString(label))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// shorten cuts a label to n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
