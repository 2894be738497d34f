// Command gen writes emacsprefixes.go of package plan: the prefixes of
// the symbols Emacs holds with Org, Babel's languages and Borges's own
// Lisp loaded (emacsprefixes.Measure). It runs from internal/plan by go
// generate, with emacs on PATH.
package main

import (
	"context"
	"go/format"
	"log"
	"os"
	"os/exec"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/emacsprefixes"
)

func main() {
	emacs, err := exec.LookPath("emacs")
	if err != nil {
		log.Fatal(err)
	}
	m, err := emacsprefixes.Measure(context.Background(), emacs, plan.OwnLisp())
	if err != nil {
		log.Fatal(err)
	}
	src, err := format.Source(emacsprefixes.Table(m))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("emacsprefixes.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
