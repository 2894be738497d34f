package outside

import (
	"flag"
	"fmt"
	"os"
	"strconv"
)

// SideBySide sets -test.parallel to n when go test was not given it, for
// a package's TestMain to call before m.Run: its parallel tests spend their
// time waiting (on servers, real clusters, Emacs, a block's timeout), not
// computing, so more of them than the machine's CPUs (-parallel's default)
// run at once.
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
