package outside

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A test cluster picks its programs' ports before it starts them, some
// of them tens of seconds later (the Kubernetes controller manager comes
// up after etcd and the API server). A port from "127.0.0.1:0" is in the
// kernel's ephemeral range, which the outgoing connections made meanwhile
// draw their source ports from: one of them taking the port makes the
// program's listen fail with "address already in use". ServerPort picks
// below that range instead, where only listeners go.

var (
	serverPortsMu sync.Mutex
	serverPorts   = map[int]bool{} // handed out by this process
)

// lowestServerPort is where ServerPort starts looking: above the ports
// services are usually configured on.
const lowestServerPort = 10000

// ServerPort returns a loopback TCP port that is free now, below the
// kernel's ephemeral range, and not returned before by this process.
func ServerPort() (int, error) {
	high := ephemeralLow() // exclusive
	if high <= lowestServerPort+100 {
		return 0, fmt.Errorf("the ephemeral port range starts at %d: no room below it", high)
	}
	serverPortsMu.Lock()
	defer serverPortsMu.Unlock()
	for try := 0; try < 500; try++ {
		p := lowestServerPort + rand.IntN(high-lowestServerPort)
		if serverPorts[p] {
			continue
		}
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		l.Close()
		serverPorts[p] = true
		return p, nil
	}
	return 0, fmt.Errorf("no free port between %d and %d after 500 tries", lowestServerPort, high)
}

// ephemeralLow is the first port of the kernel's ephemeral range (Linux'
// default when it cannot be read).
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				return n
			}
		}
	}
	return 32768
}
