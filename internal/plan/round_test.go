package plan

import (
	"errors"
	"strings"
	"testing"
)

// TestRejectionRoundsMachineAmounts: what the machine measured is rounded
// in a rejection; what the user wrote is shown as written.
func TestRejectionRoundsMachineAmounts(t *testing.T) {
	limits := Limits{Max: Resources{CPUs: 2, MemMB: 24105.09765625, DiskMB: 1000.004}}
	for _, c := range []struct{ header, want string }{
		{"sh :mem 900000", ":mem: asks for 900000 MB; the most this backend could ever offer is 24105.1 MB"},
		{"sh :disk 1500.5", ":disk: asks for 1500.5 MB; the most this backend could ever offer is 1000 MB"},
		{"sh :cpu 2.125", ":cpu: asks for 2.125 CPUs; the most this backend could ever offer is 2 CPUs"},
	} {
		_, err := Build(mustParse(t, block(c.header, "true")), limits, DefaultOptions)
		var rej *RejectError
		if !errors.As(err, &rej) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v\nwant %q", c.header, err, c.want)
		}
	}
}
