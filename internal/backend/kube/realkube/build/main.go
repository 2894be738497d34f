// Command build builds the Kubernetes programs the real-cluster tests run
// (see package realkube) into the user's cache directory, once per
// release: `go run ./internal/backend/kube/realkube/build`.
package main

import (
	"fmt"
	"os"

	"github.com/wallyqs/borges/internal/backend/kube/realkube"
)

func main() {
	err := realkube.Build(func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "realkube build:", err)
		os.Exit(1)
	}
}
