package outside

import (
	"flag"
	"fmt"
	"os"
	"strconv"
)

// SideBySide sets -test.parallel to n when go test was not given it, for
// a package's TestMain to call before m.Run. Its parallel tests spend their
// time waiting (on servers, real clusters, Emacs, a block's timeout), not
// computing, so the number run at once is n, the number of them the machine
// is known to bear, not its CPUs (-parallel's default): more than the CPUs
// on a small machine, fewer on a large one.
func SideBySide(n int) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(n)); err != nil {
			fmt.Fprintln(os.Stderr, "-test.parallel stays as it is:", err)
		}
	}
}
