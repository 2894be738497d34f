package taskenv

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
)

// UnsetName is the name a program runs UnsetMain by: a statically linked
// borges, mounted in a container under this name (see Static), removes
// variables there without a shell in the image.
const UnsetName = "borges-unset"

// UnsetMain runs a program without some variables of its environment:
// args are the names, "--", then the program and its arguments. Among
// the names, mount checks (MountCheck: "PATH=DEV:INO", which no name can
// be) are made first: one that fails ends it with MountRefused, the
// program not run. The program is looked up in PATH before the names
// are removed (PATH may be one of them), as ExecStep does; it replaces
// this process. It returns only on failure: 127 when the program is not
// found, 126 when it cannot be run, 2 for args without "--" or a
// program.
func UnsetMain(args []string) int {
	k := slices.Index(args, "--")
	if k < 0 || k+1 >= len(args) {
		fmt.Fprintf(os.Stderr, "%s: usage: %s NAME... -- PROGRAM [ARG...]\n", UnsetName, UnsetName)
		return 2
	}
	names, refused := refuseMounts(args[:k])
	if refused {
		return MountRefused
	}
	argv := args[k+1:]
	prog := argv[0]
	if !strings.Contains(prog, "/") {
		found, err := exec.LookPath(prog)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s: not found\n", UnsetName, prog)
			return 127
		}
		prog = found
	}
	err := syscall.Exec(prog, argv, Without(os.Environ(), names))
	fmt.Fprintf(os.Stderr, "%s: %s: %v\n", UnsetName, prog, err)
	return 126
}

// Static reports whether path is an executable ELF file that needs no
// dynamic loader (no PT_INTERP): one that runs in any container of its
// architecture, whatever the image holds.
func Static(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return false
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}
