package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// cycleProblem reports a cycle of tasks, each waiting for the next and
// the last for the first. One through a :post task is Babel running a
// block again inside its own :post (a :var, noweb or :stdin reference
// to it, or to a block that refers to it): Emacs recurses until it
// exceeds its depth. It is reported at the block whose :post it is, with
// the chain as the user wrote it, not as the tasks are named.
func (b *builder) cycleProblem(cycle []string) {
	start := -1
	for i, n := range cycle {
		if t := b.byName[n]; t.Post && t.owner != nil && len(t.postChain) > 0 {
			start = i
			break
		}
	}
	if start < 0 {
		b.plainCycleProblem(cycle)
		return
	}
	cycle = append(cycle[start:], cycle[:start]...)
	root := b.byName[cycle[0]].owner
	if b.postCycleAt[b.label(root)] {
		return // one cycle through the block's :post is enough to say
	}
	b.postCycleAt[b.label(root)] = true
	var steps []string
	for i, n := range cycle {
		t := b.byName[n]
		label := b.label(t)
		if t.Post && t.owner != nil && len(t.postChain) > 0 {
			label = b.label(t.owner)
			for _, p := range t.postChain {
				steps = append(steps, label+" :post "+p)
				label = postName(p)
			}
		}
		next := b.byName[cycle[(i+1)%len(cycle)]]
		steps = append(steps, label+" "+b.referenceTo(t, next))
	}
	steps = append(steps, b.shownAs(root))
	b.problem(b.blocks[root], b.label(root), ":post", "%s: the chain comes back to a block it runs, and Emacs runs them again without end (until it exceeds its depth)", strings.Join(steps, " → "))
}

// plainCycleProblem reports a cycle through no :post as the user wrote
// it: by the blocks its tasks run (label), not by the names of the runs
// references make ("b :var x=a" is a run of a), each step with the
// header argument that makes it, as written ("a :var y=b → b :after a →
// a"). Blocks that refer to each other make runs that make runs, so one
// cycle of blocks can come as a longer cycle of runs (a → b → a → b …):
// it is said once, at its shortest, from the block that stands first in
// the document, at that block's line, the kind of its step the
// problem's header argument.
func (b *builder) plainCycleProblem(cycle []string) {
	tasks := make([]*Task, len(cycle))
	labels := make([]string, len(cycle))
	for i, n := range cycle {
		tasks[i] = b.byName[n]
		labels[i] = b.label(tasks[i])
	}
	period := cyclePeriod(labels)
	first := 0
	for i, l := range labels[:period] {
		if b.cycleLine(l) < b.cycleLine(labels[first]) {
			first = i
		}
	}
	shown := make([]string, 0, period+1)
	steps := make([]string, 0, period+1)
	arg := ""
	kinds := make([]string, 0, period)
	for k := range period {
		i := (first + k) % period
		t, next := tasks[i], tasks[(i+1)%len(tasks)]
		shown = append(shown, labels[i])
		kind, ref := b.stepTo(t, next)
		if kind == ":noweb" && !strings.Contains(ref, "(") {
			kind = "" // an expansion, no run
		}
		kinds = append(kinds, kind)
		if k == 0 {
			arg = kind
		}
		steps = append(steps, strings.TrimSuffix(labels[i]+" "+ref, " "))
	}
	shown = append(shown, labels[first])
	steps = append(steps, labels[first])
	b.noteRecursing(tasks[:period], kinds)
	said := strings.Join(shown, " → ")
	if b.cyclesSaid[said] {
		return
	}
	if b.cyclesSaid == nil {
		b.cyclesSaid = map[string]bool{}
	}
	b.cyclesSaid[said] = true
	at := b.byName[labels[first]]
	if at == nil {
		at = tasks[first]
	}
	b.problem(b.blocks[at], labels[first], arg, "dependency cycle: %s", strings.Join(steps, " → "))
}

