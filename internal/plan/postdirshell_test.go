package plan

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestLiteralShellDirsAgainstShells: what literalShellDirs reads a
// shell program to make is never less than what sh and bash make
// running it as ob-shell gives it to them, on standard input from a
// file: a directory it leaves out, where it reads the program, would
// be a stop Borges makes where Emacs runs on. Programs are drawn (a
// fixed seed) from mkdir -p, cat, echo, true, false and : joined by ;,
// newlines, && and ||, in groups, subshells, if (else) and while or
// until loops whose conditions are true, false or :, now and then after
// a function named as one of them; each runs in a directory of its own.
func TestLiteralShellDirsAgainstShells(t *testing.T) {
	shells := map[string]string{"sh": outside.Need(t, "dash", "sh"), "bash": outside.Need(t, "bash", "bash")}
	r := rand.New(rand.NewSource(7))
	conds := []string{"true", "false", ":"}
	pick := func(s ...string) string { return s[r.Intn(len(s))] }
	var gen func(depth int) string
	gen = func(depth int) string {
		switch k := r.Intn(9); {
		case k < 3 || depth > 2:
			return pick("mkdir -p d"+strconv.Itoa(r.Intn(6)), "echo x", "cat", "true", "false")
		case k == 3:
			return pick(conds...) + pick(" || ", " && ", " ||\n") + pick("{ "+gen(depth+1)+"; }", "( "+gen(depth+1)+" )", gen(depth+1))
		case k == 4:
			s := "if " + pick(conds...) + pick("; then ", "\nthen\n") + gen(depth+1)
			if r.Intn(2) == 0 {
				s += pick("; else ", "\nelse\n") + gen(depth+1)
			}
			return s + pick("; fi", "\nfi")
		case k == 5:
			return pick("while ", "until ") + pick(conds...) + "; do " + gen(depth+1) + "; break; done"
		default:
			return gen(depth+1) + pick("; ", "\n", " && ", " || ") + gen(depth+1)
		}
	}
	read := 0
	for range 300 {
		var lines []string
		if r.Intn(8) == 0 {
			lines = append(lines, pick("true () { false; }", "false() { true; }", ":(){ false; }", "cat () { echo; }")+pick("; echo", ""))
		}
		for k := r.Intn(4); k >= 0; k-- {
			lines = append(lines, gen(0))
		}
		body := strings.Join(lines, "\n")
		for _, lang := range []string{"sh", "bash"} {
			doc := mustParse(t, block(lang, body))
			dirs, ok := literalShellDirs(doc, doc.Executables()[0], ".", map[string]bool{})
			if !ok {
				continue
			}
			read++
			dir := t.TempDir()
			script := filepath.Join(t.TempDir(), "script")
			if err := os.WriteFile(script, []byte(orgTrim(body)), 0o600); err != nil {
				t.Fatal(err)
			}
			in, err := os.Open(script)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(shells[lang])
			cmd.Dir, cmd.Stdin = dir, in
			_ = cmd.Run() // its status is of no matter
			in.Close()
			made, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			readAs := map[string]bool{}
			for _, d := range dirs {
				readAs[d] = true
			}
			for _, e := range made {
				if !readAs[e.Name()] {
					t.Errorf("%s %q made %s, read as making %v", lang, body, e.Name(), dirs)
				}
			}
		}
	}
	if read < 100 {
		t.Errorf("%d programs read of 600: too few to tell", read)
	}
}
