package plan

import "testing"

// TestPostRunsInBlockDir: org-babel-execute-src-block resolves a block's
// :post inside its binding of default-directory to the block's :dir, so
// the block the :post calls runs there, its own relative :dir taken from
// there (fixture hunt19_post_dir_inherit.org).
func TestPostRunsInBlockDir(t *testing.T) {
	cases := []struct{ name, header, callee, want string }{
		{"callee with no :dir", "sh :dir work :post f(x=*this*)", `sh :var x=""`, "work"},
		{"callee with a relative :dir", "sh :dir work :post f(x=*this*)", `sh :var x="" :dir sub`, "work/sub"},
		{"callee with an absolute :dir", "sh :dir work :post f(x=*this*)", `sh :var x="" :dir /tmp`, "/tmp"},
		{"block with no :dir", "sh :post f(x=*this*)", `sh :var x="" :dir sub`, "sub"},
		{"block under ~", "sh :dir ~/w :post f(x=*this*)", `sh :var x=""`, "~/w"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := block(c.header, "echo one") + "#+name: f\n" + block(c.callee, "echo $x")
			p, err := Build(mustParse(t, doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, task := range p.Tasks {
				if task.Post {
					found = true
					if task.Dir != c.want {
						t.Errorf("the :post's task runs in %q, want %q", task.Dir, c.want)
					}
				}
			}
			if !found {
				t.Fatal("no :post task")
			}
		})
	}
}
