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
// until loops whose conditions are true, false or :, on one line or
// several, now and then after a function named as one of them, or a cat
// on the line they begin (a group or subshell round it, perhaps run in
// the background); each runs in a directory of its own, in sh, dash and
// bash.
func TestLiteralShellDirsAgainstShells(t *testing.T) {
	shells := map[string]string{"sh": outside.Need(t, "dash", "sh"), "dash": outside.Need(t, "dash", "dash"), "bash": outside.Need(t, "bash", "bash")}
	r := rand.New(rand.NewSource(7))
	conds := []string{"true", "false", ":"}
	pick := func(s ...string) string { return s[r.Intn(len(s))] }
	var gen, genOf func(k, depth int) string
	gen = func(_, depth int) string { return genOf(r.Intn(9), depth) }
	genOf = func(k, depth int) string {
		switch {
		case k < 3 || depth > 2:
			return pick("mkdir -p d"+strconv.Itoa(r.Intn(6)), "echo x", "cat", "true", "false")
		case k == 3:
			return pick(conds...) + pick(" || ", " && ", " ||\n") + pick("{ "+gen(0, depth+1)+"; }", "( "+gen(0, depth+1)+" )", gen(0, depth+1))
		case k == 4:
			s := "if " + pick(conds...) + pick("; then ", "\nthen\n") + gen(0, depth+1)
			if r.Intn(2) == 0 {
				s += pick("; else ", "\nelse\n") + gen(0, depth+1)
			}
			return s + pick("; fi", "\nfi")
		case k == 5:
			return pick("while ", "until ") + pick(conds...) + pick("; do ", "\ndo\n", "; do\n") + gen(0, depth+1) + pick("; break; done", "\nbreak\ndone")
		default:
			return gen(0, depth+1) + pick("; ", "\n", " && ", " || ") + gen(0, depth+1)
		}
	}
	read := 0
	for range 300 {
		var lines []string
		if r.Intn(8) == 0 {
			lines = append(lines, pick("true () { false; }", "false() { true; }", ":(){ false; }", "cat () { echo; }")+pick("; echo", ""))
		}
		for k := r.Intn(4); k >= 0; k-- {
			line := gen(0, 0)
			if r.Intn(3) == 0 {
				// A cat on the line an if or a loop, or a group run in
				// the background, begins.
				switch k := r.Intn(4); k {
				case 0, 1:
					line = pick("cat; ", "echo; cat; ") + genOf(4+r.Intn(2), 1) + pick("", "; mkdir -p d"+strconv.Itoa(r.Intn(6)))
				case 2:
					line = "{ cat\n" + line + pick("; }", "\n}") + pick("", " &")
				default:
					line = "( cat\n" + line + pick(" )", "\n)") + pick("", " &")
				}
			}
			lines = append(lines, line)
		}
		body := strings.Join(lines, "\n")
		for _, lang := range []string{"sh", "dash", "bash"} {
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
		t.Errorf("%d programs read of 900: too few to tell", read)
	}
}
