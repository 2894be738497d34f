package plan

import "testing"

// TestFreshCachedValuePost: the dependents of a :cache yes block with a
// :post receive, in the run that computes it, the block's results as
// written (Babel calls the block again for the reference, finds its
// results current and reads them back; the :post not applied again):
// "1.4.2" for the :post's output "1.4.2\n", where ResultValue keeps the
// newline. Without the :cache, the :post's own value stands; with it and
// no :post, the block's results read back as before.
func TestFreshCachedValuePost(t *testing.T) {
	trim := "#+name: trim\n" + block("sh :var x=\"\" :results output", "echo \"$x\" | tr -d ' '")
	cases := []struct {
		name, header, output string
		fresh                bool
		want                 string
	}{
		{"post output with newline", "sh :cache yes :post trim(x=*this*)", "1.4.2\n", true, "1.4.2"},
		{"post output without newline", "sh :cache yes :post trim(x=*this*)", "1.4.2", true, "1.4.2"},
		{"post without cache", "sh :post trim(x=*this*)", "1.4.2\n", false, ""},
		{"cache without post", "sh :cache yes", "1.4.2\n", true, "1.4.2"},
	}
	for _, c := range cases {
		doc := mustParse(t, trim+"#+name: version\n"+block(c.header, "echo ' 1 . 4 . 2 '")+
			block("sh :var v=version :results output", "echo \"tag v$v\""))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// The task a reference to version reaches: the last of its
		// :post chain, else the block's own.
		var dep *Task
		for _, task := range p.Tasks {
			if task.Shown() == "version" {
				dep = task
			}
		}
		if dep == nil {
			t.Fatalf("%s: no task shown as version among %v", c.name, p.Tasks)
		}
		v, ok := FreshCachedValue(doc, dep, c.output, nil)
		if ok != c.fresh {
			t.Errorf("%s: FreshCachedValue ok = %v, want %v", c.name, ok, c.fresh)
			continue
		}
		if ok && (v.Scalar != c.want || v.IsList || v.Table != nil) {
			t.Errorf("%s: value = %+v, want the string %q", c.name, v, c.want)
		}
	}
}