// noteRecursing records the blocks of a cycle of tasks (one period of
// it, kinds its steps: stepTo's) whose every step is a reference Babel
// resolves by running the block referred to (:var, :stdin, a noweb
// call): Emacs, running any of them, runs the next at that reference,
// and so on without end, until the binding depth runs out
// (b.recursing). A cycle with another step (:after, a noweb expansion)
// is none.
func (b *builder) noteRecursing(tasks []*Task, kinds []string) {
	for _, k := range kinds {
		if k != ":var" && k != ":stdin" && k != ":noweb" {
			return
		}
	}
	if b.recursing == nil {
		b.recursing = map[string]bool{}
	}
	for _, t := range tasks {
		if own := b.byName[b.label(t)]; own != nil && own.isOwnRun() {
			b.recursing[own.Block] = true
		}
	}
}

// stepTo says how t waits for u in a cycle, as written: the header
// argument (":var", ":stdin", ":noweb", ":after"; "" where t waits for
// u for no reference of its own) and the reference (":var y=b[0]",
// ":stdin b", "<<b()>>", ":after b"). u may be a run a reference makes
// of a block (t's value names that run).
func (b *builder) stepTo(t, u *Task) (arg, ref string) {
	target := b.label(u)
	blk := b.blocks[t]
	for i, v := range t.Vars {
		if v.Ref == u.Block || i < len(t.values) && t.values[i].ref == u.Block {
			return ":var", ":var " + rawVar(blk, v.Name, v.Name+"="+target)
		}
	}
	if t.stdin != nil && t.stdin.ref == u.Block {
		return ":stdin", ":stdin " + target
	}
	for _, r := range t.nowebRefs {
		if r.block == u.Block {
			call, _, _ := strings.Cut(r.call, "\n") // its first time (org.NowebKey)
			return ":noweb", "<<" + call + ">>"
		}
	}
	if slices.Contains(t.After, u.Block) {
		return ":after", ":after " + target
	}
	return "", ""
}

// rawVar is blk's :var binding of name as written ("y=b[0]"), or def.
func rawVar(blk *org.Block, name, def string) string {
	if blk == nil {
		return def
	}
	for _, raw := range blk.Vars {
		lhs, rhs, ok := strings.Cut(raw, "=")
		if ok && strings.TrimSpace(lhs) == name {
			return name + "=" + trimVarComma(strings.TrimSpace(rhs))
		}
	}
	return def
}

// cyclePeriod is the length of the shortest run of labels that, repeated,
// makes them all.
func cyclePeriod(labels []string) int {
	n := len(labels)
	for p := 1; p < n; p++ {
		if n%p != 0 {
			continue
		}
		repeats := true
		for i := p; i < n && repeats; i++ {
			repeats = labels[i] == labels[i%p]
		}
		if repeats {
			return p
		}
	}
	return n
}

// cycleLine is the line of the block named name's own task, for ordering
// a cycle's blocks; past every line where it has none.
func (b *builder) cycleLine(name string) int {
	if t := b.byName[name]; t != nil {
		return b.blocks[t].Line
	}
	return int(^uint(0) >> 1)
}

// referenceTo says how t refers to u, as written: ":var y=a", "<<a()>>",
// ":stdin a".
func (b *builder) referenceTo(t, u *Task) string {
	for i, v := range t.Vars {
		if v.Ref == u.Block {
			if i < len(t.values) && t.values[i].this {
				return fmt.Sprintf(":var %s=*this*", v.Name)
			}
			return fmt.Sprintf(":var %s=%s", v.Name, b.shownAs(u))
		}
	}
	for _, r := range t.nowebRefs {
		if r.block == u.Block {
			return "<<" + r.call + ">>"
		}
	}
	if t.stdin != nil && t.stdin.ref == u.Block {
		return ":stdin " + b.shownAs(u)
	}
	return ":after " + b.shownAs(u)
}

// shownAs is the name a reference to t was written with: a :post's last
// task stands for the block whose :post it is.
func (b *builder) shownAs(t *Task) string {
	if t.Post && t.owner != nil && len(t.postChain) > 0 {
		return b.label(t.owner)
	}
	return b.label(t)
}

// label is the name of t's block as the user wrote it: a block run
// again for a reference (rerun.go) is named by its caller and the
// reference, which the user did not write.
func (b *builder) label(t *Task) string {
	if name, ok := b.calledName[t.Block]; ok && !t.Post && t.called != nil && t.called.key() != t.Block {
		return name
	}
	return t.Block
}

// postName is the name of the block a :post calls.
func postName(post string) string {
	if r, ok := parseRef(post); ok {
		return r.name
	}
	return post
}
