package outside

import (
	"net"
	"strconv"
	"testing"
)

func TestServerPortIsBelowTheEphemeralRange(t *testing.T) {
	low := ephemeralLow()
	seen := map[int]bool{}
	for i := 0; i < 50; i++ {
		p, err := ServerPort()
		if err != nil {
			t.Fatal(err)
		}
		if p < lowestServerPort || p >= low {
			t.Fatalf("port %d is outside [%d, %d)", p, lowestServerPort, low)
		}
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			t.Fatalf("port %d is not free: %v", p, err)
		}
		l.Close()
	}
}
