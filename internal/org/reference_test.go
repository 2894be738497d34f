package org

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// randomPiece draws header-argument text rich in what splitting treats
// specially: brackets, quotes, backslashes, colons after blanks, "=".
func randomPiece(r *rand.Rand, n int) string {
	atoms := []string{"(", ")", "[", "]", `"`, `\`, " :", ":", " ", "\t", "a", "x=1", "=", "nil", ":var ", ":results ", "table", "output"}
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(atoms[r.Intn(len(atoms))])
	}
	return b.String()
}

func TestBalancedSplitMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		s := randomPiece(r, r.Intn(12))
		for _, twoFold := range []bool{true, false} {
			got, _ := balancedSplitBy(s, twoFold, ',')
			want := refBalancedSplitBy(s, twoFold, ',')
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("balancedSplitBy(%q, %v) = %q, want %q", s, twoFold, got, want)
			}
		}
	}
}

// TestCleanSplitComposes checks the property the inherited values rely
// on: a clean value followed by " :…" splits as the value, then the rest
// (when the rest starts an argument: startsArgument).
func TestCleanSplitComposes(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 20000; i++ {
		u := randomPiece(r, 1+r.Intn(8))
		l := ":" + randomPiece(r, r.Intn(8))
		pu, clean, errU := parseHeaderArgsClean(u)
		if !clean || isBlankByte(u[len(u)-1]) || !startsArgument(l) {
			continue
		}
		pl, _, errL := parseHeaderArgsClean(l)
		whole, wholeErr := parseHeaderArgs(u + " " + l)
		if errU != nil || errL != nil {
			first := errU
			if first == nil {
				first = errL
			}
			if fmt.Sprint(wholeErr) != fmt.Sprint(first) {
				t.Fatalf("%q + %q: error %v, parts %v", u, l, wholeErr, first)
			}
			continue
		}
		if !reflect.DeepEqual(printArgs(whole), printArgs(append(pu, pl...))) {
			t.Fatalf("%q + %q: whole %v, parts %v", u, l, printArgs(whole), printArgs(append(pu, pl...)))
		}
	}
}

func printArgs(args []rawArg) []string {
	var out []string
	for _, a := range args {
		v := "<nil>"
		if a.Value != nil {
			v = *a.Value
		}
		out = append(out, fmt.Sprintf("%s=%q/%v", a.Key, v, a.Number))
	}
	return out
}

func TestMergeParamsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	words := []string{"table", "output", "value", "replace", "silent", "raw", "drawer", "file", "list", "junk", "both", "code", "none", "results"}
	keys := []string{":var", ":var", ":var", ":results", ":exports", ":dir", ":cache", "junk", ":session"}
	names := []string{"a", "b", "c", "d"}
	for i := 0; i < 20000; i++ {
		var layers [][]rawArg
		for l := r.Intn(5); l > 0; l-- {
			var layer []rawArg
			for n := r.Intn(6); n > 0; n-- {
				k := keys[r.Intn(len(keys))]
				var v string
				switch k {
				case ":var":
					if r.Intn(3) == 0 {
						v = fmt.Sprint(r.Intn(9)) // positional
					} else {
						v = names[r.Intn(len(names))] + "=" + fmt.Sprint(r.Intn(9))
					}
				case ":results", ":exports":
					for w := r.Intn(4); w > 0; w-- {
						v += words[r.Intn(len(words))] + " "
					}
				default:
					v = fmt.Sprint(r.Intn(3))
				}
				layer = append(layer, rawArg{Key: k, Value: strp(v)})
			}
			layers = append(layers, layer)
		}
		gotArgs, gotVars, gotErr := mergeParams(true, layers...)
		wantArgs, wantVars, wantErr := refMergeParams(layers...)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(gotArgs, wantArgs) || !reflect.DeepEqual(gotVars, wantVars) {
			t.Fatalf("layers %v:\n got %v %q %v\nwant %v %q %v", layers, gotArgs, gotVars, gotErr, wantArgs, wantVars, wantErr)
		}
	}
}

// randomOutline is an outline of random levels, drawers and property
// lines (bases, "+" lines, nil, values that do not start an argument,
// unclosed brackets and quotes), with a block in every section.
func randomOutline(r *rand.Rand) string {
	var b strings.Builder
	if r.Intn(2) == 0 {
		b.WriteString("#+PROPERTY: header-args " + randomValue(r) + "\n")
	}
	if r.Intn(3) == 0 {
		b.WriteString(":PROPERTIES:\n:header-args+: " + randomValue(r) + "\n:END:\n")
	}
	b.WriteString("#+begin_src sh\n#+end_src\n")
	for h := r.Intn(12); h > 0; h-- {
		b.WriteString(strings.Repeat("*", 1+r.Intn(4)) + " H\n")
		if r.Intn(4) > 0 {
			b.WriteString(":PROPERTIES:\n")
			for n := r.Intn(4); n > 0; n-- {
				prop := []string{"header-args", "header-args+", "header-args:sh+", "header-args:sh", "HEADER-ARGS+"}[r.Intn(5)]
				b.WriteString(":" + prop + ": " + randomValue(r) + "\n")
			}
			b.WriteString(":END:\n")
		}
		b.WriteString("#+begin_src sh\n#+end_src\n")
	}
	return b.String()
}

func randomValue(r *rand.Rand) string {
	switch r.Intn(8) {
	case 0:
		return "nil"
	case 1:
		return ""
	case 2:
		return randomPiece(r, r.Intn(5))
	}
	return fmt.Sprintf(":var v%d=%d", r.Intn(4), r.Intn(9))
}

// TestInheritedMatchesWalk compares the memoised inherited values with the
// walk up the outline they replace, and their reading in segments with
// reading the whole value.
func TestInheritedMatchesWalk(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for i := 0; i < 3000; i++ {
		text := randomOutline(r)
		p := newParser(text)
		for line := range p.lines {
			for _, prop := range []string{"header-args", "header-args:sh"} {
				got, gotOK := p.inheritedProperty(line, prop)
				want, wantOK := refInheritedProperty(p, line, prop)
				if got != want || gotOK != wantOK {
					t.Fatalf("%s\nline %d %s: %q %v, walk %q %v", text, line+1, prop, got, gotOK, want, wantOK)
				}
				segs, err := p.propertyLayers(line, prop)
				var flat []rawArg
				for _, s := range segs {
					flat = append(flat, s...)
				}
				var whole []rawArg
				var wholeErr error
				if wantOK {
					whole, wholeErr = parseHeaderArgs(want)
				}
				if fmt.Sprint(err) != fmt.Sprint(wholeErr) || err == nil && !reflect.DeepEqual(printArgs(flat), printArgs(whole)) {
					t.Fatalf("%s\nline %d %s: segments %v (%v), whole %v (%v)", text, line+1, prop, printArgs(flat), err, printArgs(whole), wholeErr)
				}
			}
		}
	}
}

// TestPropertyWorkIsLinear counts the work of reading inherited
// properties: each heading's drawer is read and its value parsed once per
// property, however deep the outline and however many blocks it holds.
func TestPropertyWorkIsLinear(t *testing.T) {
	for _, tc := range []struct{ depth, width, blocks int }{
		{depth: 200, width: 1, blocks: 1},
		{depth: 50, width: 4, blocks: 5},
		{depth: 400, width: 2, blocks: 2},
	} {
		t.Run(fmt.Sprintf("%dx%dx%d", tc.depth, tc.width, tc.blocks), func(t *testing.T) {
			p := newParser(nestedDoc(tc.depth, tc.width, tc.blocks))
			doc := p.document()
			if len(doc.Blocks) != tc.depth*tc.width*tc.blocks {
				t.Fatalf("%d blocks", len(doc.Blocks))
			}
			// header-args and header-args:sh, for every heading and the
			// entries above the first.
			entries := len(p.headings) + slotFirstHead
			if p.drawerReads > 2*entries {
				t.Errorf("%d property drawer reads for %d entries", p.drawerReads, entries)
			}
			if p.propertyParses > 2*entries {
				t.Errorf("%d property values parsed for %d entries", p.propertyParses, entries)
			}
			last := doc.Blocks[len(doc.Blocks)-1]
			if want := tc.depth + tc.depth/3 + 1; len(last.Vars) != want {
				t.Errorf("deepest block has %d vars, want %d", len(last.Vars), want)
			}
		})
	}
}

// TestNamedResultMatchesScan compares the index of "#+RESULTS" lines with
// the scan of the whole text it replaced, on documents of names that
// differ by case (k, K, U+212A; s, U+017F), carry colons or blanks, and
// results lines hidden in example blocks.
func TestNamedResultMatchesScan(t *testing.T) {
	r := rand.New(rand.NewSource(10))
	names := []string{"a", "A", "b:c", "ſ", "s", "S", "K", "k", "x y", ""}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := r.Intn(10); n > 0; n-- {
			name := names[r.Intn(len(names))]
			switch r.Intn(4) {
			case 0:
				fmt.Fprintf(&b, "#+name: %s\n#+begin_src sh\n#+end_src\n", name)
			case 1:
				fmt.Fprintf(&b, "#+RESULTS%s:%s%s%s\n", []string{"", "[abc]", "[x]:y", ": :"}[r.Intn(4)], []string{"", " ", ": ", "  \t"}[r.Intn(4)], name, []string{"", " ", "\t"}[r.Intn(3)])
			case 2:
				fmt.Fprintf(&b, "#+begin_example\n#+RESULTS: %s\n#+end_example\n", name)
			default:
				fmt.Fprintf(&b, "#+name: %s\n#+call: f()\n", name)
			}
		}
		p := newParser(b.String())
		for _, name := range append(names, "z", "b") {
			gotLine, gotOK := p.namedResult(name)
			wantLine, wantOK := refNamedResult(p, name)
			if gotOK != wantOK || gotOK && gotLine != wantLine {
				t.Fatalf("%s\nnamedResult(%q) = %d %v, scan %d %v", b.String(), name, gotLine, gotOK, wantLine, wantOK)
			}
		}
	}
}

// TestCoverageMatchesEdits compares the coverage tree with asking every
// edit whether it covers an offset.
func TestCoverageMatchesEdits(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	for i := 0; i < 2000; i++ {
		p := newParser(strings.Repeat("line\n", 1+r.Intn(30)))
		c := newCoverage(p)
		var edits []edit
		for n := r.Intn(6); n > 0; n-- {
			a := p.lines[r.Intn(len(p.lines))].Start
			e := a + r.Intn(len(p.text)-a+1)
			edits = append(edits, edit{Start: a, End: e})
			c.mark(a, e)
		}
		for k, l := range p.lines {
			want := false
			for _, e := range edits {
				want = want || e.Start <= l.Start && l.Start < e.End
			}
			if c.covered(k) != want {
				t.Fatalf("line %d: covered %v, edits %v", k, c.covered(k), edits)
			}
		}
	}
}

// TestManyLanguagesReadNoDrawers checks that blocks of many languages
// deep in an outline do not each walk up it for their header-args:LANG:
// no drawer names those properties, so none is looked for.
func TestManyLanguagesReadNoDrawers(t *testing.T) {
	var b strings.Builder
	b.WriteString("#+PROPERTY: header-args:lang7 :var g=1\n")
	for d := 1; d <= 100; d++ {
		fmt.Fprintf(&b, "%s H\n:PROPERTIES:\n:header-args+: :var x%d=%d\n:END:\n", strings.Repeat("*", d), d, d)
	}
	for l := 0; l < 300; l++ {
		fmt.Fprintf(&b, "#+begin_src lang%d\n#+end_src\n", l)
	}
	p := newParser(b.String())
	doc := p.document()
	if len(doc.Blocks) != 300 {
		t.Fatalf("%d blocks", len(doc.Blocks))
	}
	// header-args walks the outline once; no header-args:LANG does.
	if p.drawerReads > len(p.headings)+slotFirstHead {
		t.Errorf("%d property drawer reads for %d headings", p.drawerReads, len(p.headings))
	}
	if got := doc.Blocks[7].Vars; len(got) != 101 || got[100] != "g=1" {
		t.Errorf("lang7 block vars %q", got)
	}
}

func TestSplitVarsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(12))
	for i := 0; i < 20000; i++ {
		s := randomPiece(r, r.Intn(10))
		if got, want := splitVars(s), refSplitVars(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("splitVars(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestRunsReadOnce checks what reading a run at once must keep: every
// orphaned affiliated keyword is a keyword, once, in order; a block after
// many table.el rules that never close is found.
func TestRunsReadOnce(t *testing.T) {
	doc, err := Parse(strings.Repeat("#+name: a\n#+caption: b\n", 50) + "\n+-+\n|x\n+-+\n|y\n#+begin_src sh\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Keywords) != 100 {
		t.Fatalf("%d keywords, want 100", len(doc.Keywords))
	}
	for i, k := range doc.Keywords {
		if k.Line != i+1 {
			t.Fatalf("keyword %d on line %d", i, k.Line)
		}
	}
	if len(doc.Blocks) != 1 || doc.Blocks[0].BeginLine != 106 {
		t.Fatalf("blocks %+v", doc.Blocks)
	}
}
